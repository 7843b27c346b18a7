compile --tier fast -o lib.so library.wasm
