#include "validate/ComponentValidator.h"

#include <gtest/gtest.h>

#include "WasmBuilder.h"
#include "binary/ComponentDecoder.h"
#include "validate/ComponentNames.h"

namespace wasmops::validate {
namespace {

using namespace wasmops::testing;

Bytes componentHeader() { return {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}; }

Bytes component(const std::vector<Bytes>& sections) {
  Bytes out = componentHeader();
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes externName(const std::string& s) { return cat({{0x00}, name(s)}); }

// File offset of the first item of sections[k] (a vector section): after the
// header, the sections before it, its id, its size and its item count.
std::uint64_t firstItem(const std::vector<Bytes>& sections, std::size_t k) {
  std::uint64_t at = 8;
  for (std::size_t i = 0; i < k; ++i) at += sections[i].size();
  std::size_t p = 1;
  while (sections[k][p] & 0x80) ++p;
  ++p;
  while (sections[k][p] & 0x80) ++p;
  return at + p + 1;
}

ValidationResult check(const std::vector<Bytes>& sections) {
  const Bytes bytes = component(sections);
  auto c = binary::decodeComponent(bytes);
  EXPECT_TRUE(c) << c.error().format();
  if (!c) return {};
  return validateComponent(*c, bytes);
}

void expectValid(const std::vector<Bytes>& sections) {
  auto r = check(sections);
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
}

void expectInvalid(const std::vector<Bytes>& sections, const std::string& text, std::optional<std::uint64_t> offset) {
  auto r = check(sections);
  ASSERT_FALSE(r.ok()) << "valid, expected: " << text;
  EXPECT_EQ(r.verdict, Verdict::Invalid);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find(text), std::string::npos) << r.diagnostics[0].message;
  if (offset) {
    ASSERT_TRUE(r.diagnostics[0].offset);
    EXPECT_EQ(*r.diagnostics[0].offset, *offset) << r.diagnostics[0].message;
  }
}

// ---- Building blocks ----

const Bytes i32x2ToI32 = {0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f};

// A core module exporting "add": (i32, i32) -> i32.
Bytes addModule() {
  return module({section(1, vec(1, i32x2ToI32)), section(3, vec(1, {0x00})),
                 section(7, vec(1, cat({name("add"), {0x00, 0x00}}))),
                 section(10, vec(1, {0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b}))});
}

// A core module exporting "f": (i32, i32) -> (), "realloc" and memory "mem".
Bytes stringModule() {
  return module({section(1, vec(2, {0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f})),
                 section(3, vec(2, {0x00, 0x01})), section(5, vec(1, {0x00, 0x01})),
                 section(7, vec(3, cat({name("f"), {0x00, 0x00}, name("realloc"), {0x00, 0x01}, name("mem"), {0x02, 0x00}}))),
                 section(10, vec(2, {0x02, 0x00, 0x0b, 0x04, 0x00, 0x41, 0x00, 0x0b}))});
}

Bytes instantiate0() { return section(2, vec(1, {0x00, 0x00, 0x00})); }

// alias core export of core instance 0: `coreSort` byte (0x00 func, 0x02 memory).
Bytes coreAlias(std::uint8_t coreSort, const std::string& n) { return cat({{0x00, coreSort, 0x01, 0x00}, name(n)}); }

Bytes funcType(std::vector<std::pair<std::string, std::uint8_t>> params, std::optional<std::uint8_t> result) {
  Bytes ps;
  for (const auto& [n, t] : params) ps = cat({ps, name(n), {t}});
  return cat({{0x40}, vec(static_cast<std::uint32_t>(params.size()), ps),
              result ? Bytes{0x00, *result} : Bytes{0x01, 0x00}});
}

Bytes lift(std::uint32_t coreFunc, const Bytes& opts, std::uint32_t nOpts, std::uint32_t type) {
  return cat({{0x00, 0x00}, uleb(coreFunc), vec(nOpts, opts), uleb(type)});
}

Bytes exportFunc(const std::string& n, std::uint32_t index) { return cat({externName(n), {0x01}, uleb(index), {0x00}}); }

// ---- Tests ----

TEST(ComponentValidator, EmptyAndRealWorldShapesAreValid) {
  expectValid({});
  // add: lift of (i32, i32) -> i32 as func(a: u32, b: u32) -> u32, exported.
  expectValid({section(1, addModule()), instantiate0(), section(6, vec(1, coreAlias(0x00, "add"))),
               section(7, vec(1, funcType({{"a", 0x79}, {"b", 0x79}}, 0x79))),
               section(8, vec(1, lift(0, {}, 0, 0))), section(11, vec(1, exportFunc("add", 0)))});
}

TEST(ComponentValidator, LiftCoreTypeMustMatchFlattening) {
  std::vector<Bytes> s = {section(1, addModule()), instantiate0(), section(6, vec(1, coreAlias(0x00, "add"))),
                          section(7, vec(1, funcType({{"a", 0x79}}, 0x79))), section(8, vec(1, lift(0, {}, 0, 0)))};
  expectInvalid(s, "canon lift: core func 0 has type (i32, i32) -> (i32), but lifting type 0 needs (i32) -> (i32)", firstItem(s, 4));
  // u64 flattens to i64.
  s[3] = section(7, vec(1, funcType({{"a", 0x79}, {"b", 0x77}}, 0x79)));
  expectInvalid(s, "needs (i32, i64) -> (i32)", firstItem(s, 4));
}

std::vector<Bytes> stringLift(const Bytes& opts, std::uint32_t nOpts) {
  return {section(1, stringModule()), instantiate0(),
          section(6, vec(3, cat({coreAlias(0x00, "f"), coreAlias(0x00, "realloc"), coreAlias(0x02, "mem")}))),
          section(7, vec(1, funcType({{"s", 0x73}}, std::nullopt))), section(8, vec(1, lift(0, opts, nOpts, 0)))};
}

TEST(ComponentValidator, CanonOptionsMemoryAndRealloc) {
  expectValid(stringLift({0x03, 0x00, 0x04, 0x01}, 2));
  auto s = stringLift({}, 0);
  expectInvalid(s, "canonical option `memory` is required", firstItem(s, 4));
  s = stringLift({0x03, 0x00}, 1);
  expectInvalid(s, "canonical option `realloc` is required", firstItem(s, 4));
  s = stringLift({0x03, 0x00, 0x04, 0x00}, 2);  // realloc = f: wrong type
  expectInvalid(s, "`realloc` (core func 0) has type (i32, i32) -> (), expected (i32, i32, i32, i32) -> (i32)", firstItem(s, 4));
  s = stringLift({0x03, 0x00, 0x03, 0x00, 0x04, 0x01}, 3);
  expectInvalid(s, "a canonical option is given more than once", firstItem(s, 4));
  s = stringLift({0x00, 0x01, 0x03, 0x00, 0x04, 0x01}, 4);  // utf8 then utf16
  expectInvalid(s, "a canonical option is given more than once", firstItem(s, 4));
  s = stringLift({0x03, 0x05, 0x04, 0x01}, 2);
  expectInvalid(s, "core memory index 5 out of bounds (1 defined)", firstItem(s, 4));
  // post-return must take the flattened results: here none.
  s = stringLift({0x03, 0x00, 0x04, 0x01, 0x05, 0x00}, 3);
  expectInvalid(s, "`post-return` (core func 0) has type (i32, i32) -> (), expected () -> ()", firstItem(s, 4));
}

TEST(ComponentValidator, CanonLower) {
  // import log: func(s: string); lower it without memory, then with post-return.
  std::vector<Bytes> s = {section(7, vec(1, funcType({{"s", 0x73}}, std::nullopt))),
                          section(10, vec(1, cat({externName("log"), {0x01, 0x00}}))),
                          section(8, vec(1, {0x01, 0x00, 0x00, 0x00}))};
  expectInvalid(s, "canon lower: canonical option `memory` is required", firstItem(s, 2));
  s[2] = section(8, vec(1, {0x01, 0x00, 0x00, 0x01, 0x05, 0x00}));
  expectInvalid(s, "`post-return` is only allowed on canon lift", firstItem(s, 2));
  s[0] = section(7, vec(1, funcType({{"n", 0x79}}, std::nullopt)));
  s[2] = section(8, vec(1, {0x01, 0x00, 0x00, 0x00}));
  expectValid(s);
  s[2] = section(8, vec(1, {0x01, 0x00, 0x03, 0x00}));
  expectInvalid(s, "func index 3 out of bounds (1 defined)", firstItem(s, 2));
}

TEST(ComponentValidator, CoreInstantiateArgumentsMatchImports) {
  // A module importing host.log: (i32) -> ().
  Bytes importer = module({section(1, vec(1, {0x60, 0x01, 0x7f, 0x00})),
                           section(2, vec(1, cat({name("host"), name("log"), {0x00, 0x00}})))});
  // Core instance 0 exports `log`, a lowered func(n: u32) (so (i32) -> ()).
  std::vector<Bytes> s = {section(1, importer), section(7, vec(1, funcType({{"n", 0x79}}, std::nullopt))),
                          section(10, vec(1, cat({externName("log"), {0x01, 0x00}}))),
                          section(8, vec(1, {0x01, 0x00, 0x00, 0x00})),
                          section(2, vec(2, cat({{0x01}, vec(1, cat({name("log"), {0x00, 0x00}})),  // from exports
                                                 {0x00, 0x00}, vec(1, cat({name("host"), {0x12, 0x00}}))})))};
  expectValid(s);
  const auto second = firstItem(s, 4) + 8;  // the instantiate item after the 8-byte from-exports item
  auto bad = s;
  bad[4] = section(2, vec(2, cat({{0x01}, vec(1, cat({name("log"), {0x00, 0x00}})), {0x00, 0x00, 0x00}})));
  expectInvalid(bad, "missing module instantiation argument named `host`", second);
  bad[4] = section(2, vec(2, cat({{0x01}, vec(1, cat({name("lg"), {0x00, 0x00}})),
                                  {0x00, 0x00}, vec(1, cat({name("host"), {0x12, 0x00}}))})));
  expectInvalid(bad, "module instantiation argument `host` (core instance 0) does not export `log`", second - 1);
  // The lowered func is (i32) -> (); a u64 parameter would make it (i64) -> ().
  bad = s;
  bad[1] = section(7, vec(1, funcType({{"n", 0x77}}, std::nullopt)));
  expectInvalid(bad, "imports `host` `log` with type (i32) -> (), but core instance 0 exports it with type (i64) -> ()", second);
}

TEST(ComponentValidator, AliasTargets) {
  std::vector<Bytes> s = {section(1, addModule()), instantiate0(), section(6, vec(1, coreAlias(0x00, "sub")))};
  expectInvalid(s, "core instance 0 has no export named `sub`", firstItem(s, 2));
  s[2] = section(6, vec(1, coreAlias(0x02, "add")));
  expectInvalid(s, "export `add` of core instance 0 is a func, not a memory", firstItem(s, 2));
  s[2] = section(6, vec(1, cat({{0x00, 0x00, 0x01, 0x04}, name("add")})));
  expectInvalid(s, "core instance index 4 out of bounds (1 defined)", firstItem(s, 2));
  // Outer aliases: beyond the outermost component; a func sort.
  std::vector<Bytes> o = {section(7, vec(1, {0x73})), section(6, vec(1, {0x03, 0x02, 0x01, 0x00}))};
  expectInvalid(o, "outer alias count 1 reaches beyond the outermost component", firstItem(o, 1));
  o[1] = section(6, vec(1, {0x03, 0x02, 0x00, 0x00}));
  expectValid(o);
  o[1] = section(6, vec(1, {0x01, 0x02, 0x00, 0x00}));
  expectInvalid(o, "outer aliases may only refer to types, core types, core modules and components, not a func",
                firstItem(o, 1));
  // Instance export aliases: the export must exist with that sort.
  Bytes instType = cat({{0x42}, vec(2, cat({{0x01, 0x40, 0x00, 0x01, 0x00},                  // type func()
                                            {0x04}, externName("run"), {0x01, 0x00}}))});  // export run: func
  std::vector<Bytes> i = {section(7, vec(1, instType)), section(10, vec(1, cat({externName("wasi:cli/run@0.2.0"), {0x05, 0x00}}))),
                          section(6, vec(1, cat({{0x01, 0x00, 0x00}, name("run")})))};
  expectValid(i);
  i[2] = section(6, vec(1, cat({{0x01, 0x00, 0x00}, name("stop")})));
  expectInvalid(i, "instance 0 has no export named `stop`", firstItem(i, 2));
  i[2] = section(6, vec(1, cat({{0x03, 0x00, 0x00}, name("run")})));
  expectInvalid(i, "export `run` of instance 0 is a func, not a type", firstItem(i, 2));
}

TEST(ComponentValidator, ComponentInstantiateArguments) {
  Bytes inner = component({section(7, vec(1, funcType({}, std::nullopt))),
                           section(10, vec(1, cat({externName("x"), {0x01, 0x00}})))});
  std::vector<Bytes> s = {section(7, vec(1, funcType({}, std::nullopt))),
                          section(10, vec(1, cat({externName("f"), {0x01, 0x00}}))), section(4, inner),
                          section(5, vec(1, cat({{0x00, 0x00}, vec(1, cat({name("x"), {0x01, 0x00}}))})))};
  expectValid(s);
  s[3] = section(5, vec(1, {0x00, 0x00, 0x00}));
  expectInvalid(s, "missing instantiation argument named `x` (component 0 imports a func)", firstItem(s, 3));
  s[3] = section(5, vec(1, cat({{0x00, 0x00}, vec(1, cat({name("x"), {0x03, 0x00}}))})));
  expectInvalid(s, "instantiation argument `x` is a type, but component 0 imports a func", firstItem(s, 3));
  s[3] = section(5, vec(1, cat({{0x00, 0x00}, vec(2, cat({name("x"), {0x01, 0x00}, name("x"), {0x01, 0x00}}))})));
  expectInvalid(s, "duplicate instantiation argument named `x`", firstItem(s, 3));
}

TEST(ComponentValidator, NamesAndUniqueness) {
  std::vector<Bytes> s = {section(7, vec(1, funcType({}, std::nullopt))),
                          section(10, vec(2, cat({externName("foo"), {0x01, 0x00}, externName("[constructor]foo"),
                                                  {0x01, 0x00}})))};
  expectValid(s);
  s[1] = section(10, vec(2, cat({externName("foo-bar"), {0x01, 0x00}, externName("foo-BAR"), {0x01, 0x00}})));
  expectInvalid(s, "import name `foo-BAR` conflicts with `foo-bar`", firstItem(s, 1) + 11);
  s[1] = section(10, vec(1, cat({externName("Foo"), {0x01, 0x00}})));
  expectInvalid(s, "`Foo` is not a valid kebab-case name", firstItem(s, 1));
  s[1] = section(10, vec(1, cat({externName("wasi:cli/run@0.2"), {0x01, 0x00}})));
  expectInvalid(s, "`0.2` in name `wasi:cli/run@0.2` is not a valid semantic version", firstItem(s, 1));
  // A record with a repeated field.
  std::vector<Bytes> r = {section(7, vec(1, cat({{0x72}, vec(2, cat({name("x"), {0x79}, name("X"), {0x79}}))})))};
  expectInvalid(r, "record field `X` conflicts with `x`", firstItem(r, 0));
}

TEST(ComponentValidator, ResourceHandles) {
  // 0: resource (rep i32); 1: own 0; 2: borrow 0; 3: func(x: borrow) ; valid.
  std::vector<Bytes> s = {section(7, vec(4, cat({{0x3f, 0x7f, 0x00}, {0x69, 0x00}, {0x68, 0x00},
                                                 {0x40}, vec(1, cat({name("x"), {0x02}})), {0x01, 0x00}})))};
  expectValid(s);
  // own of a non-resource.
  std::vector<Bytes> t = {section(7, vec(2, cat({{0x73}, {0x69, 0x00}})))};
  expectInvalid(t, "own of type 0, which is a value type, not a resource type", firstItem(t, 0) + 1);
  // borrow in a result.
  std::vector<Bytes> b = {section(7, vec(3, cat({{0x3f, 0x7f, 0x00}, {0x68, 0x00}, {0x40, 0x00, 0x00, 0x01}})))};
  expectInvalid(b, "function result contains a `borrow` handle", firstItem(b, 0) + 5);
  // A resource used directly as a value type.
  std::vector<Bytes> v = {section(7, vec(2, cat({{0x3f, 0x7f, 0x00}, {0x70, 0x00}})))};
  expectInvalid(v, "type 0 is a resource type, not a value type", firstItem(v, 0) + 3);
  // resource.new of a non-resource.
  std::vector<Bytes> n = {section(7, vec(1, {0x73})), section(8, vec(1, {0x02, 0x00}))};
  expectInvalid(n, "resource.new: type 0 is a value type, not a resource type", firstItem(n, 1));
}

TEST(ComponentValidator, IndexBoundsAndExports) {
  std::vector<Bytes> s = {section(11, vec(1, exportFunc("f", 5)))};
  expectInvalid(s, "export section, item 0: func index 5 out of bounds (0 defined)", firstItem(s, 0));
  std::vector<Bytes> t = {section(7, vec(1, {0x40, 0x00, 0x00, 0x00}))};  // func() -> type 0 (itself: not yet defined)
  expectInvalid(t, "type index 0 out of bounds (0 defined)", firstItem(t, 0));
}

TEST(ComponentValidator, NestedModuleErrorsAreLocatedInTheFile) {
  // i32.add on an empty stack.
  Bytes bad = module({voidTypeSection(), section(3, vec(1, {0x00})), section(10, vec(1, {0x03, 0x00, 0x6a, 0x0b}))});
  std::vector<Bytes> s = {section(1, bad)};
  auto r = check(s);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.diagnostics[0].offset);
  EXPECT_NE(r.diagnostics[0].message.find("core module 0: "), std::string::npos) << r.diagnostics[0].message;
  // The module starts at 10; its body's i32.add is its last bytes but one.
  EXPECT_GE(*r.diagnostics[0].offset, 10u + 8) << r.diagnostics[0].message;
  EXPECT_LT(*r.diagnostics[0].offset, 10u + bad.size()) << r.diagnostics[0].message;
}

TEST(ComponentValidator, NestedComponentErrorsNameTheirPath) {
  Bytes inner = component({section(11, vec(1, exportFunc("f", 0)))});
  std::vector<Bytes> s = {section(4, inner)};
  const std::uint64_t innerExport = 8 + 2 + 8 + 3;  // header, id+size, inner header, id+size+count
  expectInvalid(s, "component 0: export section, item 0: func index 0 out of bounds", innerExport);
}

TEST(ComponentValidator, MalformedInputIsReportedAsSuch) {
  auto r = validateComponentBinary(component({section(7, vec(1, {0x99}))}));
  EXPECT_EQ(r.verdict, Verdict::Malformed);
}

TEST(ComponentNames, KebabAndInterfaceSyntax) {
  for (const char* ok : {"a", "foo-bar", "foo-BAR", "x1", "http-2", "HTTP", "a-1b"}) EXPECT_TRUE(isKebabLabel(ok)) << ok;
  for (const char* bad : {"", "-a", "a-", "a--b", "Foo", "fOO", "1a", "a_b", "a.b"}) EXPECT_FALSE(isKebabLabel(bad)) << bad;
  for (const char* ok : {"1.2.3", "0.2.0-rc.1", "1.0.0+build.5", "10.20.30-alpha-1"}) EXPECT_TRUE(isSemver(ok)) << ok;
  for (const char* bad : {"1.2", "01.2.3", "1.2.3-01", "1.2.3-", "a.b.c"}) EXPECT_FALSE(isSemver(bad)) << bad;
  for (const char* ok : {"run", "wasi:cli/run", "wasi:cli/run@0.2.0", "[method]counter.inc", "[static]counter.make",
                         "[constructor]counter", "[async]go"})
    EXPECT_FALSE(externNameError(ok)) << ok;
  for (const char* bad : {"wasi:cli", "wasi:cli/Run", "[method]counter", "[foo]bar", "[constructor", "a b"})
    EXPECT_TRUE(externNameError(bad)) << bad;
}

TEST(ComponentNames, StrongUniqueness) {
  UniqueNames n;
  EXPECT_FALSE(n.add("foo"));
  EXPECT_FALSE(n.add("foo-bar"));
  EXPECT_FALSE(n.add("[constructor]foo"));
  EXPECT_FALSE(n.add("[method]foo.bar"));
  EXPECT_FALSE(n.add("[method]foo.baz"));
  EXPECT_EQ(n.add("foo-BAR"), "foo-bar");
  EXPECT_EQ(n.add("[async]foo"), "foo");
  EXPECT_EQ(n.add("[static]foo.bar"), "[method]foo.bar");
  EXPECT_EQ(n.add("[constructor]FOO"), "[constructor]foo");
}

}  // namespace
}  // namespace wasmops::validate
