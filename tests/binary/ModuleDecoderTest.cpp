#include "binary/ModuleDecoder.h"

#include <gtest/gtest.h>

#include "WasmBuilder.h"

namespace wasmops::binary {
namespace {

using namespace wasmops::testing;

Error decodeError(const Bytes& bytes) {
  auto m = decodeModule(bytes);
  EXPECT_FALSE(m) << "expected the module to be rejected";
  return m ? Error() : m.error();
}

TEST(ModuleDecoder, EmptyModule) {
  auto m = decodeModule(header());
  ASSERT_TRUE(m) << m.error().format();
  EXPECT_TRUE(m->sections.empty());
  EXPECT_EQ(m->fileSize, 8u);
}

TEST(ModuleDecoder, EmptyFile) {
  auto e = decodeError({});
  EXPECT_EQ(e.code, ErrorCode::Malformed);
  EXPECT_NE(e.message.find("empty"), std::string::npos);
}

TEST(ModuleDecoder, WrongMagic) {
  auto e = decodeError({'(', 'm', 'o', 'd', 'u', 'l', 'e', ')'});
  EXPECT_NE(e.message.find("magic header not detected"), std::string::npos);
  EXPECT_NE(e.message.find("text"), std::string::npos);
}

TEST(ModuleDecoder, UnknownVersion) {
  auto e = decodeError({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00});
  EXPECT_NE(e.message.find("unknown binary version"), std::string::npos);
  EXPECT_EQ(e.offset, 4u);
}

TEST(ModuleDecoder, TruncatedHeader) {
  auto e = decodeError({0x00, 0x61, 0x73, 0x6d, 0x01});
  EXPECT_NE(e.message.find("unexpected end"), std::string::npos);
}

TEST(ModuleDecoder, SectionLargerThanFile) {
  auto bytes = module({Bytes{0x01, 0x20, 0x00}});
  auto e = decodeError(bytes);
  EXPECT_EQ(e.offset, 9u);
  EXPECT_NE(e.message.find("larger than"), std::string::npos);
}

TEST(ModuleDecoder, SectionsOutOfOrder) {
  auto bytes = module({section(3, vec(0, {})), voidTypeSection()});
  auto e = decodeError(bytes);
  EXPECT_NE(e.message.find("out of order"), std::string::npos);
  EXPECT_EQ(e.offset, 11u);
}

TEST(ModuleDecoder, DuplicateSection) {
  auto e = decodeError(module({voidTypeSection(), voidTypeSection()}));
  EXPECT_NE(e.message.find("duplicate"), std::string::npos);
}

TEST(ModuleDecoder, UnknownSectionId) {
  auto e = decodeError(module({section(14, {})}));
  EXPECT_NE(e.message.find("malformed section id"), std::string::npos);
}

TEST(ModuleDecoder, SectionSizeMismatch) {
  // A type section claiming one extra byte.
  auto e = decodeError(module({section(1, Bytes{0x01, 0x60, 0x00, 0x00, 0x00})}));
  EXPECT_NE(e.message.find("size mismatch"), std::string::npos);
}

TEST(ModuleDecoder, FunctionAndCodeCountsMustAgree) {
  auto e = decodeError(module({voidTypeSection(), section(3, vec(2, {0x00, 0x00})), section(10, vec(1, {0x02, 0x00, 0x0b}))}));
  EXPECT_NE(e.message.find("inconsistent lengths"), std::string::npos);
}

TEST(ModuleDecoder, DataCountWithoutDataSection) {
  auto e = decodeError(module({section(12, uleb(1))}));
  EXPECT_NE(e.message.find("data count and data section"), std::string::npos);
}

TEST(ModuleDecoder, GlobalInitializerWithoutEnd) {
  // global i32 immutable = i32.const 0, no `end`.
  auto e = decodeError(module({section(6, vec(1, {0x7f, 0x00, 0x41, 0x00}))}));
  EXPECT_EQ(e.code, ErrorCode::Malformed);
}

TEST(ModuleDecoder, BodyWithUnclosedBlock) {
  // block ... end, then the function's own end is missing.
  auto e = decodeError(module({voidTypeSection(), section(3, vec(1, {0x00})),
                               section(10, vec(1, {0x04, 0x00, 0x02, 0x40, 0x0b}))}));
  EXPECT_NE(e.message.find("unexpected end"), std::string::npos);
}

TEST(ModuleDecoder, IllegalOpcodeIsLocated) {
  auto bytes = module({voidTypeSection(), section(3, vec(1, {0x00})), section(10, vec(1, {0x03, 0x00, 0xff, 0x0b}))});
  auto e = decodeError(bytes);
  EXPECT_NE(e.message.find("illegal opcode 0xff"), std::string::npos);
  ASSERT_TRUE(e.offset);
  EXPECT_EQ(bytes.at(*e.offset), 0xff);
}

TEST(ModuleDecoder, TooManyLocalsIsALimit) {
  auto body = cat({uleb(1), uleb(100000), {0x7f, 0x0b}});
  auto e = decodeError(module({voidTypeSection(), section(3, vec(1, {0x00})), section(10, cat({uleb(1), uleb(body.size()), body}))}));
  EXPECT_EQ(e.code, ErrorCode::LimitExceeded);
}

TEST(ModuleDecoder, HostileVectorCountDoesNotAllocate) {
  // 2^32-1 types announced in a 5-byte section.
  auto e = decodeError(module({section(1, Bytes{0xff, 0xff, 0xff, 0xff, 0x0f})}));
  EXPECT_EQ(e.code, ErrorCode::Malformed);
}

TEST(ModuleDecoder, MemoryInitNeedsDataCount) {
  Bytes body = {0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  auto e = decodeError(module({voidTypeSection(), section(3, vec(1, {0x00})), section(5, vec(1, {0x00, 0x01})),
                               section(10, cat({uleb(1), uleb(body.size()), body}))}));
  EXPECT_NE(e.message.find("data count section required"), std::string::npos);
}

TEST(ModuleDecoder, HundredThousandFunctions) {
  auto bytes = manyFunctions(100000);
  auto m = decodeModule(bytes);
  ASSERT_TRUE(m) << m.error().format();
  EXPECT_EQ(m->functions.size(), 100000u);
  EXPECT_EQ(m->code.size(), 100000u);
}

TEST(ModuleDecoder, DetectsFeatures) {
  // i32.extend8_s in a body, and a passive data segment.
  Bytes body = {0x00, 0x41, 0x01, 0xc0, 0x1a, 0x0b};
  auto m = decodeModule(module({voidTypeSection(), section(3, vec(1, {0x00})), section(5, vec(1, {0x00, 0x01})),
                                section(10, cat({uleb(1), uleb(body.size()), body})),
                                section(11, vec(1, cat({{0x01}, name("xyz")})))}));
  ASSERT_TRUE(m) << m.error().format();
  EXPECT_TRUE(m->features.has(Feature::SignExtension));
  EXPECT_TRUE(m->features.has(Feature::BulkMemory));
  EXPECT_FALSE(m->features.has(Feature::Simd));
  ASSERT_EQ(m->datas.size(), 1u);
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[0].size, 3u);
}

TEST(ModuleDecoder, GcTypesDecode) {
  // rec { struct (field (mut i32)); array i8 }
  Bytes types = {0x01, 0x4e, 0x02, 0x5f, 0x01, 0x7f, 0x01, 0x5e, 0x78, 0x00};
  auto m = decodeModule(module({section(1, types)}));
  ASSERT_TRUE(m) << m.error().format();
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].kind, CompositeKind::Struct);
  EXPECT_EQ(m->types[1].kind, CompositeKind::Array);
  EXPECT_EQ(m->types[0].recGroup, m->types[1].recGroup);
  EXPECT_TRUE(m->features.has(Feature::Gc));
}

}  // namespace
}  // namespace wasmops::binary
