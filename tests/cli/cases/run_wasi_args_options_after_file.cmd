run wasi/args.wasm --env-inherit --invoke main --timeout 1s --help
