inspect no-such-file.wasm
