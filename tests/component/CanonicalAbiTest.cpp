#include "component/CanonicalAbi.h"

#include <gtest/gtest.h>

#include <cstring>

#include <fmt/format.h>

#include "component/TestMemory.h"

namespace wasmops::component {
namespace {

using binary::StringEncoding;
using test::ReallocCall;
using test::TestMemory;

ValueTypePtr prim(ValueKind k) { return primitiveType(k); }
template <typename T>
T ok(Expected<T> e) {
  EXPECT_TRUE(e) << e.error().message;
  return e ? std::move(*e) : T{};
}

struct Harness {
  explicit Harness(StringEncoding encoding = StringEncoding::Utf8) {
    cx.encoding = encoding;
    cx.memory = &memory;
    cx.handles = &table;
    cx.call = &scope;
  }
  TestMemory memory;
  ResourceTable table{1};
  BorrowScope scope;
  AbiContext cx;
};

void expectTrap(const Expected<Value>& result, const std::string& words) {
  ASSERT_FALSE(result) << "no trap";
  EXPECT_EQ(result.error().message.rfind("trap: ", 0), 0u) << result.error().message;
  EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
}

// Lower then lift, through memory and (when the type is flat) through core values.
void roundTrip(const ValueTypePtr& type, const Value& value, StringEncoding encoding = StringEncoding::Utf8) {
  SCOPED_TRACE(fmt::format("{} in {}", toString(type->kind), binary::toString(encoding)));
  Harness h(encoding);
  const std::uint32_t ptr = 64;
  ASSERT_TRUE(store(h.cx, value, *type, ptr));
  auto loaded = load(h.cx, *type, ptr);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, value);
  if (type->flatTooWide) return;
  std::vector<CoreValue> flat;
  ASSERT_TRUE(lowerFlat(h.cx, value, *type, flat));
  ASSERT_EQ(flat.size(), type->flat.size());
  for (std::size_t i = 0; i < flat.size(); ++i) EXPECT_EQ(flat[i].type, type->flat[i]) << "core value " << i;
  std::size_t position = 0;
  auto lifted = liftFlat(h.cx, *type, flat, position);
  ASSERT_TRUE(lifted) << lifted.error().message;
  EXPECT_EQ(*lifted, value);
  EXPECT_EQ(position, flat.size());
}

TEST(CanonicalAbi, ScalarsRoundTrip) {
  roundTrip(prim(ValueKind::Bool), Value::boolean(true));
  roundTrip(prim(ValueKind::Bool), Value::boolean(false));
  roundTrip(prim(ValueKind::S8), Value::s8(-128));
  roundTrip(prim(ValueKind::U8), Value::u8(255));
  roundTrip(prim(ValueKind::S16), Value::s16(-12345));
  roundTrip(prim(ValueKind::U16), Value::u16(65535));
  roundTrip(prim(ValueKind::S32), Value::s32(INT32_MIN));
  roundTrip(prim(ValueKind::U32), Value::u32(0xdeadbeef));
  roundTrip(prim(ValueKind::S64), Value::s64(INT64_MIN));
  roundTrip(prim(ValueKind::U64), Value::u64(UINT64_MAX));
  roundTrip(prim(ValueKind::F32), Value::f32(-0.0f));
  roundTrip(prim(ValueKind::F32), Value::f32(3.25f));
  roundTrip(prim(ValueKind::F64), Value::f64(-1e300));
  roundTrip(prim(ValueKind::Char), Value::character(U'€'));
  roundTrip(prim(ValueKind::Char), Value::character(0x10ffff));
}

TEST(CanonicalAbi, StringsRoundTripInEveryEncoding) {
  const char* samples[] = {"", "hello", "h\xc3\xa9llo", "\xe2\x82\xac uro", "clef \xf0\x9d\x84\x9e astral", "\xc3\xbf\xc4\x80"};
  for (auto encoding : {StringEncoding::Utf8, StringEncoding::Utf16, StringEncoding::Latin1Utf16})
    for (const char* s : samples) roundTrip(prim(ValueKind::String), Value::string(s), encoding);
}

TEST(CanonicalAbi, CompositesRoundTrip) {
  auto str = prim(ValueKind::String);
  auto u8 = prim(ValueKind::U8);
  auto point = ok(recordType({{"x", prim(ValueKind::S32)}, {"y", prim(ValueKind::F64)}, {"tag", u8}}));
  roundTrip(point, Value::record({Value::s32(-5), Value::f64(2.5), Value::u8(9)}));
  auto tuple = ok(tupleType({u8, str, prim(ValueKind::U64)}));
  roundTrip(tuple, Value::tuple({Value::u8(1), Value::string("\xe2\x98\x83"), Value::u64(1ull << 40)}));
  auto listOfRecords = ok(listType(point));
  roundTrip(listOfRecords, Value::list({}));
  roundTrip(listOfRecords, Value::list({Value::record({Value::s32(1), Value::f64(0.5), Value::u8(2)}),
                                        Value::record({Value::s32(3), Value::f64(-0.0), Value::u8(4)})}));
  auto fixed = ok(fixedListType(prim(ValueKind::U16), 3));
  roundTrip(fixed, Value::fixedList({Value::u16(1), Value::u16(2), Value::u16(65535)}));
  auto variant = ok(variantType({{"a", u8}, {"b", prim(ValueKind::F32)}, {"c", prim(ValueKind::U64)}, {"d", nullptr}, {"e", str}}));
  roundTrip(variant, Value::variant(0, Value::u8(7)));
  roundTrip(variant, Value::variant(1, Value::f32(1.5f)));  // f32 payload travels in an i64 slot
  roundTrip(variant, Value::variant(2, Value::u64(UINT64_MAX)));
  roundTrip(variant, Value::variant(3));
  roundTrip(variant, Value::variant(4, Value::string("payload \xf0\x9f\x98\x80")), StringEncoding::Utf16);
  auto e = ok(enumType({"red", "green", "blue"}));
  roundTrip(e, Value::enumCase(2));
  auto opt = ok(optionType(str));
  roundTrip(opt, Value::none());
  roundTrip(opt, Value::some(Value::string("x")));
  auto res = ok(resultType(ok(listType(u8)), str));
  roundTrip(res, Value::ok(Value::list({Value::u8(1), Value::u8(2)})));
  roundTrip(res, Value::err(Value::string("bad")), StringEncoding::Latin1Utf16);
  auto bare = ok(resultType(nullptr, nullptr));
  roundTrip(bare, Value::err());
  std::vector<std::string> labels;
  for (int i = 0; i < 20; ++i) labels.push_back(fmt::format("f{}", i));
  auto flags = ok(flagsType(labels));
  roundTrip(flags, Value::flags((1u << 19) | 5));
  // Nested: list<option<tuple<string, list<char>>>>, and a record too wide to be flat.
  auto nested = ok(listType(ok(optionType(ok(tupleType({str, ok(listType(prim(ValueKind::Char)))}))))));
  roundTrip(nested, Value::list({Value::none(), Value::some(Value::tuple({Value::string("\xc3\xa9t\xc3\xa9"),
                                                                              Value::list({Value::character(U'\U0001F600')})}))}),
            StringEncoding::Latin1Utf16);
  std::vector<std::pair<std::string, ValueTypePtr>> wide;
  std::vector<Value> wideValue;
  for (int i = 0; i < 9; ++i) {
    wide.emplace_back(fmt::format("s{}", i), str);
    wideValue.push_back(Value::string(std::string(i, 'z')));
  }
  auto wideRecord = ok(recordType(wide));
  ASSERT_TRUE(wideRecord->flatTooWide);
  roundTrip(wideRecord, Value::record(wideValue));
}

TEST(CanonicalAbi, ByteListsLiftPackedAndLowerFromEitherForm) {
  auto u8 = primitiveType(ValueKind::U8);
  auto bytes = ok(listType(u8));
  const std::string data("\x00\x01\xff abc", 7);
  // Lowered from u8 items and from packed bytes: the same memory, one allocation each.
  std::vector<Value> items;
  for (unsigned char c : data) items.push_back(Value::u8(c));
  for (const Value& v : {Value::list(items), Value::bytes(data)}) {
    Harness h;
    std::vector<CoreValue> flat;
    ASSERT_TRUE(lowerFlat(h.cx, v, *bytes, flat));
    ASSERT_EQ(flat.size(), 2u);
    EXPECT_EQ(h.memory.calls, (std::vector<ReallocCall>{{0, 0, 1, 7}}));
    EXPECT_EQ(flat[1].bits, 7u);
    EXPECT_EQ(std::memcmp(h.memory.raw().data() + flat[0].bits, data.data(), 7), 0);
    std::size_t position = 0;
    Value lifted = ok(liftFlat(h.cx, *bytes, flat, position));
    EXPECT_TRUE(lifted.packed);  // one byte per element, not a Value each
    EXPECT_EQ(lifted.text, data);
    EXPECT_EQ(lifted, Value::list(items));  // equal to the same bytes as items
  }
  // Packed bytes where the type is not list<u8> are refused, not misread.
  auto words = ok(listType(primitiveType(ValueKind::U32)));
  EXPECT_FALSE(checkValue(Value::bytes("abcd"), *words));
  EXPECT_NE(Value::bytes("ab"), Value::bytes("ac"));
  EXPECT_NE(Value::bytes("a"), Value::list({Value::u32('a')}));
}

TEST(CanonicalAbi, Utf8StringIsCopiedWithOneAllocation) {
  Harness h(StringEncoding::Utf8);
  auto range = ok(lowerString(h.cx, "h\xc3\xa9llo"));
  EXPECT_EQ(h.memory.calls, (std::vector<ReallocCall>{{0, 0, 1, 6}}));
  EXPECT_EQ(range.second, 6u);
  EXPECT_EQ(std::memcmp(h.memory.raw().data() + range.first, "h\xc3\xa9llo", 6), 0);
}

TEST(CanonicalAbi, Utf16AllocatesTheWorstCaseThenShrinks) {
  // store_utf8_to_utf16: 2 bytes per UTF-8 byte, then realloc down to what was written.
  Harness h(StringEncoding::Utf16);
  auto range = ok(lowerString(h.cx, "h\xc3\xa9llo"));  // 6 UTF-8 bytes, 5 UTF-16 units
  ASSERT_EQ(h.memory.calls.size(), 2u);
  EXPECT_EQ(h.memory.calls[0], (ReallocCall{0, 0, 2, 12}));
  std::uint32_t first = 1024;  // TestMemory's first allocation
  EXPECT_EQ(h.memory.calls[1], (ReallocCall{first, 12, 2, 10}));
  EXPECT_EQ(range.second, 5u);
  const std::uint8_t expected[] = {'h', 0, 0xe9, 0, 'l', 0, 'l', 0, 'o', 0};
  EXPECT_EQ(std::memcmp(h.memory.raw().data() + range.first, expected, 10), 0);

  Harness astral(StringEncoding::Utf16);
  auto pair = ok(lowerString(astral.cx, "\xf0\x9d\x84\x9e"));  // U+1D11E: one surrogate pair
  EXPECT_EQ(astral.memory.calls, (std::vector<ReallocCall>{{0, 0, 2, 8}, {first, 8, 2, 4}}));
  EXPECT_EQ(pair.second, 2u);
  const std::uint8_t surrogates[] = {0x34, 0xd8, 0x1e, 0xdd};
  EXPECT_EQ(std::memcmp(astral.memory.raw().data() + pair.first, surrogates, 4), 0);

  Harness ascii(StringEncoding::Utf16);
  ok(lowerString(ascii.cx, "abc"));  // already the worst case: no shrink
  EXPECT_EQ(ascii.memory.calls, (std::vector<ReallocCall>{{0, 0, 2, 6}}));
}

TEST(CanonicalAbi, Latin1Utf16StaysLatin1WhenItCanAndShrinks) {
  Harness h(StringEncoding::Latin1Utf16);
  auto range = ok(lowerString(h.cx, "h\xc3\xa9llo"));  // 6 bytes in, 5 latin1 bytes out
  EXPECT_EQ(h.memory.calls, (std::vector<ReallocCall>{{0, 0, 2, 6}, {1024, 6, 2, 5}}));
  EXPECT_EQ(range.second, 5u);  // no UTF-16 tag
  const std::uint8_t expected[] = {'h', 0xe9, 'l', 'l', 'o'};
  EXPECT_EQ(std::memcmp(h.memory.raw().data() + range.first, expected, 5), 0);
}

TEST(CanonicalAbi, Latin1Utf16SwitchesToUtf16AtTheFirstWideCharacter) {
  // "aé€": latin1 until '€', then grow to 2 * 6, inflate "aé" in place, finish
  // in UTF-16 and shrink to the 3 units written; the count carries the tag.
  Harness h(StringEncoding::Latin1Utf16);
  auto range = ok(lowerString(h.cx, "a\xc3\xa9\xe2\x82\xac"));
  ASSERT_EQ(h.memory.calls.size(), 3u);
  EXPECT_EQ(h.memory.calls[0], (ReallocCall{0, 0, 2, 6}));
  EXPECT_EQ(h.memory.calls[1].oldSize, 6u);
  EXPECT_EQ(h.memory.calls[1].newSize, 12u);
  EXPECT_EQ(h.memory.calls[2].oldSize, 12u);
  EXPECT_EQ(h.memory.calls[2].newSize, 6u);
  EXPECT_EQ(range.second, 3u | kUtf16Tag);
  const std::uint8_t expected[] = {'a', 0, 0xe9, 0, 0xac, 0x20};
  EXPECT_EQ(std::memcmp(h.memory.raw().data() + range.first, expected, 6), 0);
  EXPECT_EQ(ok(liftString(h.cx, range.first, range.second)), "a\xc3\xa9\xe2\x82\xac");
}

TEST(CanonicalAbi, FloatsHaveTheirNansCanonicalised) {
  Harness h;
  auto f32 = prim(ValueKind::F32);
  auto f64 = prim(ValueKind::F64);
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::f32Bits(0xffc01234)};
  EXPECT_EQ(ok(liftFlat(h.cx, *f32, flat, p)).bits, 0x7fc00000u);
  p = 0;
  flat = {CoreValue::f64Bits(0xfff0000000000001ull)};
  EXPECT_EQ(ok(liftFlat(h.cx, *f64, flat, p)).bits, 0x7ff8000000000000ull);
  std::uint32_t payloadNan = 0x7f800001;
  std::memcpy(h.memory.raw().data() + 16, &payloadNan, 4);
  EXPECT_EQ(ok(load(h.cx, *f32, 16)).bits, 0x7fc00000u);
  // Lowering is deterministic: the canonical NaN too.
  std::vector<CoreValue> out;
  ASSERT_TRUE(lowerFlat(h.cx, Value::f32Bits(0x7fffffff), *f32, out));
  EXPECT_EQ(out[0].bits, 0x7fc00000u);
  // Infinity is not a NaN.
  p = 0;
  flat = {CoreValue::f32Bits(0x7f800000)};
  EXPECT_EQ(ok(liftFlat(h.cx, *f32, flat, p)).bits, 0x7f800000u);
}

