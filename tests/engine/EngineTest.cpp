#include <cstring>
#include <fstream>
#include <thread>

#include "EngineFixture.h"

namespace wasmops::engine::testing {
namespace {

TEST_F(EngineTest, CallsInBothTiers) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Store store;
    auto* inst = instantiate(store, compileFixture("library.wasm", tier));
    ASSERT_TRUE(inst);
    auto r = inst->call("add", {i32(40), i32(2)});
    ASSERT_TRUE(r);
    ASSERT_FALSE(r->trap);
    EXPECT_EQ(r->results.at(0).i32, 42u) << toString(tier);
  }
}

TEST_F(EngineTest, TrapsAreTypedAndNamed) {
  Store store;
  auto* inst = instantiate(store, compileFixture("trap.wasm", Tier::Optimized));
  ASSERT_TRUE(inst);
  auto r = inst->call("div", {i32(1), i32(0)});
  ASSERT_TRUE(r && r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(r->trap->function, "div");
  r = inst->call("recurse", {wasmops_val{}});
  ASSERT_TRUE(r && r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::CallStackExhausted);
  // The instance is still usable for calls that do not trap.
  r = inst->call("div", {i32(9), i32(3)});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 3u);
}

TEST_F(EngineTest, TrapsCarryAWasmBacktraceInBothTiers) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Store store;
    auto* inst = instantiate(store, compileFixture("trap.wasm", tier));
    ASSERT_TRUE(inst);
    // Unbounded recursion: the frames nearest the trap are all "recurse".
    auto r = inst->call("recurse", {wasmops_val{}});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->function, "recurse") << toString(tier);
    ASSERT_GE(r->trap->backtrace.size(), 2u) << toString(tier);
    for (const auto& name : r->trap->backtrace) EXPECT_EQ(name, "recurse") << toString(tier);
  }
}

TEST_F(EngineTest, InterruptStopsALoopWithoutCalls) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Engine eng(EngineConfig{.tier = tier, .cacheDir = cacheDir_.string()});
    auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/spin.wasm");
    ASSERT_TRUE(file);
    auto compiled = eng.compile(file->bytes());
    ASSERT_TRUE(compiled) << compiled.error().message;
    Store store;
    auto inst = store.instantiate(*compiled, [](const std::string&, const std::string&) { return std::nullopt; });
    ASSERT_TRUE(inst);
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      store.interrupt();
    });
    auto r = (*inst)->call("spin", {});
    stopper.join();
    ASSERT_TRUE(r && r->trap) << toString(tier);
    EXPECT_EQ(r->trap->kind, TrapKind::Interrupted);
    // Every later call is refused the same way: the store stays interrupted.
    r = (*inst)->call("spin", {});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->kind, TrapKind::Interrupted);
  }
}

TEST_F(EngineTest, MemoryGrowHonoursTheStoreLimit) {
  Store store(Store::Limits{2 * 65536});
  auto* inst = instantiate(store, compileFixture("trap.wasm"));
  ASSERT_TRUE(inst);
  EXPECT_EQ(inst->call("grow", {i32(1)})->results.at(0).i32, 1u);
  EXPECT_EQ(inst->call("grow", {i32(1)})->results.at(0).i32, 0xffffffffu);
}

TEST_F(EngineTest, HostFunctionsAndTheirErrors) {
  // fixture: host_imports.wasm imports env.log (i32) and calls it from run.
  Store store;
  int seen = -1;
  binary::FuncType logType;
  logType.params = {{binary::ValKind::I32}};
  auto log = store.hostFunction(logType, [&](const wasmops_val* a, wasmops_val*) -> std::optional<std::string> {
    seen = static_cast<int>(a[0].i32);
    return std::nullopt;
  });
  binary::TableType tt;
  tt.limits.min = 2;
  tt.limits.max = 10;
  auto table = store.newTable(tt);
  binary::Limits ml;
  ml.min = 1;
  ml.max = 4;
  auto mem = store.newMemory(ml);
  wasmops_val g{};
  auto global = store.newGlobal({{binary::ValKind::I64}, true}, g);
  auto cm = compileFixture("host_imports.wasm");
  auto inst = store.instantiate(cm, [&](const std::string& m, const std::string& n) -> std::optional<Extern> {
    if (m != "env") return std::nullopt;
    if (n == "log") return log;
    if (n == "table") return table;
    if (n == "mem") return mem;
    if (n == "g") return global;
    return std::nullopt;
  });
  ASSERT_TRUE(inst) << inst.error().message;
  auto r = (*inst)->call("run", {});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(seen, 42);

  // An incompatible import is a link error, not a crash.
  Store other;
  auto wrong = other.hostFunction(binary::FuncType{}, [](const wasmops_val*, wasmops_val*) { return std::nullopt; });
  auto bad = other.instantiate(cm, [&](const std::string&, const std::string& n) -> std::optional<Extern> {
    if (n == "log") return wrong;
    return std::nullopt;
  });
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().link);
  EXPECT_NE(bad.error().message.find("incompatible import type"), std::string::npos);
}

