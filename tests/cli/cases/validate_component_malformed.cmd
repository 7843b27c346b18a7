validate @INPUTS@/component_bad_type.wasm
