run --dir .::/:ro --env A=B --listen 127.0.0.1:0 wasi_garbage.wasm
