inspect @INPUTS@/empty.wasm
