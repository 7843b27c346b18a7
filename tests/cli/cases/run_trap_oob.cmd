run --invoke oob trap.wasm
