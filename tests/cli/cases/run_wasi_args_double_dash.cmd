run wasi/args.wasm -- a
