run --env =x wasi/args.wasm
