validate no-such-file.wasm
