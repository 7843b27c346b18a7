frobnicate x.wasm
