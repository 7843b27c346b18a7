#pragma once
// The compile pipeline: from a module's bytes to a loaded artifact, through
// the artifact cache (compiler discovery, cache key, emit, compile, load).
#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "base/Error.h"
#include "engine/ArtifactCache.h"
#include "engine/CEmitter.h"
#include "engine/CompiledModule.h"
#include "engine/Compiler.h"
#include "engine/ModuleInput.h"

namespace wasmops::engine {

// How generated code keeps memory accesses in bounds (DESIGN.md §4).
enum class MemoryStrategy {
  Auto,          // guard pages where the process can reserve them, else bounds checks
  GuardPages,    // 4 GiB + 2 GiB guard per memory; faults become traps
  BoundsChecks,  // an explicit check before every access
};
const char* toString(MemoryStrategy strategy);

struct EngineConfig {
  Tier tier = Tier::Fast;
  MemoryStrategy memory = MemoryStrategy::Auto;
  std::string cacheDir;  // empty: default under $XDG_CACHE_HOME
  // Translation units per module; unset: the tier's default (the optimized
  // tier splits by SplitPolicy{}, the fast tier keeps one unit: tcc compiles
  // a whole module in about the time of its pieces, docs/perf.md). Tests set
  // it to force small units.
  std::optional<SplitPolicy> split = std::nullopt;
  // A background build: compilers run at the lowest priority, and are killed
  // when `*cancel` becomes true (the build then fails and leaves nothing).
  bool background = false;
  const std::atomic<bool>* cancel = nullptr;
};

class Engine {
 public:
  explicit Engine(EngineConfig config);
  enum class Lookup { BuildIfMissing, CachedOnly };
  // Loads the cached artifact for this module (its sections decoded, not its
  // bodies: it validated when the artifact was built), or decodes the bodies,
  // validates, compiles and caches it. CachedOnly: NotFound instead of building.
  Expected<std::shared_ptr<CompiledModule>> compile(ModuleInput& input, Lookup lookup = Lookup::BuildIfMissing) const;
  Expected<std::shared_ptr<CompiledModule>> compile(std::span<const std::uint8_t> bytes,
                                                    Lookup lookup = Lookup::BuildIfMissing) const;
  const EngineConfig& config() const { return config_; }
  const ArtifactCache& cache() const { return cache_; }

 private:
  EngineConfig config_;
  mutable ArtifactCache cache_;
};

}  // namespace wasmops::engine
