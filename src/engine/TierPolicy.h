#pragma once
// Which artifact a module runs from (DESIGN.md §4), for `wasmops run` and
// for embedders alike: the optimized artifact when the cache has it;
// otherwise the fast tier now (cached, or compiled in tens of milliseconds)
// while the optimized artifact is built in the background for the next run.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/Error.h"
#include "engine/Engine.h"

namespace wasmops::engine {

struct LoadPolicy {
  std::optional<Tier> tier = std::nullopt;  // a fixed tier (no background build); unset: the policy above
  std::string cacheDir = {};  // empty: the default cache
  // Called before and after an artifact is built while the caller waits
  // (`done` false, then true); a terminal shows a notice.
  std::function<void(Tier tier, bool done)> onBuild = {};
  bool backgroundOptimize = true;
  // How the background build starts. Unset: in this process, on the one
  // background compile thread (OptimizedBuildQueue). `wasmops run` passes a
  // launcher of a detached `wasmops compile`, which outlives the short run.
  std::function<void()> startOptimizedBuild = {};
};

Expected<std::shared_ptr<CompiledModule>> loadModule(ModuleInput& input, const LoadPolicy& policy);

// At most one background compile per process, at the lowest priority; the
// queue is bounded (a build asked for while four wait is dropped: the next
// run asks again) and whatever is running is cancelled when the process
// exits, leaving nothing in the cache.
class OptimizedBuildQueue {
 public:
  static OptimizedBuildQueue& instance();
  void enqueue(std::vector<std::uint8_t> bytes, EngineConfig config);
  // Blocks until the queue is empty and no build runs (tests, benchmarks).
  void drain();
  ~OptimizedBuildQueue();

 private:
  OptimizedBuildQueue() = default;
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace wasmops::engine
