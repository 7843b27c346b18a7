#include "binary/InstructionReader.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasmops::binary {
namespace {

// Owns the bytes: instructions point into them (v128 immediates).
struct Decoded {
  std::vector<std::uint8_t> bytes;
  std::vector<Instruction> instrs;
  std::vector<std::size_t> labelCounts;
  FeatureSet features;
  std::optional<Error> error;
};

Decoded decodeAll(std::vector<std::uint8_t> bytes) {
  Decoded d;
  d.bytes = std::move(bytes);
  ByteReader r(d.bytes, 0);
  InstructionReader ir(r, d.features, false);
  while (!r.atEnd()) {
    Instruction in;
    auto ok = ir.next(in);
    if (!ok) {
      d.error = ok.error();
      break;
    }
    d.labelCounts.push_back(in.labels.size());
    in.labels = {};  // points into the reader, which does not outlive this loop
    d.instrs.push_back(in);
  }
  return d;
}

TEST(InstructionReader, Immediates) {
  auto d = decodeAll({0x41, 0x7f, 0x28, 0x02, 0x10, 0x11, 0x03, 0x01, 0x0e, 0x02, 0x00, 0x01, 0x02});
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.instrs.size(), 4u);
  EXPECT_EQ(static_cast<std::uint32_t>(d.instrs[0].bits), 0xffffffffu);
  EXPECT_EQ(d.instrs[1].align, 2u);
  EXPECT_EQ(d.instrs[1].memOffset, 16u);
  EXPECT_EQ(d.instrs[2].index, 3u);
  EXPECT_EQ(d.instrs[2].index2, 1u);
  EXPECT_EQ(d.labelCounts[3], 3u);
  EXPECT_TRUE(d.features.has(Feature::ReferenceTypes));  // call_indirect through table 1
}

TEST(InstructionReader, PrefixedOpcodes) {
  auto d = decodeAll({0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xfc, 0x00, 0xfe, 0x03, 0x00});
  ASSERT_FALSE(d.error) << d.error->format();
  ASSERT_EQ(d.instrs.size(), 3u);
  EXPECT_EQ(d.instrs[0].opcode, op::V128Const);
  EXPECT_EQ(d.instrs[0].bytes16[15], 16);
  EXPECT_TRUE(d.features.has(Feature::Simd));
  EXPECT_TRUE(d.features.has(Feature::NonTrappingFloatToInt));
  EXPECT_TRUE(d.features.has(Feature::Threads));
}

TEST(InstructionReader, IllegalOpcode) {
  auto d = decodeAll({0x01, 0x27});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->offset, 1u);
  EXPECT_NE(d.error->message.find("illegal opcode 0x27"), std::string::npos);
}

TEST(InstructionReader, TruncatedImmediate) {
  auto d = decodeAll({0x44, 0x00, 0x00});
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->message.find("unexpected end"), std::string::npos);
}

TEST(InstructionReader, HostileBrTableCount) {
  auto d = decodeAll({0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f});
  ASSERT_TRUE(d.error);
}

}  // namespace
}  // namespace wasmops::binary
