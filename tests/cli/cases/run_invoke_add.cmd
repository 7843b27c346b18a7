run --invoke add library.wasm 2 40
