run --invoke grow trap.wasm 1
