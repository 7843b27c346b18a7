// http::Admission: at most maxActive guests at once, a bounded FIFO queue
// behind them, 503 beyond; release() hands the slot to the oldest queued
// callback. Also under many threads admitting and releasing at once: exact
// counts, never more than maxActive running, no callback lost or run twice.
#include "http/Admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wasmops::http {
namespace {

using V = Admission::Verdict;

TEST(Admission, RunsUpToMaxActiveThenQueuesThenRejects) {
  Admission a(2, 3);
  int called = 0;
  auto cb = [&] { ++called; };
  EXPECT_EQ(a.admit(cb), V::Run);
  EXPECT_EQ(a.admit(cb), V::Run);
  EXPECT_EQ(a.active(), 2u);
  EXPECT_EQ(a.queued(), 0u);
  EXPECT_EQ(a.admit(cb), V::Queued);
  EXPECT_EQ(a.admit(cb), V::Queued);
  EXPECT_EQ(a.admit(cb), V::Queued);
  EXPECT_EQ(a.queued(), 3u);
  EXPECT_EQ(a.admit(cb), V::Rejected);
  EXPECT_EQ(a.admit(cb), V::Rejected);
  EXPECT_EQ(a.active(), 2u);
  EXPECT_EQ(a.queued(), 3u);
  EXPECT_EQ(called, 0);  // admit never calls the callback itself
}

TEST(Admission, ReleaseHandsTheSlotToTheOldestQueuedCallback) {
  Admission a(1, 10);
  std::vector<int> order;
  ASSERT_EQ(a.admit([] {}), V::Run);
  for (int i = 1; i <= 4; ++i) ASSERT_EQ(a.admit([&order, i] { order.push_back(i); }), V::Queued);
  a.release();
  EXPECT_EQ(order, (std::vector<int>{1}));
  EXPECT_EQ(a.active(), 1u);  // the slot passed on, it was not freed
  EXPECT_EQ(a.queued(), 3u);
  a.release();
  a.release();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(a.queued(), 1u);
  // A newcomer queues behind the one still waiting, even right after a release.
  ASSERT_EQ(a.admit([&order] { order.push_back(5); }), V::Queued);
  a.release();
  a.release();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(a.active(), 1u);
  a.release();  // the last one done: the slot is free now
  EXPECT_EQ(a.active(), 0u);
  EXPECT_EQ(a.queued(), 0u);
  EXPECT_EQ(a.admit([] {}), V::Run);
}

TEST(Admission, ReleaseWithAnEmptyQueueFreesTheSlot) {
  Admission a(2, 0);
  ASSERT_EQ(a.admit([] {}), V::Run);
  ASSERT_EQ(a.admit([] {}), V::Run);
  EXPECT_EQ(a.admit([] {}), V::Rejected);  // no queue at all
  a.release();
  EXPECT_EQ(a.active(), 1u);
  EXPECT_EQ(a.admit([] {}), V::Run);
  EXPECT_EQ(a.active(), 2u);
}

TEST(Admission, ExtraReleaseDoesNotWrapTheCountAround) {
  Admission a(1, 1);
  a.release();  // nothing was admitted: a caller bug, but it must not block everyone after it
  EXPECT_EQ(a.active(), 0u);
  EXPECT_EQ(a.admit([] {}), V::Run);
  EXPECT_EQ(a.admit([] {}), V::Queued);
}

TEST(Admission, TheCallbackRunsOutsideTheLock) {
  // The callback may look at the counts, admit another request, or even
  // release its slot at once (a request that fails immediately) without a deadlock.
  Admission a(1, 2);
  std::size_t seenActive = 99, seenQueued = 99;
  V nested = V::Run;
  ASSERT_EQ(a.admit([] {}), V::Run);
  ASSERT_EQ(a.admit([&] {
    seenActive = a.active();
    seenQueued = a.queued();
    nested = a.admit([] {});
    a.release();  // gives the slot on to the nested one
  }), V::Queued);
  a.release();
  EXPECT_EQ(seenActive, 1u);
  EXPECT_EQ(seenQueued, 0u);
  EXPECT_EQ(nested, V::Queued);
  EXPECT_EQ(a.active(), 1u);  // held by the nested one now
  EXPECT_EQ(a.queued(), 0u);
  a.release();
  EXPECT_EQ(a.active(), 0u);
}

// Many threads admit; a Run request runs at once, a Queued one is handed to
// a shared work queue by its callback (as the server hands it to its loop)
// and run by whichever thread takes it. Every request that was not rejected
// runs exactly once, never more than maxActive at a time.
struct Stress {
  Admission admission;
  std::atomic<int> running{0}, maxRunning{0};
  std::atomic<long> executed{0}, rejected{0}, queuedVerdicts{0}, callbacks{0};
  std::mutex mu;
  std::deque<long> handoff;
  std::vector<std::atomic<int>> runs;

