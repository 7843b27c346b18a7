#include "validate/Validator.h"

#include <gtest/gtest.h>

#include "WasmBuilder.h"
#include "base/MappedFile.h"
#include "validate/WabtBridge.h"

namespace wasmops::validate {
namespace {

using namespace wasmops::testing;

ValidationResult validateFixture(const std::string& name) {
  auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/" + name);
  EXPECT_TRUE(file) << file.error().format();
  return validateBinary(file->bytes());
}

TEST(Validator, ValidFixtures) {
  for (const char* f : {"command.wasm", "reactor.wasm", "library.wasm", "host_imports.wasm", "features.wasm", "named.wasm"}) {
    auto r = validateFixture(f);
    EXPECT_TRUE(r.ok()) << f << ": " << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  }
}

TEST(Validator, TypeMismatchIsLocated) {
  auto r = validateFixture("invalid_type_mismatch.wasm");
  EXPECT_EQ(r.verdict, Verdict::Invalid);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.diagnostics[0].message.find("type mismatch"), std::string::npos);
  ASSERT_TRUE(r.diagnostics[0].offset);
  EXPECT_GT(*r.diagnostics[0].offset, 8u);
}

TEST(Validator, FeaturesBeyond2Point0AreUnsupportedNotValid) {
  auto r = validateFixture("threads.wasm");
  EXPECT_EQ(r.verdict, Verdict::Unsupported);
  EXPECT_NE(r.diagnostics.at(0).message.find("threads"), std::string::npos);
}

// Components go to the component validator (tests/validate/ComponentValidatorTest.cpp):
// the empty component is valid, and another layer version is refused by name.
TEST(Validator, ComponentsAreValidatedAsComponents) {
  Bytes empty = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto r = validateBinary(empty);
  EXPECT_EQ(r.kind, binary::BinaryKind::Component);
  EXPECT_EQ(r.verdict, Verdict::Valid);
  EXPECT_TRUE(r.diagnostics.empty());
  Bytes otherVersion = {0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00};
  auto o = validateBinary(otherVersion);
  EXPECT_EQ(o.kind, binary::BinaryKind::Component);
  EXPECT_NE(o.verdict, Verdict::Valid);
  ASSERT_FALSE(o.diagnostics.empty());
}

TEST(Validator, MalformedIsReportedBeforeWabtSeesIt) {
  auto r = validateBinary(module({voidTypeSection(), section(3, vec(1, {0x00})), section(10, vec(1, {0x02, 0x00, 0x02}))}));
  EXPECT_EQ(r.verdict, Verdict::Malformed);
}

// The gaps wabt 1.0.32 leaves open (../shared/conformance/spec README).
TEST(Validator, EmptyDataOffsetExpressionIsATypeMismatch) {
  auto bytes = module({section(5, vec(1, {0x00, 0x01})), section(11, vec(1, cat({{0x00, 0x0b}, name("")})))});
  auto r = validateBinary(bytes);
  EXPECT_EQ(r.verdict, Verdict::Invalid);
  EXPECT_NE(r.diagnostics.at(0).message.find("type mismatch"), std::string::npos);
}

TEST(Validator, EmptyElementOffsetExpressionIsATypeMismatch) {
  auto bytes = module({section(4, vec(1, {0x70, 0x00, 0x01})), section(9, vec(1, {0x00, 0x0b, 0x00}))});
  auto r = validateBinary(bytes);
  EXPECT_EQ(r.verdict, Verdict::Invalid);
}

TEST(Validator, CallIndirectThroughExternrefTable) {
  Bytes body = {0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b};
  auto bytes = module({voidTypeSection(), section(3, vec(1, {0x00})), section(4, vec(1, {0x6f, 0x00, 0x01})),
                       section(10, cat({uleb(1), uleb(body.size()), body}))});
  auto r = validateBinary(bytes);
  EXPECT_EQ(r.verdict, Verdict::Invalid);
  EXPECT_NE(r.diagnostics.at(0).message.find("call_indirect"), std::string::npos);
}

TEST(Validator, HundredThousandFunctions) {
  auto r = validateBinary(manyFunctions(100000));
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
}

TEST(WabtBridge, PrintsText) {
  auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/library.wasm");
  ASSERT_TRUE(file);
  auto wabt = readAndValidateWithWabt(file->bytes(), true);
  ASSERT_TRUE(wabt.diagnostics.empty());
  auto text = writeWat(*wabt.module, false, false);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("(func $add (type 0) (param i32 i32) (result i32)"), std::string::npos) << *text;
  EXPECT_NE(text->find("i32.add"), std::string::npos);
}

}  // namespace
}  // namespace wasmops::validate