TEST(CanonicalAbi, BoolIsAnyNonZeroAndIntegersWrap) {
  Harness h;
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i32(7)};
  EXPECT_EQ(ok(liftFlat(h.cx, *prim(ValueKind::Bool), flat, p)), Value::boolean(true));
  h.memory.raw()[8] = 0x80;
  EXPECT_EQ(ok(load(h.cx, *prim(ValueKind::Bool), 8)), Value::boolean(true));
  // lift_flat_unsigned/signed take the low bits of the i32.
  p = 0;
  flat = {CoreValue::i32(0x1ff)};
  EXPECT_EQ(ok(liftFlat(h.cx, *prim(ValueKind::U8), flat, p)), Value::u8(0xff));
  p = 0;
  flat = {CoreValue::i32(0xff)};
  EXPECT_EQ(ok(liftFlat(h.cx, *prim(ValueKind::S8), flat, p)), Value::s8(-1));
}

TEST(CanonicalAbi, FlagsIgnoreBitsBeyondTheirLabels) {
  // unpack_flags_from_int reads one bit per label; the spec does not trap on the rest.
  Harness h;
  auto flags = ok(flagsType({"a", "b", "c"}));
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i32(0xf5)};
  EXPECT_EQ(ok(liftFlat(h.cx, *flags, flat, p)), Value::flags(0x5));
}

