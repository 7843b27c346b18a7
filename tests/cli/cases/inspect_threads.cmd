inspect threads.wasm
