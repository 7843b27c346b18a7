print @INPUTS@/component.wasm
