run --tier optimized --invoke div trap.wasm 7 0
