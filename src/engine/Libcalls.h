#pragma once
// The functions generated code calls (ctx->rt): traps, memory.grow,
// table.grow, bulk memory and table operations, calls to host functions.
#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

const wasmops_rt* runtimeServices();

}  // namespace wasmops::engine
