validate --bogus x.wasm
