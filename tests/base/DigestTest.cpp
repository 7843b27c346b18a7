#include "base/Digest.h"

#include <gtest/gtest.h>

namespace wasmops::base {
namespace {

TEST(Digest, ParsesOnlySha256WithLowercaseHex) {
  auto d = Digest::of(std::string_view("hello"));
  EXPECT_EQ(d.str(), "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(*Digest::parse(d.str()), d);
  EXPECT_EQ(Digest::parse("sha512:abc").error().code, ErrorCode::Unsupported);
  EXPECT_EQ(Digest::parse("sha256:" + std::string(63, 'a')).error().code, ErrorCode::Invalid);
  EXPECT_EQ(Digest::parse("sha256:" + std::string(64, 'g')).error().code, ErrorCode::Invalid);
  EXPECT_EQ(Digest::parse("2cf24dba").error().code, ErrorCode::Invalid);
}

}  // namespace
}  // namespace wasmops::base
