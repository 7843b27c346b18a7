run command.wasm
