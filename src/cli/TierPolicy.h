#pragma once
// Which artifact `wasmops run` uses when no --tier is given (DESIGN.md §4):
// the optimized artifact when the cache has it; otherwise the fast tier now
// (cached or compiled in tens of milliseconds), while a detached
// `wasmops compile --tier optimized` builds the optimized artifact for the
// next run. WASMOPS_BACKGROUND_COMPILE=0 turns the background build off.
#include <memory>
#include <span>
#include <string>

#include "base/Error.h"
#include "engine/Runtime.h"

namespace wasmops::cli {

struct TierChoice {
  std::string tier;  // "fast", "optimized", or empty: the policy above
  std::string cacheDir;
  bool interruptible = false;
};

// Loads or compiles `bytes` (from `file`) as `choice` says; prints a notice
// on a terminal when compiling takes more than a second.
Expected<std::shared_ptr<engine::CompiledModule>> loadModule(const std::string& file, std::span<const std::uint8_t> bytes,
                                                             const TierChoice& choice);

}  // namespace wasmops::cli