  Stress(std::size_t maxActive, std::size_t maxQueued, std::size_t total) : admission(maxActive, maxQueued), runs(total) {}

  void run(long id) {
    const int now = ++running;
    int seen = maxRunning.load();
    while (now > seen && !maxRunning.compare_exchange_weak(seen, now)) {
    }
    if (id % 7 == 0) std::this_thread::yield();
    ++runs[static_cast<std::size_t>(id)];
    --running;
    ++executed;
    admission.release();
  }
  bool takeOne() {
    long id;
    {
      std::lock_guard lock(mu);
      if (handoff.empty()) return false;
      id = handoff.front();
      handoff.pop_front();
    }
    run(id);
    return true;
  }
  void thread(long first, long count, long total) {
    for (long id = first; id < first + count; ++id) {
      const V v = admission.admit([this, id] {
        ++callbacks;
        std::lock_guard lock(mu);
        handoff.push_back(id);
      });
      if (v == V::Run) run(id);
      else if (v == V::Queued) ++queuedVerdicts;
      else ++rejected;
      takeOne();
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (executed.load() + rejected.load() < total && std::chrono::steady_clock::now() < deadline)
      if (!takeOne()) std::this_thread::yield();
  }
};

void stress(std::size_t maxActive, std::size_t maxQueued, int threads, long perThread) {
  const long total = threads * perThread;
  Stress s(maxActive, maxQueued, static_cast<std::size_t>(total));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back([&s, t, perThread, total] { s.thread(t * perThread, perThread, total); });
  for (auto& th : pool) th.join();

  EXPECT_EQ(s.executed.load() + s.rejected.load(), total) << "a queued callback was lost";
  EXPECT_EQ(s.callbacks.load(), s.queuedVerdicts.load()) << "every Queued verdict gets exactly one callback";
  EXPECT_LE(s.maxRunning.load(), static_cast<int>(maxActive));
  EXPECT_GE(s.maxRunning.load(), 1);
  EXPECT_EQ(s.admission.active(), 0u);
  EXPECT_EQ(s.admission.queued(), 0u);
  EXPECT_TRUE(s.handoff.empty());
  long once = 0, never = 0, twice = 0;
  for (auto& r : s.runs) {
    const int n = r.load();
    if (n == 1) ++once;
    else if (n == 0) ++never;
    else ++twice;
  }
  EXPECT_EQ(twice, 0);
  EXPECT_EQ(once, s.executed.load());
  EXPECT_EQ(never, s.rejected.load());
}

TEST(Admission, ManyThreadsWithARoomyQueueRunEveryRequestExactlyOnce) {
  stress(3, 100'000, 8, 3'000);
}

TEST(Admission, ManyThreadsWithAShortQueueRejectSomeAndLoseNone) {
  stress(2, 4, 8, 3'000);
}

TEST(Admission, OneSlotIsMutualExclusion) {
  stress(1, 100'000, 6, 2'000);
}

TEST(Admission, ManyThreadsWithNoQueueOnlyRunOrReject) {
  const long total = 4 * 2'000;
  Stress s(2, 0, total);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t) pool.emplace_back([&s, t, total] { s.thread(t * 2'000L, 2'000, total); });
  for (auto& th : pool) th.join();
  EXPECT_EQ(s.queuedVerdicts.load(), 0);
  EXPECT_EQ(s.callbacks.load(), 0);
  EXPECT_EQ(s.executed.load() + s.rejected.load(), total);
  EXPECT_LE(s.maxRunning.load(), 2);
  EXPECT_EQ(s.admission.active(), 0u);
}

}  // namespace
}  // namespace wasmops::http