// ---- traps -----------------------------------------------------------------

TEST(CanonicalAbiTrap, MisalignedLoad) {
  Harness h;
  expectTrap(load(h.cx, *prim(ValueKind::U32), 2), "not aligned to 4");
}

TEST(CanonicalAbiTrap, LoadOutOfBounds) {
  Harness h;
  auto end = static_cast<std::uint32_t>(h.memory.raw().size());
  expectTrap(load(h.cx, *prim(ValueKind::U64), end - 4), "not aligned to 8");  // alignment is checked first
  expectTrap(load(h.cx, *prim(ValueKind::U64), end), "out of bounds");
}

TEST(CanonicalAbiTrap, StringOutOfBounds) {
  Harness h;
  auto end = static_cast<std::uint32_t>(h.memory.raw().size());
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i32(end - 2), CoreValue::i32(3)};
  expectTrap(liftFlat(h.cx, *prim(ValueKind::String), flat, p), "out of bounds");
  // The pointer plus length overflows 32 bits: still out of bounds, not wrapped.
  p = 0;
  flat = {CoreValue::i32(0xffffff00), CoreValue::i32(0x1000)};
  expectTrap(liftFlat(h.cx, *prim(ValueKind::String), flat, p), "out of bounds");
}

TEST(CanonicalAbiTrap, StringLongerThanTheLimit) {
  Harness h;
  auto r = liftString(h.cx, 0, 1u << 28);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("more than the limit"), std::string::npos);
}

