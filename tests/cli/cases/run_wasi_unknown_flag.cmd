run --bogus wasi/args.wasm
