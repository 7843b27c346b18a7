#include "app/SpinTomlWriter.h"

#include <gtest/gtest.h>

namespace wasmops::app {
namespace {

TEST(SpinTomlWriter, QuotesWhatTomlNeedsQuoted) {
  EXPECT_EQ(tomlString("a\"b\\c\n\x01\x7f"), R"("a\"b\\c\n\u0001\u007F")");
  EXPECT_EQ(tomlKey("plain_key-1"), "plain_key-1");
  EXPECT_EQ(tomlKey("with space"), "\"with space\"");
  EXPECT_EQ(tomlKey(""), "\"\"");
}

}  // namespace
}  // namespace wasmops::app
