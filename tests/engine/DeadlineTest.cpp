// Epoch deadlines: a guest in a loop without calls is stopped at its
// deadline in both tiers; a deadline handler can let it go on; a store
// without a deadline, or whose deadline was cleared, runs normally.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "EngineFixture.h"
#include "engine/DeadlineTimer.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::engine::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Interrupts the store if the test has not finished in time, so that a
// broken deadline fails the test instead of hanging it.
class Backstop {
 public:
  explicit Backstop(Store& store) : thread_([this, &store] {
    for (int i = 0; i < 500 && !done_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!done_) {
      fired_ = true;
      store.interrupt();
    }
  }) {}
  ~Backstop() {
    done_ = true;
    thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  std::atomic<bool> done_{false}, fired_{false};
  std::thread thread_;
};

TEST_F(EngineTest, InfiniteLoopStopsAtItsDeadlineInBothTiers) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    auto cm = compileFixture("spin.wasm", tier);
    ASSERT_TRUE(cm);
    // The best of a few tries: a loaded machine may not run the timer
    // thread at once, but a missing loop check never stops at all.
    double best = 1e9;
    for (int attempt = 0; attempt < 5; ++attempt) {
      Store store;
      auto* inst = instantiate(store, cm);
      ASSERT_TRUE(inst);
      Backstop backstop(store);
      const auto deadline = Clock::now() + std::chrono::milliseconds(30);
      store.setDeadline(std::chrono::milliseconds(30));
      auto r = inst->call("spin", {});
      const double late = std::chrono::duration<double, std::milli>(Clock::now() - deadline).count();
      ASSERT_FALSE(backstop.fired()) << toString(tier) << ": the deadline did not stop the loop";
      ASSERT_TRUE(r && r->trap) << toString(tier);
      EXPECT_EQ(r->trap->kind, TrapKind::Interrupted);
      EXPECT_EQ(r->trap->message, "deadline reached");
      EXPECT_EQ(r->trap->function, "spin") << toString(tier);
      EXPECT_GE(late, -0.1) << "stopped before its deadline";
      best = std::min(best, late);
    }
    EXPECT_LE(best, 10.0) << toString(tier) << ": stopped " << best << " ms after the deadline at best";
    std::printf("[ deadline ] %s tier: stopped %.2f ms after the deadline (best of 5)\n", toString(tier), best);
  }
}

TEST_F(EngineTest, DeadlineHandlerLetsTheGuestGoOnThenStopsIt) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Store store;
    auto* inst = instantiate(store, compileFixture("counter_loop.wasm", tier));
    ASSERT_TRUE(inst);
    auto counter = inst->exported("n");
    ASSERT_TRUE(counter && counter->global);
    int calls = 0;
    std::vector<std::uint64_t> progress;
    store.onDeadline([&](Store&) {
      progress.push_back(counter->global->g.v.i64);
      if (++calls == 5) return Store::DeadlineAction::trap();
      return Store::DeadlineAction::continueFor(2);  // ticks
    });
    Backstop backstop(store);
    store.setEpochDeadline(2);
    auto r = inst->call("count", {});
    ASSERT_FALSE(backstop.fired()) << toString(tier);
    ASSERT_TRUE(r && r->trap) << toString(tier);
    EXPECT_EQ(r->trap->kind, TrapKind::Interrupted);
    EXPECT_EQ(calls, 5);
    ASSERT_EQ(progress.size(), 5u);
    // The guest ran between the handler's calls: its counter kept rising.
    for (std::size_t i = 1; i < progress.size(); ++i) EXPECT_GT(progress[i], progress[i - 1]) << toString(tier);
  }
}

TEST_F(EngineTest, ClearedOrDistantDeadlineLeavesCallsAlone) {
  Store store;
  auto* inst = instantiate(store, compileFixture("counter_loop.wasm", Tier::Fast));
  ASSERT_TRUE(inst);
  store.setDeadline(std::chrono::seconds(60));
  auto r = inst->call("quick", {});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 7u);
  store.setEpochDeadline(1);
  std::this_thread::sleep_for(EpochClock::period() * 3);
  // Past its deadline, a call stops at its first function entry.
  r = inst->call("quick", {});
  ASSERT_TRUE(r && r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::Interrupted);
  store.clearDeadline();
  r = inst->call("quick", {});
  ASSERT_TRUE(r && !r->trap) << "a cleared deadline still stopped the call";
  EXPECT_EQ(r->results.at(0).i32, 7u);
}

TEST_F(EngineTest, ManyStoresWithDeadlinesEachStopAtTheirOwn) {
  // One timer thread serves every store; the earliest deadline first.
  auto cm = compileFixture("spin.wasm", Tier::Fast);
  ASSERT_TRUE(cm);
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::atomic<int> stopped{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Store store;
      auto inst = store.instantiate(cm, [](const std::string&, const std::string&) { return std::nullopt; });
      if (!inst) return;
      Backstop backstop(store);
      store.setDeadline(std::chrono::milliseconds(20 + 20 * t));
      auto r = (*inst)->call("spin", {});
      if (r && r->trap && r->trap->kind == TrapKind::Interrupted && !backstop.fired()) ++stopped;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(stopped.load(), kThreads);
}

}  // namespace
}  // namespace wasmops::engine::testing
