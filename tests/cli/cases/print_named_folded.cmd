print --fold-exprs named.wasm
