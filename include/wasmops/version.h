#pragma once
// Public embedding API of libwasmops. The engine, WASI and HTTP host APIs
// (engine.h, wasi.h, http.h) join this folder with their issues.
#define WASMOPS_VERSION_MAJOR 0
#define WASMOPS_VERSION_MINOR 1
#define WASMOPS_VERSION_PATCH 0
#define WASMOPS_VERSION_STRING "0.1.0"
