// The tier policy of the engine's API, and "decode once, hash once": however
// many artifacts the policy looks up, one ModuleInput is hashed once and
// decoded at most once (its bodies only when an artifact is built).
#include "engine/TierPolicy.h"

#include "EngineFixture.h"

namespace wasmops::engine::testing {
namespace {

MappedFile fixture(const std::string& name) {
  auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/" + name);
  EXPECT_TRUE(file) << file.error().format();
  return std::move(*file);
}

TEST_F(EngineTest, ColdLoadHashesOnceAndDecodesOnce) {
  auto file = fixture("library.wasm");
  ModuleInput input(file.bytes());
  LoadPolicy policy;
  policy.cacheDir = cacheDir_.string();
  policy.backgroundOptimize = false;
  int builds = 0;
  policy.onBuild = [&](Tier tier, bool done) {
    EXPECT_EQ(tier, Tier::Fast);
    builds += done ? 0 : 1;
  };
  // Cold: the optimized lookup misses, the fast lookup misses, the fast build runs.
  auto cm = loadModule(input, policy);
  ASSERT_TRUE(cm) << cm.error().format();
  EXPECT_EQ(builds, 1);
  EXPECT_EQ((*cm)->artifactPath().find(cacheDir_.string()), 0u);
  EXPECT_EQ(input.counts().hashes, 1);
  EXPECT_EQ(input.counts().sectionDecodes, 1);
  EXPECT_EQ(input.counts().bodyDecodes, 1);

  // Warm: found in the cache from the sections alone.
  ModuleInput again(file.bytes());
  auto hit = loadModule(again, policy);
  ASSERT_TRUE(hit) << hit.error().format();
  EXPECT_EQ(builds, 1);
  EXPECT_EQ((*hit)->artifactPath(), (*cm)->artifactPath());
  EXPECT_EQ(again.counts().hashes, 1);
  EXPECT_EQ(again.counts().sectionDecodes, 1);
  EXPECT_EQ(again.counts().bodyDecodes, 0);
  Store store;
  auto* inst = instantiate(store, *hit);
  ASSERT_TRUE(inst);
  auto r = inst->call("add", {i32(40), i32(2)});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 42u);
}

TEST_F(EngineTest, MalformedBodyIsReportedWhenBuildingNotBefore) {
  // A body whose instructions are garbage: the sections decode (so a cached
  // artifact could be found), the build decodes the bodies and refuses it.
  auto file = fixture("library.wasm");
  std::vector<std::uint8_t> bytes(file.bytes().begin(), file.bytes().end());
  ModuleInput probe(bytes);
  auto sections = probe.sections();
  ASSERT_TRUE(sections);
  ASSERT_FALSE((*sections)->code.empty());
  const auto& body = (*sections)->code.front();
  ASSERT_GT(body.size, 1u);
  bytes[body.codeOffset] = 0xff;  // no such opcode
  ModuleInput input(bytes);
  Engine engine(EngineConfig{.tier = Tier::Fast, .cacheDir = cacheDir_.string()});
  auto cm = engine.compile(input);
  ASSERT_FALSE(cm);
  EXPECT_EQ(cm.error().code, ErrorCode::Malformed) << cm.error().format();
  EXPECT_EQ(input.counts().bodyDecodes, 1);
}

TEST_F(EngineTest, FixedTierBuildsOnlyThatTier) {
  auto file = fixture("library.wasm");
  ModuleInput input(file.bytes());
  LoadPolicy policy;
  policy.tier = Tier::Optimized;
  policy.cacheDir = cacheDir_.string();
  auto cm = loadModule(input, policy);
  ASSERT_TRUE(cm) << cm.error().format();
  Engine fast(EngineConfig{.tier = Tier::Fast, .cacheDir = cacheDir_.string()});
  EXPECT_FALSE(fast.compile(file.bytes(), Engine::Lookup::CachedOnly));
}

TEST_F(EngineTest, PolicyRunsFastNowAndOptimizesInTheBackground) {
  auto file = fixture("library.wasm");
  ModuleInput input(file.bytes());
  LoadPolicy policy;
  policy.cacheDir = cacheDir_.string();
  auto first = loadModule(input, policy);
  ASSERT_TRUE(first) << first.error().format();
  Engine optimized(EngineConfig{.tier = Tier::Optimized, .cacheDir = cacheDir_.string()});
  OptimizedBuildQueue::instance().drain();
  auto built = optimized.compile(file.bytes(), Engine::Lookup::CachedOnly);
  ASSERT_TRUE(built) << "the background build left no optimized artifact";
  EXPECT_NE((*built)->artifactPath(), (*first)->artifactPath());
  // The next load takes the optimized artifact.
  ModuleInput again(file.bytes());
  auto second = loadModule(again, policy);
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)->artifactPath(), (*built)->artifactPath());
}

}  // namespace
}  // namespace wasmops::engine::testing
