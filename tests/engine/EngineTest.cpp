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
    EngineConfig config{tier, cacheDir_.string()};
    config.interruptible = true;
    Engine eng(config);
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

}  // namespace
}  // namespace wasmops::engine::testing
