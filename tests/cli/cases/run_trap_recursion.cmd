run --invoke recurse trap.wasm 1
