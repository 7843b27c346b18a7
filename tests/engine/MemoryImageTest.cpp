// Copy-on-write instantiation: instances see the module's data through the
// image, their writes stay their own, a reused reservation comes back as
// the image (growth undone), modules whose data offsets are not constant
// copy as before, and the pool's limit is a clear error.
#include "engine/MemoryImage.h"

#include "EngineFixture.h"
#include "engine/MemoryReservation.h"

namespace wasmops::engine::testing {
namespace {

std::uint32_t load8(Instance* inst, std::uint32_t addr) {
  auto r = inst->call("load8", {i32(addr)});
  EXPECT_TRUE(r && !r->trap);
  return r && !r->trap ? r->results.at(0).i32 : 0xdead;
}

TEST_F(EngineTest, InstancesShareTheImageButNotTheirWrites) {
  ASSERT_TRUE(MemoryReservation::available());
  auto cm = compileFixture("image.wasm", Tier::Fast);
  ASSERT_TRUE(cm);
  ASSERT_TRUE(cm->memoryImage());
  Store a, b;
  auto* ia = instantiate(a, cm);
  auto* ib = instantiate(b, cm);
  ASSERT_TRUE(ia && ib);
  EXPECT_EQ(load8(ia, 16), static_cast<std::uint32_t>('h'));
  EXPECT_EQ(load8(ia, 65535), static_cast<std::uint32_t>('!'));
  ASSERT_TRUE(ia->call("store8", {i32(16), i32('J')}));
  EXPECT_EQ(load8(ia, 16), static_cast<std::uint32_t>('J'));
  EXPECT_EQ(load8(ib, 16), static_cast<std::uint32_t>('h')) << "a write of one instance reached another";
}

TEST_F(EngineTest, AReusedReservationComesBackAsTheImage) {
  auto cm = compileFixture("image.wasm", Tier::Fast);
  ASSERT_TRUE(cm && cm->memoryImage());
  const std::uint8_t* firstBase = nullptr;
  {
    Store s;
    auto* inst = instantiate(s, cm);
    ASSERT_TRUE(inst);
    firstBase = inst->memoryBytes("memory").data();
    ASSERT_TRUE(inst->call("store8", {i32(16), i32('J')}));
    ASSERT_TRUE(inst->call("store8", {i32(1000), i32(7)}));
    auto g = inst->call("grow", {});
    ASSERT_TRUE(g && !g->trap);
    ASSERT_EQ(g->results.at(0).i32, 1u);
    ASSERT_TRUE(inst->call("store8", {i32(70000), i32(9)}));
  }
  EXPECT_GE(cm->memoryImage()->stats().idle, 1u);
  Store s;
  auto* inst = instantiate(s, cm);
  ASSERT_TRUE(inst);
  EXPECT_EQ(inst->memoryBytes("memory").data(), firstBase) << "the idle reservation was not reused";
  EXPECT_EQ(inst->memoryBytes("memory").size(), 65536u) << "growth of the last user is visible";
  EXPECT_EQ(load8(inst, 16), static_cast<std::uint32_t>('h'));
  EXPECT_EQ(load8(inst, 1000), 0u);
  auto oob = inst->call("load8", {i32(70000)});
  ASSERT_TRUE(oob && oob->trap) << "the page grown by the last user is still accessible";
  auto g = inst->call("grow", {});
  ASSERT_TRUE(g && !g->trap);
  EXPECT_EQ(load8(inst, 70000), 0u) << "a grown page kept the last user's data";
}

// Released memories are restored two ways: pages within keepResidentBytes
// that the instance wrote are copied back from the image, the rest dropped.
// Either way the next user sees the image, whatever the split.
TEST_F(EngineTest, EveryKeepResidentSplitRestoresTheImage) {
  auto cm = compileFixture("image.wasm", Tier::Fast);
  ASSERT_TRUE(cm && cm->memoryImage());
  struct Restore {
    ~Restore() { MemoryImage::setLimits({}); }
  } restore;
  for (std::size_t keep : {std::size_t{0}, std::size_t{4096}, std::size_t{65536}, std::size_t{1} << 20}) {
    SCOPED_TRACE("keepResidentBytes " + std::to_string(keep));
    MemoryImage::setLimits({.keepResidentBytes = keep});
    for (int round = 0; round < 3; ++round) {
      Store s;
      auto* inst = instantiate(s, cm);
      ASSERT_TRUE(inst);
      EXPECT_EQ(load8(inst, 16), static_cast<std::uint32_t>('h'));
      EXPECT_EQ(load8(inst, 40000), 0u);
      EXPECT_EQ(load8(inst, 65535), static_cast<std::uint32_t>('!'));
      ASSERT_TRUE(inst->call("store8", {i32(16), i32('J')}));      // page 0: within every split but 0
      ASSERT_TRUE(inst->call("store8", {i32(40000), i32(5)}));     // page 9: beyond 4096
      ASSERT_TRUE(inst->call("store8", {i32(65535), i32('?')}));   // the last page
    }
  }
}

TEST_F(EngineTest, NonConstantDataOffsetsCopyAsBefore) {
  auto cm = compileFixture("image_global_offset.wasm", Tier::Fast);
  ASSERT_TRUE(cm);
  EXPECT_FALSE(cm->memoryImage());
  Store store;
  auto base = store.newGlobal(binary::GlobalType{binary::ValType{binary::ValKind::I32}, false}, i32(100));
  auto inst = store.instantiate(cm, [&](const std::string&, const std::string&) -> std::optional<Extern> { return base; });
  ASSERT_TRUE(inst);
  EXPECT_EQ(load8(*inst, 100), static_cast<std::uint32_t>('m'));
}

TEST_F(EngineTest, PoolLimitIsAClearError) {
  auto cm = compileFixture("image.wasm", Tier::Fast);
  ASSERT_TRUE(cm && cm->memoryImage());
  MemoryImage::setLimits({.maxLive = 2, .maxIdle = 64});
  Store a, b, c;
  EXPECT_TRUE(a.instantiate(cm, [](const std::string&, const std::string&) { return std::nullopt; }));
  EXPECT_TRUE(b.instantiate(cm, [](const std::string&, const std::string&) { return std::nullopt; }));
  auto third = c.instantiate(cm, [](const std::string&, const std::string&) { return std::nullopt; });
  MemoryImage::setLimits({});
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().message.find("instance pool exhausted"), std::string::npos) << third.error().message;
}

}  // namespace
}  // namespace wasmops::engine::testing
