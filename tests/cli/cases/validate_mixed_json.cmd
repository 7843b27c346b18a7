validate --json library.wasm invalid_type_mismatch.wasm @INPUTS@/truncated.wasm
