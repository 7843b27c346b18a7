inspect @INPUTS@/component.wasm
