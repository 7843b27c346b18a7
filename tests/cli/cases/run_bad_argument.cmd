run --invoke add library.wasm 1 x