TEST(CanonicalAbiTrap, MisalignedUtf16String) {
  Harness h(StringEncoding::Utf16);
  auto r = liftString(h.cx, 33, 1);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not aligned to 2"), std::string::npos);
}

TEST(CanonicalAbiTrap, InvalidUtf8) {
  Harness h;
  const std::uint8_t bytes[] = {'o', 'k', 0xc0, 0x80};  // an overlong NUL
  std::memcpy(h.memory.raw().data() + 100, bytes, 4);
  auto r = liftString(h.cx, 100, 4);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(r.error().message.find("0x66"), std::string::npos) << r.error().message;  // byte 102
}

TEST(CanonicalAbiTrap, UnpairedSurrogateInUtf16) {
  Harness h(StringEncoding::Latin1Utf16);
  const std::uint8_t bytes[] = {'a', 0, 0x00, 0xdc};
  std::memcpy(h.memory.raw().data() + 100, bytes, 4);
  auto r = liftString(h.cx, 100, 2 | kUtf16Tag);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unpaired surrogate 0xdc00"), std::string::npos) << r.error().message;
}

TEST(CanonicalAbiTrap, CharOutOfRangeOrSurrogate) {
  Harness h;
  for (std::uint32_t bad : {0xd800u, 0xdfffu, 0x110000u}) {
    std::size_t p = 0;
    std::vector<CoreValue> flat = {CoreValue::i32(bad)};
    expectTrap(liftFlat(h.cx, *prim(ValueKind::Char), flat, p), "not a Unicode scalar value");
  }
  std::uint32_t big = 0x110000;
  std::memcpy(h.memory.raw().data() + 8, &big, 4);
  expectTrap(load(h.cx, *prim(ValueKind::Char), 8), "not a Unicode scalar value");
}

