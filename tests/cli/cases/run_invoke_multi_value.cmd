run --invoke pair trap.wasm 1.5
