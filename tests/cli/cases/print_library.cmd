print library.wasm
