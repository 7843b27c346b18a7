#include "component/Wave.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

namespace wasmops::component {
namespace {

ValueTypePtr prim(ValueKind k) { return primitiveType(k); }
template <typename T>
T ok(Expected<T> e) {
  EXPECT_TRUE(e) << e.error().message;
  return e ? std::move(*e) : T{};
}

// Print, compare with the text wasm-wave's writer produces, parse back.
void printsAs(const ValueTypePtr& type, const Value& value, const std::string& text) {
  SCOPED_TRACE(text);
  EXPECT_EQ(ok(printWave(value, *type)), text);
  auto parsed = parseWave(text, *type);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, value);
}

void parseFails(const ValueTypePtr& type, const std::string& text, std::uint32_t line, std::uint32_t column,
                const std::string& words) {
  SCOPED_TRACE(text);
  auto r = parseWave(text, *type);
  ASSERT_FALSE(r) << "parsed";
  EXPECT_EQ(r.error().line, line) << r.error().message;
  EXPECT_EQ(r.error().column, column) << r.error().message;
  EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

TEST(Wave, Scalars) {
  printsAs(prim(ValueKind::Bool), Value::boolean(true), "true");
  printsAs(prim(ValueKind::S8), Value::s8(-9), "-9");
  printsAs(prim(ValueKind::U64), Value::u64(UINT64_MAX), "18446744073709551615");
  printsAs(prim(ValueKind::S64), Value::s64(INT64_MIN), "-9223372036854775808");
  printsAs(prim(ValueKind::F64), Value::f64(3.14), "3.14");
  printsAs(prim(ValueKind::F64), Value::f64(1e21), "1000000000000000000000");
  printsAs(prim(ValueKind::F32), Value::f32(0.1f), "0.1");
  printsAs(prim(ValueKind::F32), Value::f32(-INFINITY), "-inf");
  printsAs(prim(ValueKind::F64), Value::f64(INFINITY), "inf");
  printsAs(prim(ValueKind::F64), Value::f64(-0.0), "-0");
  EXPECT_EQ(ok(printWave(Value::f32Bits(0x7fc00000), *prim(ValueKind::F32))), "nan");
  EXPECT_TRUE(std::isnan(ok(parseWave("nan", *prim(ValueKind::F64))).asF64()));
  EXPECT_EQ(ok(parseWave("6.022e+23", *prim(ValueKind::F64))), Value::f64(6.022e23));
  printsAs(prim(ValueKind::Char), Value::character(U'x'), "'x'");
  printsAs(prim(ValueKind::Char), Value::character(U'\''), "'\\''");
  printsAs(prim(ValueKind::Char), Value::character(U'\u2603'), "'\u2603'");
  printsAs(prim(ValueKind::Char), Value::character(0), "'\\u{0}'");
  EXPECT_EQ(ok(parseWave("'\\u{1F600}'", *prim(ValueKind::Char))), Value::character(0x1f600));
}

TEST(Wave, StringsAreEscaped) {
  printsAs(prim(ValueKind::String), Value::string("abc\t123"), "\"abc\\t123\"");
  printsAs(prim(ValueKind::String), Value::string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
  printsAs(prim(ValueKind::String), Value::string("it's \\ \x1b"), "\"it\\'s \\\\ \\u{1b}\"");
  printsAs(prim(ValueKind::String), Value::string("\xf0\x9f\x91\x8b astral"), "\"\xf0\x9f\x91\x8b astral\"");
  EXPECT_EQ(ok(parseWave("\"\\u{48}i\"", *prim(ValueKind::String))), Value::string("Hi"));
}

TEST(Wave, MultilineStringsAreDedented) {
  auto s = prim(ValueKind::String);
  EXPECT_EQ(ok(parseWave("\"\"\"\nA single line\n\"\"\"", *s)), Value::string("A single line"));
  EXPECT_EQ(ok(parseWave("\"\"\"\n    Indentation determined\n      by ending delimiter\n  \"\"\"", *s)),
            Value::string("  Indentation determined\n    by ending delimiter"));
}

TEST(Wave, Composites) {
  auto str = prim(ValueKind::String);
  auto u8 = prim(ValueKind::U8);
  printsAs(ok(tupleType({str, u8})), Value::tuple({Value::string("abc"), Value::u8(123)}), "(\"abc\", 123)");
  printsAs(ok(listType(prim(ValueKind::Char))), Value::list({}), "[]");
  printsAs(ok(listType(u8)), Value::list({Value::u8(1), Value::u8(2), Value::u8(3)}), "[1, 2, 3]");
  auto rec = ok(recordType({{"field-a", u8}, {"field-b", str}}));
  printsAs(rec, Value::record({Value::u8(1), Value::string("two")}), "{field-a: 1, field-b: \"two\"}");
  auto response = ok(variantType({{"empty", nullptr}, {"body", ok(listType(u8))}, {"err", str}}));
  printsAs(response, Value::variant(0), "empty");
  printsAs(response, Value::variant(1, Value::list({Value::u8(79), Value::u8(75)})), "body([79, 75])");
  printsAs(response, Value::variant(2, Value::string("oops")), "%err(\"oops\")");
  auto status = ok(enumType({"ok", "not-found"}));
  printsAs(status, Value::enumCase(0), "%ok");
  printsAs(status, Value::enumCase(1), "not-found");
  auto opt = ok(optionType(u8));
  printsAs(opt, Value::some(Value::u8(5)), "some(5)");
  printsAs(opt, Value::none(), "none");
  auto res = ok(resultType(u8, str));
  printsAs(res, Value::ok(Value::u8(1)), "ok(1)");
  printsAs(res, Value::err(Value::string("oops")), "err(\"oops\")");
  printsAs(ok(resultType(nullptr, nullptr)), Value::err(), "err");
  auto perms = ok(flagsType({"read", "write", "exec"}));
  printsAs(perms, Value::flags(0b011), "{read, write}");
  printsAs(perms, Value::flags(0), "{}");
  // Records leave out none fields; a record of nones only is {:}.
  auto optional = ok(recordType({{"must-have", u8}, {"optional", opt}}));
  printsAs(optional, Value::record({Value::u8(123), Value::none()}), "{must-have: 123}");
  auto allOptional = ok(recordType({{"optional", opt}}));
  printsAs(allOptional, Value::record({Value::none()}), "{:}");
  auto nested = ok(listType(ok(optionType(ok(tupleType({str, ok(resultType(nullptr, u8))}))))));
  printsAs(nested, Value::list({Value::some(Value::tuple({Value::string("a"), Value::err(Value::u8(2))})), Value::none()}),
           "[some((\"a\", err(2))), none]");
}

TEST(Wave, ParsingAcceptsTheLooserForms) {
  auto u8 = prim(ValueKind::U8);
  auto opt = ok(optionType(u8));
  auto optional = ok(recordType({{"must-have", u8}, {"optional", opt}}));
  // Any field order, a trailing comma, comments, the flat form of some and ok, '%' on fields.
  EXPECT_EQ(ok(parseWave("{ optional: 7, // seven\n %must-have: 1, }", *optional)),
            Value::record({Value::u8(1), Value::some(Value::u8(7))}));
  EXPECT_EQ(ok(parseWave("123", *ok(resultType(u8, nullptr)))), Value::ok(Value::u8(123)));
  EXPECT_EQ(ok(parseWave("{write, read,}", *ok(flagsType({"read", "write", "exec"})))), Value::flags(0b011));
  EXPECT_EQ(ok(parseWave("[1, 2,]", *ok(fixedListType(u8, 2)))), Value::fixedList({Value::u8(1), Value::u8(2)}));
}

TEST(Wave, ParseErrorsAreLocated) {
  auto u8 = prim(ValueKind::U8);
  parseFails(u8, "256", 1, 1, "out of range for u8");
  parseFails(u8, "-1", 1, 1, "out of range for u8");
  parseFails(u8, "1.5", 1, 1, "expected an integer");
  parseFails(prim(ValueKind::S8), "  -129", 1, 3, "out of range for s8");
  parseFails(ok(listType(u8)), "[1,\n 2 3]", 2, 4, "expected ']' or ',' in the list");
  parseFails(ok(recordType({{"a", u8}, {"b", u8}})), "{a: 1}", 1, 1, "no field 'b'");
  parseFails(ok(recordType({{"a", u8}})), "{a: 1, c: 2}", 1, 8, "'c' is not a field");
  parseFails(ok(recordType({{"a", u8}})), "{a: 1, a: 2}", 1, 8, "given twice");
  parseFails(ok(enumType({"ok", "bad"})), "ok", 1, 1, "must be written '%ok'");
  parseFails(ok(variantType({{"v", u8}})), "v", 1, 2, "needs a payload");
  parseFails(ok(tupleType({u8, u8})), "(1)", 1, 1, "needs 2 elements");
  parseFails(prim(ValueKind::Char), "'ab'", 1, 1, "exactly one character");
  parseFails(prim(ValueKind::String), "\"\\q\"", 1, 2, "unknown escape");
  parseFails(prim(ValueKind::String), "\"\xc3\xa9\" x", 1, 5, "unexpected text");
  parseFails(prim(ValueKind::Bool), "", 1, 1, "found the end of the input");
  parseFails(ok(optionType(ok(optionType(u8)))), "5", 1, 1, "expected some(...) or none");
  auto deep = parseWave(std::string(500, '[') + std::string(500, ']'), *ok(listType(u8)));
  EXPECT_FALSE(deep);
}

TEST(Wave, Calls) {
  auto opt = ok(optionType(prim(ValueKind::U8)));
  auto fn = ok(functionType({{"a", opt}, {"b", opt}, {"c", opt}}, nullptr));
  auto add = ok(functionType({{"x", prim(ValueKind::S32)}, {"y", prim(ValueKind::String)}}, nullptr));
  FunctionLookup lookup = [&](std::string_view name) -> Expected<const FunctionType*> {
    if (name == "f") return &fn;
    if (name == "[method]counter.add") return &add;
    return makeError(ErrorCode::NotFound, fmt::format("no function {}", name));
  };
  // Trailing option arguments may be left out.
  auto call = ok(parseWaveCall("f(some(1))", lookup));
  EXPECT_EQ(call.name, "f");
  EXPECT_EQ(call.args, (std::vector<Value>{Value::some(Value::u8(1)), Value::none(), Value::none()}));
  auto method = ok(parseWaveCall("[method]counter.add(-3, \"x\")", lookup));
  EXPECT_EQ(method.args, (std::vector<Value>{Value::s32(-3), Value::string("x")}));
  auto missing = parseWaveCall("[method]counter.add(1)", lookup);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("argument 'y' is missing"), std::string::npos);
  EXPECT_FALSE(parseWaveCall("g()", lookup));
  auto extra = parseWaveCall("f(none, none, none, none)", lookup);
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().column, 21u);
}

TEST(Wave, HandlesHaveNoWaveForm) {
  EXPECT_FALSE(printWave(Value::own(1), *ownType(0)));
  EXPECT_FALSE(parseWave("1", *borrowType(0)));
}

}  // namespace
}  // namespace wasmops::component
