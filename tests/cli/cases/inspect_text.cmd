inspect @INPUTS@/text.wasm
