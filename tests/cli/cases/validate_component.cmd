validate @INPUTS@/component.wasm
