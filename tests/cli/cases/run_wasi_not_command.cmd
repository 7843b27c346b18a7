run reactor.wasm
