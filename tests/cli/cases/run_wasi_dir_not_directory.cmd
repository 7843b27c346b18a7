run --dir command.wasm::/data wasi/args.wasm
