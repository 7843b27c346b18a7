inspect @INPUTS@/badopcode.wasm
