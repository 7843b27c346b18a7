run --invoke work reactor.wasm 42
