validate threads.wasm
