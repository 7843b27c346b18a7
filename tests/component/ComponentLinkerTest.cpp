#include "component/ComponentLinker.h"

#include <gtest/gtest.h>

namespace wasmops::component {
namespace {

HostFunction returns(std::uint32_t n) {
  return [n](std::span<const Value>) -> Expected<std::optional<Value>> { return Value::u32(n); };
}

TEST(SemverCompatible, FollowsWasmtimesCompatibilityKey) {
  EXPECT_TRUE(semverCompatible("0.2.3", "0.2.6"));
  EXPECT_TRUE(semverCompatible("0.2.6", "0.2.3"));
  EXPECT_FALSE(semverCompatible("0.2.3", "0.3.0"));
  EXPECT_TRUE(semverCompatible("1.2.0", "1.9.1"));
  EXPECT_FALSE(semverCompatible("1.2.0", "2.0.0"));
  EXPECT_TRUE(semverCompatible("0.0.3", "0.0.3"));
  EXPECT_FALSE(semverCompatible("0.0.3", "0.0.4"));
  EXPECT_TRUE(semverCompatible("0.2.0-rc.1", "0.2.0-rc.1"));
  EXPECT_FALSE(semverCompatible("0.2.0-rc.1", "0.2.0"));
  EXPECT_FALSE(semverCompatible("0.2", "0.2.0"));
  EXPECT_TRUE(semverCompatible("0.2.3+build", "0.2.5"));
}

TEST(ComponentLinker, LinksAnInterfaceToTheHighestCompatibleVersion) {
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("wasi:clocks/monotonic-clock@0.2.1", "now", returns(1)));
  ASSERT_TRUE(linker.define("wasi:clocks/monotonic-clock@0.2.6", "now", returns(6)));
  ASSERT_TRUE(linker.define("wasi:clocks/monotonic-clock@0.3.0", "now", returns(30)));
  EXPECT_EQ(linker.interfaceFor("wasi:clocks/monotonic-clock@0.2.3"), "wasi:clocks/monotonic-clock@0.2.6");
  EXPECT_EQ(linker.interfaceFor("wasi:clocks/monotonic-clock@0.3.1"), "wasi:clocks/monotonic-clock@0.3.0");
  EXPECT_EQ(linker.interfaceFor("wasi:clocks/monotonic-clock@0.2.1"), "wasi:clocks/monotonic-clock@0.2.1");
  EXPECT_FALSE(linker.interfaceFor("wasi:clocks/monotonic-clock@1.0.0"));
  EXPECT_FALSE(linker.interfaceFor("wasi:clocks/wall-clock@0.2.3"));
  EXPECT_FALSE(linker.interfaceFor("wasi:clocks/monotonic-clock"));
  const HostFunction* now = linker.function("wasi:clocks/monotonic-clock@0.2.6", "now");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ((*now)({})->value(), Value::u32(6));
  EXPECT_EQ(linker.function("wasi:clocks/monotonic-clock@0.2.6", "later"), nullptr);
}

TEST(ComponentLinker, PlainNamesMatchExactlyAndTwiceIsAnError) {
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("log", returns(0)));
  EXPECT_NE(linker.function("log"), nullptr);
  EXPECT_EQ(linker.function("logs"), nullptr);
  EXPECT_FALSE(linker.define("log", returns(0)));
  ASSERT_TRUE(linker.define("a:b/c@1.0.0", "f", returns(0)));
  EXPECT_FALSE(linker.define("a:b/c@1.0.0", "f", returns(0)));
}

}  // namespace
}  // namespace wasmops::component