TEST_F(EngineTest, CorruptCacheEntryIsRebuilt) {
  auto first = compileFixture("library.wasm");
  ASSERT_TRUE(first);
  const std::string path = first->artifactPath();
  first.reset();
  { std::ofstream(path, std::ios::trunc) << "garbage"; }
  auto second = compileFixture("library.wasm");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->artifactPath(), path);
  Store store;
  auto* inst = instantiate(store, second);
  ASSERT_TRUE(inst);
  EXPECT_EQ(inst->call("add", {i32(1), i32(2)})->results.at(0).i32, 3u);
}

TEST_F(EngineTest, SimdInBothTiers) {
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    Store store;
    auto* inst = instantiate(store, compileFixture("features.wasm", tier));
    ASSERT_TRUE(inst);
    auto r = inst->call("simd", {});
    ASSERT_TRUE(r && !r->trap);
    std::uint32_t lanes[4];
    std::memcpy(lanes, r->results.at(0).v128, 16);
    EXPECT_EQ(lanes[0], 2u);
    EXPECT_EQ(lanes[3], 5u) << toString(tier);
  }
}

TEST_F(EngineTest, SplitModuleRunsInBothTiers) {
  // Three units of about equal size; calls, call_indirect, multi-value and
  // traps cross them (fixture comment).
  const SplitPolicy threeUnits{.minSplitBytes = 0, .maxUnitBytes = 1, .maxUnits = 3};
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    auto cm = compileFixture("split.wasm", tier, threeUnits);
    ASSERT_TRUE(cm);
    EXPECT_EQ(cm->desc()->num_units, 3u) << toString(tier);
    Store store;
    auto* inst = instantiate(store, cm);
    ASSERT_TRUE(inst);
    EXPECT_EQ(inst->call("even", {i32(10)})->results.at(0).i32, 1u) << toString(tier);
    EXPECT_EQ(inst->call("odd", {i32(7)})->results.at(0).i32, 1u);
    EXPECT_EQ(inst->call("apply", {i32(0), i32(6), i32(7)})->results.at(0).i32, 13u);
    EXPECT_EQ(inst->call("apply", {i32(1), i32(6), i32(7)})->results.at(0).i32, 42u);
    EXPECT_EQ(inst->call("sum_pair", {i64(21)})->results.at(0).i64, 63u);
    EXPECT_EQ(inst->call("store_load", {i32(64), i32(0xdeadbeef)})->results.at(0).i32, 0xdeadbeefu);
    auto r = inst->call("div", {i32(1), i32(0)});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->kind, TrapKind::IntegerDivideByZero);
    // tcc may leave the division helper out of line: then the trap is not
    // attributed (never attributed to the wrong function).
    if (tier == Tier::Optimized || !r->trap->function.empty()) {
      EXPECT_EQ(r->trap->function, "div") << toString(tier);
    }
    r = inst->call("apply", {i32(2), i32(1), i32(1)});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->kind, TrapKind::UndefinedElement);
  }
}

TEST_F(EngineTest, SmallModulesStayOneUnit) {
  auto cm = compileFixture("split.wasm", Tier::Optimized);
  ASSERT_TRUE(cm);
  EXPECT_EQ(cm->desc()->num_units, 1u);
}

TEST(PartitionFunctions, UnitsOfAboutEqualCodeSizeInMultiplesOfTheJobs) {
  binary::Module m;
  for (int i = 0; i < 6; ++i) m.code.emplace_back().size = 10;
  auto split = [&](std::uint64_t minSplit, std::uint64_t maxUnit, std::uint32_t maxUnits, std::uint32_t jobs) {
    return partitionFunctions(m, {.minSplitBytes = minSplit, .maxUnitBytes = maxUnit, .maxUnits = maxUnits}, jobs);
  };
  using Starts = std::vector<std::uint32_t>;
  EXPECT_EQ(split(61, 1, 8, 2), Starts{0});             // below the threshold
  EXPECT_EQ(split(0, 100, 8, 1), Starts{0});            // fits one unit, one job
  EXPECT_EQ(split(0, 100, 8, 2), (Starts{0, 3}));       // ... but two jobs
  EXPECT_EQ(split(0, 20, 8, 1), (Starts{0, 2, 4}));     // 20 bytes a unit
  EXPECT_EQ(split(0, 20, 8, 2), (Starts{0, 2, 3, 5}));  // rounded up to 4
  EXPECT_EQ(split(0, 1, 100, 2).size(), 6u);            // one function each
  EXPECT_EQ(split(0, 1, 3, 2).size(), 3u);              // maxUnits wins
  // A function larger than a unit gets one of its own; what follows is not
  // cut into slivers.
  m.code[2].size = 1000;
  EXPECT_EQ(split(0, 300, 8, 1), (Starts{0, 2, 3}));
  EXPECT_EQ(partitionFunctions(binary::Module{}, {}, 2), Starts{0});
}

}  // namespace
}  // namespace wasmops::engine::testing
