run wasi/args.wasm --dir x -v
