inspect command.wasm
