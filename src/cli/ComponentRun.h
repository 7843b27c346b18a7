#pragma once
// `wasmops run COMPONENT --invoke 'name(args)'`: instantiates a component
// (the host provides no imports yet) and calls one exported function with
// arguments and result in WAVE, as `wasmtime run --invoke` does.
#include <span>

#include "cli/Commands.h"

namespace wasmops::cli {

int runComponent(const RunOptions& options, std::span<const std::uint8_t> bytes);

}  // namespace wasmops::cli
