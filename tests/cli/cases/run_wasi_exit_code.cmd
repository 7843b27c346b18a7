run wasi/actions.wasm exit 7
