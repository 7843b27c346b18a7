#include "base/Base64.h"

#include <gtest/gtest.h>

namespace wasmops::base {
namespace {

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("alice:s3cret"), "YWxpY2U6czNjcmV0");
  EXPECT_EQ(*base64Decode("YWxpY2U6czNjcmV0"), "alice:s3cret");
  EXPECT_EQ(*base64Decode("Zg=="), "f");
  EXPECT_EQ(*base64Decode("Zg"), "f");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(*base64Decode(base64Encode(all)), all);
  EXPECT_FALSE(base64Decode("Zm9v!"));
  EXPECT_FALSE(base64Decode("Z"));
}

}  // namespace
}  // namespace wasmops::base
