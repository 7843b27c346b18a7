validate --json @INPUTS@/component.wasm @INPUTS@/component_in_module_section.wasm
