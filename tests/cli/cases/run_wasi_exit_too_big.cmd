run wasi/actions.wasm exit 300
