run --invoke div trap.wasm -7 2
