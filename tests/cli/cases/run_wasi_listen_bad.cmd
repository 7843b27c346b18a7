run --listen nonsense wasi/args.wasm
