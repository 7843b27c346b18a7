#include "binary/ByteReader.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasmops::binary {
namespace {

ByteReader reader(const std::vector<std::uint8_t>& bytes) { return ByteReader(bytes, 100); }

TEST(ByteReader, UnsignedLeb) {
  std::vector<std::uint8_t> b = {0xe5, 0x8e, 0x26};
  auto r = reader(b);
  EXPECT_EQ(*r.u32(), 624485u);
  EXPECT_TRUE(r.atEnd());
}

TEST(ByteReader, PaddedLebIsAcceptedUpToItsMaximumLength) {
  std::vector<std::uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x00};
  auto r = reader(b);
  EXPECT_EQ(*r.u32(), 0u);
}

TEST(ByteReader, LebTooLongIsMalformedAtItsStart) {
  std::vector<std::uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  auto r = reader(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::Malformed);
  EXPECT_EQ(v.error().offset, 100u);
  EXPECT_NE(v.error().message.find("too long"), std::string::npos);
}

TEST(ByteReader, UnusedBitsOfLastByteMustBeZero) {
  std::vector<std::uint8_t> b = {0xff, 0xff, 0xff, 0xff, 0x1f};
  auto r = reader(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("too large"), std::string::npos);
  std::vector<std::uint8_t> ok = {0xff, 0xff, 0xff, 0xff, 0x0f};
  auto r2 = reader(ok);
  EXPECT_EQ(*r2.u32(), 0xffffffffu);
}

TEST(ByteReader, SignedLeb) {
  std::vector<std::uint8_t> minus1 = {0x7f};
  EXPECT_EQ(*reader(minus1).s32(), -1);
  std::vector<std::uint8_t> min32 = {0x80, 0x80, 0x80, 0x80, 0x78};
  EXPECT_EQ(*reader(min32).s32(), INT32_MIN);
  std::vector<std::uint8_t> bad = {0x80, 0x80, 0x80, 0x80, 0x70};  // sign bits disagree
  EXPECT_FALSE(reader(bad).s32());
  std::vector<std::uint8_t> min64 = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
  EXPECT_EQ(*reader(min64).s64(), INT64_MIN);
}

TEST(ByteReader, TruncatedLebReportsUnexpectedEnd) {
  std::vector<std::uint8_t> b = {0x80, 0x80};
  auto v = reader(b).u32();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("unexpected end"), std::string::npos);
}

TEST(ByteReader, NamesMustBeUtf8) {
  std::vector<std::uint8_t> good = {0x03, 'a', 0xc3, 0xa9};
  EXPECT_EQ(*reader(good).name(), "a\xc3\xa9");
  std::vector<std::uint8_t> bad = {0x02, 0xc0, 0x80};  // overlong encoding
  auto v = reader(bad).name();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("UTF-8"), std::string::npos);
}

TEST(ByteReader, CountCannotExceedRemainingBytes) {
  std::vector<std::uint8_t> b = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x00};
  auto v = reader(b).count(1);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().offset, 100u);
}

TEST(Utf8, RejectsSurrogatesAndOutOfRange) {
  EXPECT_TRUE(isValidUtf8("plain"));
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));
  EXPECT_FALSE(isValidUtf8("\xe2\x82"));
}

}  // namespace
}  // namespace wasmops::binary
