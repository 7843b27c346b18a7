run wasi/actions.wasm print done
