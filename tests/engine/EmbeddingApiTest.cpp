// The public API (include/wasmops/engine.h) passes v128, externref and
// funcref values both ways, and stops a call at its deadline.
#include <wasmops/engine.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

using namespace wasmops::embed;

std::vector<std::uint8_t> readFixture(const std::string& name) {
  std::ifstream in(std::string(WASMOPS_TEST_DATA) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class EmbeddingApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cacheDir_ = std::filesystem::temp_directory_path() / ("wasmops-embed-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { std::filesystem::remove_all(cacheDir_); }
  std::filesystem::path cacheDir_;
};

TEST_F(EmbeddingApiTest, V128AndReferenceValuesRoundTrip) {
  Engine engine(Tier::Fast, cacheDir_.string());
  auto module = engine.compile(readFixture("embed_values.wasm"));
  ASSERT_TRUE(module) << module.error;
  Store store;
  int hostObject = 0;
  std::array<std::uint8_t, 16> seen{};
  store.defineFunction("host", "mix", {ValueType::V128, ValueType::ExternRef}, {ValueType::ExternRef},
                       [&](std::span<const Value> args, std::span<Value> results) -> std::optional<std::string> {
                         seen = args[0].v128;
                         results[0] = Value::fromExternRef(args[1].ref);
                         return std::nullopt;
                       });
  auto inst = store.instantiate(*module);
  ASSERT_TRUE(inst) << inst.error;

  std::array<std::uint8_t, 16> a{}, b{};
  for (int i = 0; i < 16; ++i) {
    a[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    b[static_cast<std::size_t>(i)] = 1;
  }
  auto r = inst->call("v_add", {Value::fromV128(a), Value::fromV128(b)});
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.results.at(0).type, ValueType::V128);
  // Every lane of b is 0x01010101 and no byte of a carries: each byte + 1.
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(r.results[0].v128[i], i + 1) << "byte " << i;

  r = inst->call("ext_id", {Value::fromExternRef(&hostObject)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.results.at(0).type, ValueType::ExternRef);
  EXPECT_EQ(r.results[0].ref, &hostObject);
  r = inst->call("ext_is_null", {Value::fromExternRef(nullptr)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.results.at(0).i32, 1);
  r = inst->call("ext_is_null", {Value::fromExternRef(&hostObject)});
  EXPECT_EQ(r.results.at(0).i32, 0);

  auto f = inst->call("get_f", {Value::fromI32(0)});
  ASSERT_TRUE(f.ok()) << f.error;
  ASSERT_EQ(f.results.at(0).type, ValueType::FuncRef);
  EXPECT_NE(f.results[0].ref, nullptr);
  r = inst->call("fn_is_null", {f.results[0]});
  EXPECT_EQ(r.results.at(0).i32, 0);
  auto empty = inst->call("get_f", {Value::fromI32(1)});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.results.at(0).ref, nullptr);
  r = inst->call("fn_is_null", {Value::nullFuncRef()});
  EXPECT_EQ(r.results.at(0).i32, 1);

  r = inst->call("call_mix", {Value::fromV128(a), Value::fromExternRef(&hostObject)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(seen, a);
  EXPECT_EQ(r.results.at(0).ref, &hostObject);

  // A value of the wrong type is refused before the call.
  r = inst->call("ext_id", {Value::fromI32(1)});
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.error.empty());
}

TEST_F(EmbeddingApiTest, DeadlineStopsALoopAndAHandlerCanExtendIt) {
  Engine engine(Tier::Fast, cacheDir_.string());
  auto module = engine.compile(readFixture("spin.wasm"));
  ASSERT_TRUE(module) << module.error;
  Store store;
  auto inst = store.instantiate(*module);
  ASSERT_TRUE(inst) << inst.error;
  int extensions = 0;
  store.onDeadline([&]() -> std::optional<std::chrono::nanoseconds> {
    if (++extensions < 3) return std::chrono::milliseconds(5);
    return std::nullopt;
  });
  store.setDeadline(std::chrono::milliseconds(10));
  auto r = inst->call("spin", {});
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->message, "deadline reached");
  EXPECT_EQ(extensions, 3);
}

}  // namespace

namespace {

TEST_F(EmbeddingApiTest, TasksShareAThreadThroughTimeSlices) {
  Engine engine(Tier::Fast, cacheDir_.string());
  auto module = engine.compile(readFixture("counter_loop.wasm"));
  ASSERT_TRUE(module) << module.error;
  Store storeA, storeB;
  auto a = storeA.instantiate(*module);
  auto b = storeB.instantiate(*module);
  ASSERT_TRUE(a && b);
  storeA.setTimeSlice(std::chrono::milliseconds(2));
  storeB.setTimeSlice(std::chrono::milliseconds(2));
  Task ta = a->start("count", {});
  Task tb = b->start("count", {});
  int paused = 0;
  for (int round = 0; round < 5; ++round) {
    if (!ta.resume()) ++paused;
    if (!tb.resume()) ++paused;
  }
  EXPECT_EQ(paused, 10) << "an endless loop ended, or a task did not pause";
  EXPECT_FALSE(ta.result().ok());  // not finished yet
}

TEST_F(EmbeddingApiTest, TaskOfAFiniteCallGivesItsResults) {
  Engine engine(Tier::Fast, cacheDir_.string());
  auto module = engine.compile(readFixture("counter_loop.wasm"));
  ASSERT_TRUE(module) << module.error;
  Store store;
  auto inst = store.instantiate(*module);
  ASSERT_TRUE(inst);
  Task t = inst->start("quick", {});
  EXPECT_TRUE(t.resume());
  auto r = t.result();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.results.at(0).i32, 7);
  Task bad = inst->start("missing", {});
  EXPECT_TRUE(bad.resume());
  EXPECT_FALSE(bad.result().error.empty());
}

}  // namespace

namespace {

// The memory pool is configurable through the public API: the limit on live
// memories of one module holds, and the settings read back as set.
TEST_F(EmbeddingApiTest, MemoryPoolLimitsApplyThroughThePublicApi) {
  const MemoryPoolConfig before = memoryPool();
  struct Restore {
    MemoryPoolConfig config;
    ~Restore() { setMemoryPool(config); }
  } restore{before};
  Engine engine(Tier::Fast, cacheDir_.string());
  auto module = engine.compile(readFixture("image.wasm"));
  ASSERT_TRUE(module) << module.error;
  setMemoryPool({.maxLive = 1, .maxIdle = 4, .keepResidentBytes = 8192});
  const MemoryPoolConfig now = memoryPool();
  EXPECT_EQ(now.maxLive, 1u);
  EXPECT_EQ(now.maxIdle, 4u);
  EXPECT_EQ(now.keepResidentBytes, 8192u);
  Store a, b;
  auto first = a.instantiate(*module);
  ASSERT_TRUE(first) << first.error;
  auto second = b.instantiate(*module);
  EXPECT_FALSE(second);
  EXPECT_NE(second.error.find("instance pool exhausted"), std::string::npos) << second.error;
}

}  // namespace
