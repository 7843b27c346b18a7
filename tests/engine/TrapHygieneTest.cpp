// 1,000 trapping calls on 2 threads leave RSS and the number of mappings
// where they were: a trap unwinds by siglongjmp and must not leak.
#include <malloc.h>

#include <fstream>
#include <thread>

#include "EngineFixture.h"
#include "engine/MemoryImage.h"

namespace wasmops::engine::testing {
namespace {

std::size_t mappingCount() {
  std::ifstream maps("/proc/self/maps");
  std::size_t n = 0;
  std::string line;
  while (std::getline(maps, line)) ++n;
  return n;
}

std::size_t rssPages() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident;
}

TEST_F(EngineTest, ThousandTrapsOnTwoThreadsLeakNothing) {
  // One malloc arena: otherwise glibc maps a new arena the first time the two
  // threads happen to contend, which on a loaded machine may be the measured
  // round rather than the warm-up, and counts as two new mappings.
  ::mallopt(M_ARENA_MAX, 1);
  // No idle memory reservations kept for reuse: a pool that keeps them grows
  // to the highest number of instances ever alive at once, which depends on
  // how the two threads happened to overlap (two mappings per reservation).
  // With none kept, every mapping an instance made must be gone again.
  MemoryImage::setLimits({.maxLive = MemoryPoolLimits{}.maxLive, .maxIdle = 0});
  struct RestoreLimits {
    ~RestoreLimits() { MemoryImage::setLimits({}); }
  } restore;
  auto cm = compileFixture("trap.wasm");
  ASSERT_TRUE(cm);
  auto work = [&](int calls, int* trapped) {
    Store store;
    auto* inst = instantiate(store, cm);
    if (!inst) return;
    for (int i = 0; i < calls; ++i) {
      auto r = inst->call(i % 2 ? "div" : "oob", i % 2 ? std::vector<wasmops_val>{i32(1), i32(0)} : std::vector<wasmops_val>{});
      if (r && r->trap) ++*trapped;
    }
  };
  // Warm up with the same work (thread stacks, allocator arenas and their
  // high-water marks), then measure a second identical round.
  int warm[2] = {0, 0};
  std::thread w1(work, 500, &warm[0]), w2(work, 500, &warm[1]);
  w1.join();
  w2.join();
  const auto mapsBefore = mappingCount();
  const auto rssBefore = rssPages();
  int trapped[2] = {0, 0};
  std::thread t1(work, 500, &trapped[0]), t2(work, 500, &trapped[1]);
  t1.join();
  t2.join();
  EXPECT_EQ(trapped[0] + trapped[1], 1000);
  EXPECT_LE(mappingCount(), mapsBefore);
  // Allow 1 MiB of allocator noise; a leak per trap would be far more.
  EXPECT_LE(rssPages(), rssBefore + 256);
}

}  // namespace
}  // namespace wasmops::engine::testing
