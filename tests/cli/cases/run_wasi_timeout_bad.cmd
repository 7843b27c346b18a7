run --timeout soon wasi/args.wasm
