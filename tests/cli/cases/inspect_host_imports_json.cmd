inspect --json host_imports.wasm
