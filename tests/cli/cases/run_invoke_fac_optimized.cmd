run --tier optimized --invoke fac library.wasm 20
