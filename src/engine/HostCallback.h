#pragma once
// The one signature of every host function: arguments and results as raw
// values; returning a message traps the guest with it.
#include <functional>
#include <optional>
#include <string>

#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

using HostCallback = std::function<std::optional<std::string>(const wasmops_val* args, wasmops_val* results)>;

}  // namespace wasmops::engine
