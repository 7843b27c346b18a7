validate command.wasm library.wasm
