inspect features.wasm
