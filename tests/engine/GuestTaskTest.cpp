// Guests on fibers: two CPU-bound guests share one thread through yields at
// their deadlines, unbounded recursion on a fiber's stack is a trap with the
// host intact, a suspended task is cancelled cleanly.
#include "engine/GuestTask.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "EngineFixture.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::engine::testing {
namespace {

TEST_F(EngineTest, TaskWithoutYieldsRunsToItsEnd) {
  Store store;
  auto* inst = instantiate(store, compileFixture("library.wasm", Tier::Fast));
  ASSERT_TRUE(inst);
  GuestTask task(*inst, "add", {i32(40), i32(2)});
  EXPECT_TRUE(task.resume());
  ASSERT_TRUE(task.outcome());
  ASSERT_FALSE(task.outcome()->trap);
  EXPECT_EQ(task.outcome()->results.at(0).i32, 42u);
  EXPECT_EQ(task.yields(), 0u);
}

TEST_F(EngineTest, TwoCpuBoundGuestsShareOneThroughYields) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    auto cm = compileFixture("counter_loop.wasm", tier);
    ASSERT_TRUE(cm);
    Store storeA, storeB;
    auto* a = instantiate(storeA, cm);
    auto* b = instantiate(storeB, cm);
    ASSERT_TRUE(a && b);
    for (Store* s : {&storeA, &storeB}) {
      s->onDeadline([](Store&) { return Store::DeadlineAction::yieldFor(1); });
      s->setEpochDeadline(1);
    }
    auto counterA = a->exported("n"), counterB = b->exported("n");
    ASSERT_TRUE(counterA && counterB);
    auto taskA = std::make_unique<GuestTask>(*a, "count", std::vector<wasmops_val>{});
    auto taskB = std::make_unique<GuestTask>(*b, "count", std::vector<wasmops_val>{});
    // If yielding did not work, resume() would never return: interrupt both
    // after 10 s so that the test fails instead of hanging.
    std::atomic<bool> done{false};
    std::thread backstop([&] {
      for (int i = 0; i < 1000 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!done) {
        storeA.interrupt();
        storeB.interrupt();
      }
    });
    // Round 0 may pause both at once (their first deadline passed while the
    // other was set up); from then on each runs a time slice per round.
    int roundsWithProgressOfBoth = 0;
    for (int round = 0; round < 10; ++round) {
      const auto a0 = counterA->global->g.v.i64, b0 = counterB->global->g.v.i64;
      const bool aDone = taskA->resume();
      const bool bDone = taskB->resume();
      if (aDone || bDone) break;
      if (round > 0 && counterA->global->g.v.i64 > a0 && counterB->global->g.v.i64 > b0) ++roundsWithProgressOfBoth;
    }
    done = true;
    backstop.join();
    ASSERT_FALSE(taskA->finished()) << toString(tier) << ": an endless loop finished (the backstop interrupted it?)";
    EXPECT_EQ(roundsWithProgressOfBoth, 9) << toString(tier);
    EXPECT_EQ(taskA->yields(), 10u);
    EXPECT_EQ(taskB->yields(), 10u);
    // Cancelling a paused task: it traps out of the guest, nothing leaks.
    auto* raw = taskA.get();
    taskA.reset();
    (void)raw;
    EXPECT_FALSE(taskB->finished());
    taskB.reset();
    // The stores still serve ordinary calls.
    storeA.clearDeadline();
    auto r = a->call("quick", {});
    ASSERT_TRUE(r && !r->trap) << toString(tier);
    EXPECT_EQ(r->results.at(0).i32, 7u);
  }
}

TEST_F(EngineTest, RecursionOnAFiberIsATrapWithTheHostIntact) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Store store;
    auto* inst = instantiate(store, compileFixture("trap.wasm", tier));
    ASSERT_TRUE(inst);
    GuestTask task(*inst, "recurse", {wasmops_val{}}, GuestTask::Options{.stackBytes = 1u << 20});
    EXPECT_TRUE(task.resume());
    ASSERT_TRUE(task.outcome());
    ASSERT_TRUE(task.outcome()->trap) << toString(tier);
    EXPECT_EQ(task.outcome()->trap->kind, TrapKind::CallStackExhausted);
    // On the thread's own stack afterwards, calls work and recursion still traps.
    auto r = inst->call("div", {i32(9), i32(3)});
    ASSERT_TRUE(r && !r->trap);
    EXPECT_EQ(r->results.at(0).i32, 3u);
    r = inst->call("recurse", {wasmops_val{}});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->kind, TrapKind::CallStackExhausted);
  }
}

}  // namespace
}  // namespace wasmops::engine::testing
