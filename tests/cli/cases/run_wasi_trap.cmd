run wasi/actions.wasm trap
