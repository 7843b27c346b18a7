#include "engine/TierPolicy.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace wasmops::engine {
namespace {

EngineConfig configFor(Tier tier, const LoadPolicy& policy) {
  EngineConfig config{.tier = tier, .cacheDir = policy.cacheDir};
  return config;
}

Expected<std::shared_ptr<CompiledModule>> cachedOrBuilt(ModuleInput& input, Tier tier, const LoadPolicy& policy) {
  Engine engine(configFor(tier, policy));
  if (auto cached = engine.compile(input, Engine::Lookup::CachedOnly)) return cached;
  if (policy.onBuild) policy.onBuild(tier, false);
  auto built = engine.compile(input);
  if (policy.onBuild) policy.onBuild(tier, true);
  return built;
}

}  // namespace

Expected<std::shared_ptr<CompiledModule>> loadModule(ModuleInput& input, const LoadPolicy& policy) {
  if (policy.tier) return cachedOrBuilt(input, *policy.tier, policy);
  if (auto cached = Engine(configFor(Tier::Optimized, policy)).compile(input, Engine::Lookup::CachedOnly)) return cached;
  WASMOPS_TRY(auto fast, cachedOrBuilt(input, Tier::Fast, policy));
  if (policy.backgroundOptimize) {
    if (policy.startOptimizedBuild) {
      policy.startOptimizedBuild();
    } else {
      auto config = configFor(Tier::Optimized, policy);
      config.background = true;
      OptimizedBuildQueue::instance().enqueue({input.bytes().begin(), input.bytes().end()}, config);
    }
  }
  return fast;
}

struct OptimizedBuildQueue::State {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<std::vector<std::uint8_t>, EngineConfig>> jobs;
  bool busy = false;
  std::atomic<bool> cancel{false};
  std::thread worker;
};

OptimizedBuildQueue& OptimizedBuildQueue::instance() {
  static OptimizedBuildQueue queue;
  return queue;
}

void OptimizedBuildQueue::enqueue(std::vector<std::uint8_t> bytes, EngineConfig config) {
  static std::once_flag started;
  std::call_once(started, [this] {
    state_ = std::make_shared<State>();
    state_->worker = std::thread([s = state_] {
      for (;;) {
        std::unique_lock lock(s->mu);
        s->cv.wait(lock, [&] { return s->cancel || !s->jobs.empty(); });
        if (s->cancel) return;
        auto job = std::move(s->jobs.front());
        s->jobs.pop_front();
        s->busy = true;
        lock.unlock();
        job.second.cancel = &s->cancel;
        (void)Engine(job.second).compile(job.first);  // a failure costs only the speed-up
        lock.lock();
        s->busy = false;
        s->cv.notify_all();
      }
    });
  });
  std::lock_guard lock(state_->mu);
  if (state_->jobs.size() >= 4) return;
  state_->jobs.emplace_back(std::move(bytes), std::move(config));
  state_->cv.notify_all();
}

void OptimizedBuildQueue::drain() {
  if (!state_) return;
  std::unique_lock lock(state_->mu);
  state_->cv.wait(lock, [&] { return state_->jobs.empty() && !state_->busy; });
}

OptimizedBuildQueue::~OptimizedBuildQueue() {
  if (!state_) return;
  state_->cancel = true;
  state_->cv.notify_all();
  if (state_->worker.joinable()) state_->worker.join();
}

}  // namespace wasmops::engine
