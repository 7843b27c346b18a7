run --timeout 300ms wasi/actions.wasm sleep 30
