inspect @INPUTS@/truncated.wasm
