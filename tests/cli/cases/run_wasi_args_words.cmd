run --dir . wasi/args.wasm hello 'two words' '' --dir x -v -- --help
