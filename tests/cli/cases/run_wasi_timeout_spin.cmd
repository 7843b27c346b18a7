run --timeout 300ms wasi/actions.wasm spin
