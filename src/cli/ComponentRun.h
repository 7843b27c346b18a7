#pragma once
// `wasmops run COMPONENT --invoke 'name(args)'`: instantiates a component
// (the host provides no imports yet) and calls one exported function with
// arguments and result in WAVE, as `wasmtime run --invoke` does.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include "cli/Commands.h"

namespace wasmops::cli {

// `maxMemory` (0: as declared) and `timeout` as `run` parsed them.
int runComponent(const RunOptions& options, std::span<const std::uint8_t> bytes, std::uint64_t maxMemory,
                 std::optional<std::chrono::milliseconds> timeout);

}  // namespace wasmops::cli
