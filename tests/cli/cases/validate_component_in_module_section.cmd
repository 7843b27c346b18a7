validate @INPUTS@/component_in_module_section.wasm
