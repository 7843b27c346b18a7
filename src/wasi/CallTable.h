#pragma once
// The wasi_snapshot_preview1 functions as a table: import name, wasm
// signature, implementation. WasiHost defines its imports from it; the
// fuzz_wasi target (tests/fuzz/FuzzWasi.cpp) calls the same entries directly.
#include <span>

#include "engine/rt/wasmops_rt.h"
#include "wasi/WasiAbi.h"
#include "wasi/WasiContext.h"

namespace wasmops::wasi {

using CallFn = Errno (*)(WasiContext&, const wasmops_val*);

struct CallSpec {
  const char* name;
  const char* params;  // one letter per parameter: i = i32, I = i64; every result is one i32 errno
  CallFn fn;
};

// Every function that returns an errno, in import-name order. proc_exit is
// not in it: it never returns, and WasiHost::defineImports defines it itself.
std::span<const CallSpec> wasiCalls();

}  // namespace wasmops::wasi
