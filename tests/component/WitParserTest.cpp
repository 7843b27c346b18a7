#include "component/WitParser.h"

#include <gtest/gtest.h>

using namespace wasmops::component::wit;

namespace {

WitFile parse(std::string_view s) {
  auto r = parseWitFile(s, "t.wit");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : WitFile{};
}

// "LINE:COL message"
std::string parseError(std::string_view s) {
  auto r = parseWitFile(s, "t.wit");
  if (r) return "accepted";
  return std::to_string(r.error().line.value_or(0)) + ":" + std::to_string(r.error().column.value_or(0)) + " " +
         r.error().message;
}

}  // namespace

TEST(WitParser, PackageInterfaceAndTypes) {
  auto f = parse(
      "package wasi:io@0.2.6;\n"
      "/// Streams.\n"
      "interface streams {\n"
      "  use error.{error as e};\n"
      "  record r { a: list<u8, 4>, b: result<_, e>, }\n"
      "  variant v { x, y(option<tuple<u8, string>>) }\n"
      "  resource s { constructor(x: u32); read: async func() -> result<u32>; make: static func() -> s; }\n"
      "  f: func(a: borrow<s>, b: own<s>, c: future, d: stream<u8>) -> result;\n"
      "}\n");
  ASSERT_TRUE(f.root.declared);
  EXPECT_EQ(toString(f.root.package.name), "wasi:io@0.2.6");
  ASSERT_EQ(f.root.package.interfaces.size(), 1u);
  const Interface& i = f.root.package.interfaces[0];
  EXPECT_EQ(i.name, "streams");
  EXPECT_EQ(i.docs, "Streams.");
  EXPECT_EQ(i.at.line, 3u);
  ASSERT_EQ(i.items.size(), 5u);
  const Use& use = std::get<Use>(i.items[0]);
  EXPECT_EQ(use.from.interface, "error");
  EXPECT_EQ(use.names[0].as, "e");
  const TypeDef& r = std::get<TypeDef>(i.items[1]);
  EXPECT_EQ(r.kind, TypeDef::Kind::Record);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].type.kind, Type::Kind::FixedList);
  EXPECT_EQ(r.fields[0].type.length, 4u);
  EXPECT_TRUE(r.fields[1].type.resultErr);
  EXPECT_FALSE(r.fields[1].type.resultOk);
  EXPECT_EQ(r.fields[1].at.line, 5u);
  EXPECT_EQ(r.fields[1].at.column, 30u);
  const TypeDef& s = std::get<TypeDef>(i.items[3]);
  ASSERT_EQ(s.functions.size(), 3u);
  EXPECT_EQ(s.functions[0].kind, Function::Kind::Constructor);
  EXPECT_EQ(s.functions[1].kind, Function::Kind::Method);
  EXPECT_TRUE(s.functions[1].async);
  EXPECT_EQ(s.functions[2].kind, Function::Kind::Static);
  const Function& fn = std::get<Function>(i.items[4]);
  ASSERT_EQ(fn.params.size(), 4u);
  EXPECT_EQ(fn.params[0].type.kind, Type::Kind::Borrow);
  EXPECT_EQ(fn.params[1].type.kind, Type::Kind::Own);
  EXPECT_EQ(fn.params[2].type.kind, Type::Kind::Future);
  EXPECT_TRUE(fn.params[2].type.args.empty());
  EXPECT_EQ(fn.result->kind, Type::Kind::Result);
}

