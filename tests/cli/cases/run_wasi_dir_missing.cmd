run --dir no-such-dir wasi/args.wasm