TEST(CanonicalAbiTrap, DiscriminantOutOfRange) {
  Harness h;
  auto opt = ok(optionType(prim(ValueKind::U32)));
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i32(2), CoreValue::i32(0)};
  expectTrap(liftFlat(h.cx, *opt, flat, p), "discriminant 2");
  auto e = ok(enumType({"a", "b", "c"}));
  h.memory.raw()[8] = 3;
  expectTrap(load(h.cx, *e, 8), "discriminant 3 at 0x8");
}

TEST(CanonicalAbiTrap, ListLongerThanTheLimitOrMisaligned) {
  Harness h;
  auto list = ok(listType(prim(ValueKind::U32)));
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i32(0), CoreValue::i32(1u << 26)};  // 2^28 bytes
  expectTrap(liftFlat(h.cx, *list, flat, p), "more than the limit");
  p = 0;
  flat = {CoreValue::i32(6), CoreValue::i32(1)};
  expectTrap(liftFlat(h.cx, *list, flat, p), "not aligned to 4");
}

TEST(CanonicalAbiTrap, ReallocResultMisalignedOrOutOfBounds) {
  Harness h(StringEncoding::Utf16);
  h.memory.forced = 1001;
  auto r = lowerString(h.cx, "abc");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("realloc's result"), std::string::npos);
  EXPECT_NE(r.error().message.find("not aligned"), std::string::npos);
  Harness far;
  far.memory.forced = 0xfffffff0;
  auto list = ok(listType(prim(ValueKind::U8)));
  std::vector<CoreValue> out;
  auto lowered = lowerFlat(far.cx, Value::list(std::vector<Value>(32, Value::u8(1))), *list, out);
  ASSERT_FALSE(lowered);
  EXPECT_NE(lowered.error().message.find("out of bounds"), std::string::npos);
}

