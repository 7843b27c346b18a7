#pragma once
// `wasmops run COMPONENT [ARGS...]`: instantiates a component against the
// WASI 0.2 host and runs its `wasi:cli/run` export, or with `--invoke
// 'name(args)'` calls one exported function with arguments and result in
// WAVE, as `wasmtime run --invoke` does.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include "cli/Commands.h"
#include "wasmops/wasi.h"

namespace wasmops::cli {

// `maxMemory` (0: as declared), `timeout` and the guest's world (`wasi`:
// args, env, preopens, stdio) as `run` parsed them.
int runComponent(const RunOptions& options, std::span<const std::uint8_t> bytes, std::uint64_t maxMemory,
                 std::optional<std::chrono::milliseconds> timeout, const embed::WasiConfig& wasi);

}  // namespace wasmops::cli