TEST(WitParser, WorldItemsIncludeGatesAndNestedPackages) {
  auto f = parse(
      "package a:b;\n"
      "use wasi:io/streams@0.2.6 as s;\n"
      "@since(version = 0.1.0)\n"
      "world w {\n"
      "  @unstable(feature = x) import wasi:io/poll@0.2.6;\n"
      "  import s;\n"
      "  import log: func(m: string);\n"
      "  export run: interface { go: func(); }\n"
      "  include other with { a as b }\n"
      "  type t = u32;\n"
      "}\n"
      "package c:d@1.0.0 { interface i {} }\n");
  ASSERT_EQ(f.root.uses.size(), 1u);
  EXPECT_EQ(f.root.uses[0].as, "s");
  const World& w = f.root.package.worlds.at(0);
  ASSERT_EQ(w.items.size(), 5u);
  EXPECT_EQ(w.items[0].kind, WorldItem::Kind::InterfaceRef);
  EXPECT_EQ(toString(w.items[0].path), "wasi:io/poll@0.2.6");
  EXPECT_EQ(w.items[2].kind, WorldItem::Kind::Function);
  EXPECT_EQ(w.items[3].kind, WorldItem::Kind::InlineInterface);
  EXPECT_FALSE(w.items[3].isImport);
  EXPECT_EQ(w.items[4].kind, WorldItem::Kind::Type);
  ASSERT_EQ(w.includes.size(), 1u);
  EXPECT_EQ(w.includes[0].with[0].as, "b");
  ASSERT_EQ(f.nested.size(), 1u);
  EXPECT_EQ(toString(f.nested[0].package.name), "c:d@1.0.0");
}

TEST(WitParser, SyntaxErrorsAreLocated) {
  EXPECT_EQ(parseError("package a:b;\ninterface i {\n  f: func()\n}"), "4:1 expected `;`, found `}`");
  EXPECT_EQ(parseError("package a:b;\ninterface i { f: static func(); }"), "2:18 expected `func` or `async`, found keyword `static`");
  EXPECT_EQ(parseError("package a:b;\ninterface i { f: func() -> (a: u32); }"),
            "2:28 functions return at most one unnamed type (`-> T`)");
  EXPECT_EQ(parseError("interface i {}\npackage a:b;"), "2:1 the `package` declaration must come before every other item");
  EXPECT_EQ(parseError("package a:b;\ninterface i { type t = list<u8, 0>; }"),
            "2:33 a fixed-length list has a length from 1 to 999999999");
  EXPECT_EQ(parseError("package a:b;\n@sincere(version = 1.0.0)\ninterface i {}"), "2:2 unknown attribute `@sincere`");
  EXPECT_EQ(parseError("package a:b:c;"), "1:12 nested namespaces (`a:b:c`) are not supported");
}

TEST(WitParser, IdentifiersAreKebabCase) {
  EXPECT_EQ(parseError("package a:b;\ninterface i { fooBar: func(); }"),
            "2:15 `fooBar` is not a valid identifier: use kebab-case (`a-b2`), each word all lower- or all upper-case, "
            "starting with a letter");
  EXPECT_TRUE(isValidWitIdentifier("a-b2-CD"));
  EXPECT_TRUE(isValidWitIdentifier("a-1"));
  EXPECT_FALSE(isValidWitIdentifier("a--b"));
  EXPECT_FALSE(isValidWitIdentifier("a-"));
  EXPECT_FALSE(isValidWitIdentifier("Ab"));
}

TEST(WitParser, VersionsAreSemver) {
  EXPECT_EQ(parseError("package a:b@1.0;"), "1:13 `1.0` is not a valid semver version (major.minor.patch)");
  EXPECT_TRUE(isValidSemver("0.2.6"));
  EXPECT_TRUE(isValidSemver("1.2.3-rc.1+build.5"));
  EXPECT_FALSE(isValidSemver("01.2.3"));
  EXPECT_FALSE(isValidSemver("1.2.3-01"));
  EXPECT_FALSE(isValidSemver("1.2.3-"));
}

TEST(WitParser, DeepTypesAreRefusedNotRecursedInto) {
  std::string deep = "package a:b;\ninterface i { type t = ";
  for (int n = 0; n < 100000; ++n) deep += "list<";
  EXPECT_EQ(parseError(deep), "2:524 types nest more than 100 deep");
}