TEST(CanonicalAbi, MismatchedInputsAreErrorsNotCrashes) {
  Harness h;
  std::size_t p = 0;
  std::vector<CoreValue> flat = {CoreValue::i64(1)};
  auto r = liftFlat(h.cx, *prim(ValueKind::U32), flat, p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("is a i64, a i32 was expected"), std::string::npos);
  std::vector<CoreValue> out;
  EXPECT_FALSE(lowerFlat(h.cx, Value::u32(1), *prim(ValueKind::String), out));
  EXPECT_FALSE(lowerFlat(h.cx, Value::string("\xff"), *prim(ValueKind::String), out));
  EXPECT_FALSE(lowerFlat(h.cx, Value::variant(5), *ok(enumType({"a"})), out));
  AbiContext noMemory;
  p = 0;
  flat = {CoreValue::i32(0), CoreValue::i32(0)};
  auto s = liftFlat(noMemory, *prim(ValueKind::String), flat, p);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("memory"), std::string::npos);
}

// ---- whole calls -----------------------------------------------------------

TEST(CanonicalAbiCall, SpilledParamsGoThroughOneAllocatedTuple) {
  std::vector<std::pair<std::string, ValueTypePtr>> params;
  std::vector<Value> args;
  for (std::uint32_t i = 0; i < 17; ++i) {
    params.emplace_back(fmt::format("p{}", i), prim(ValueKind::U32));
    args.push_back(Value::u32(i * 3));
  }
  auto fn = ok(functionType(params, prim(ValueKind::U8)));
  Harness h;
  auto flat = ok(lowerParams(h.cx, fn, args));
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(h.memory.calls, (std::vector<ReallocCall>{{0, 0, 4, 68}}));
  std::uint32_t seventeenth = 0;
  std::memcpy(&seventeenth, h.memory.raw().data() + flat[0].bits + 64, 4);
  EXPECT_EQ(seventeenth, 48u);
  // The callee's side reads them back through the pointer.
  EXPECT_EQ(ok(liftParams(h.cx, fn, flat)), args);
}

TEST(CanonicalAbiCall, FlatParamsAndResults) {
  auto fn = ok(functionType({{"a", prim(ValueKind::String)}, {"b", prim(ValueKind::F64)}}, prim(ValueKind::U32)));
  Harness h;
  std::vector<Value> args = {Value::string("x\xc3\xa9"), Value::f64(0.25)};
  auto flat = ok(lowerParams(h.cx, fn, args));
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_EQ(ok(liftParams(h.cx, fn, flat)), args);
  auto results = ok(lowerResults(h.cx, fn, Value::u32(9), flat));
  EXPECT_EQ(results, (std::vector<CoreValue>{CoreValue::i32(9)}));
  EXPECT_EQ(ok(liftResults(h.cx, fn, results)), std::optional<Value>(Value::u32(9)));
  EXPECT_FALSE(liftResults(h.cx, fn, {}));  // wrong count
}

TEST(CanonicalAbiCall, SpilledResultsGoThroughThePointer) {
  auto fn = ok(functionType({{"n", prim(ValueKind::U32)}}, prim(ValueKind::String)));
  Harness h;
  // A lowered import: the caller passes a return area as the last argument.
  std::vector<CoreValue> args = {CoreValue::i32(5), CoreValue::i32(200)};
  auto none = ok(lowerResults(h.cx, fn, Value::string("answer"), args));
  EXPECT_TRUE(none.empty());
  // A lifted export returns a pointer to (ptr, len).
  auto back = ok(liftResults(h.cx, fn, std::vector<CoreValue>{CoreValue::i32(200)}));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, Value::string("answer"));
  auto misaligned = liftResults(h.cx, fn, std::vector<CoreValue>{CoreValue::i32(202)});
  ASSERT_FALSE(misaligned);
  EXPECT_NE(misaligned.error().message.find("not aligned"), std::string::npos);
  std::vector<CoreValue> badReturnArea = {CoreValue::i32(5), CoreValue::i32(0xfffffffc)};
  auto outside = lowerResults(h.cx, fn, Value::string("x"), badReturnArea);
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message.find("out of bounds"), std::string::npos);
}

}  // namespace
}  // namespace wasmops::component
