run --invoke nope library.wasm
