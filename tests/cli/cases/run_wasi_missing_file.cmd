run no-such.wasm
