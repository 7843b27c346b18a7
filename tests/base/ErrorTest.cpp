#include "base/Error.h"

#include <gtest/gtest.h>

namespace wasmops {
namespace {

Expected<int> half(int v) {
  if (v % 2) return makeErrorAt(ErrorCode::Invalid, 7, "odd");
  return v / 2;
}

Expected<int> quarter(int v) {
  WASMOPS_TRY(auto h, half(v));
  WASMOPS_TRY(auto q, half(h));
  return q;
}

TEST(Error, TryPropagatesTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto e = quarter(6);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::Invalid);
  EXPECT_EQ(e.error().offset, 7u);
}

TEST(Error, FormatNamesFileAndOffset) {
  Error e(ErrorCode::Malformed, "unexpected end");
  EXPECT_EQ(e.format(), "unexpected end");
  e.offset = 0x1a;
  EXPECT_EQ(e.format(), "at 0x1a: unexpected end");
  e.file = "a.wasm";
  EXPECT_EQ(e.format(), "a.wasm:0x1a: unexpected end");
}

TEST(Error, CodesHaveNamesAndExitStatus) {
  EXPECT_STREQ(errorCodeName(ErrorCode::Malformed), "Malformed");
  EXPECT_EQ(errorCodeExitStatus(ErrorCode::Usage), 2);
  EXPECT_EQ(errorCodeExitStatus(ErrorCode::Invalid), 1);
}

}  // namespace
}  // namespace wasmops
