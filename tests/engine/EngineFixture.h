#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/MappedFile.h"
#include "engine/Runtime.h"

namespace wasmops::engine::testing {

// An engine with a private, temporary artifact cache.
class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cacheDir_ = std::filesystem::temp_directory_path() /
                ("wasmops-engine-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(cacheDir_);
  }
  void TearDown() override { std::filesystem::remove_all(cacheDir_); }

  std::shared_ptr<CompiledModule> compileFixture(const std::string& name, Tier tier = Tier::Fast,
                                                 std::optional<SplitPolicy> split = std::nullopt) {
    auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/" + name);
    EXPECT_TRUE(file) << file.error().format();
    Engine engine(EngineConfig{.tier = tier, .cacheDir = cacheDir_.string(), .split = split});
    auto cm = engine.compile(file->bytes());
    EXPECT_TRUE(cm) << cm.error().format();
    return cm ? *cm : nullptr;
  }

  static Instance* instantiate(Store& store, std::shared_ptr<CompiledModule> cm) {
    auto inst = store.instantiate(std::move(cm), [](const std::string&, const std::string&) { return std::nullopt; });
    EXPECT_TRUE(inst) << (inst ? "" : inst.error().message);
    return inst ? *inst : nullptr;
  }

  std::filesystem::path cacheDir_;
};

inline wasmops_val i32(std::uint32_t v) {
  wasmops_val x{};
  x.i32 = v;
  return x;
}

inline wasmops_val i64(std::uint64_t v) {
  wasmops_val x{};
  x.i64 = v;
  return x;
}

}  // namespace wasmops::engine::testing
