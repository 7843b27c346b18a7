inspect --json @INPUTS@/component.wasm
