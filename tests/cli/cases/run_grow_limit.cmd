run --max-memory 64KiB --invoke grow trap.wasm 1
