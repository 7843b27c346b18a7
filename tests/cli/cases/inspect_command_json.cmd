inspect --json command.wasm
