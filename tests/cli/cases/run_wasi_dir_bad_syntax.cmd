run --dir ::/ wasi/args.wasm
