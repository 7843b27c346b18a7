inspect named.wasm
