#pragma once
// How `wasmops run` gets its module: the engine's tier policy
// (engine/TierPolicy.h) with what a command line adds: a notice on a
// terminal while it compiles, and the background optimized build as a
// detached `wasmops compile --tier optimized`, which outlives a short run.
// WASMOPS_BACKGROUND_COMPILE=0 turns the background build off.
#include <memory>
#include <span>
#include <string>

#include "base/Error.h"
#include "engine/Runtime.h"

namespace wasmops::cli {

struct TierChoice {
  std::string tier;  // "fast", "optimized", or empty: the policy
  std::string cacheDir;
};

Expected<std::shared_ptr<engine::CompiledModule>> loadModule(const std::string& file, std::span<const std::uint8_t> bytes,
                                                             const TierChoice& choice);

}  // namespace wasmops::cli
