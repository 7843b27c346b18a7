// The printer on hand-built documents. Expected texts follow wit-component's
// printer (crates/wit-component/src/printing.rs and the `component wit`
// outputs in wasm-tools' tests/cli): uses first, then types, then functions,
// blank lines between items, nested packages after the root one.
#include "component/WitPrinter.h"

#include <gtest/gtest.h>

namespace wasmops::component {
namespace {

using binary::PrimValType;
using wit::Type;

Type prim(PrimValType p) {
  Type t;
  t.primitive = p;
  return t;
}

Type named(const std::string& n, Type::Kind kind = Type::Kind::Named) {
  Type t;
  t.kind = kind;
  t.name = n;
  return t;
}

Type of(Type::Kind kind, std::vector<Type> args) {
  Type t;
  t.kind = kind;
  t.args = std::move(args);
  return t;
}

Type result(std::optional<Type> ok, std::optional<Type> err) {
  Type t;
  t.kind = Type::Kind::Result;
  t.resultOk = ok.has_value();
  t.resultErr = err.has_value();
  if (ok) t.args.push_back(*ok);
  if (err) t.args.push_back(*err);
  return t;
}

wit::Function func(const std::string& name, std::vector<wit::Param> params, std::optional<Type> res,
                   wit::Function::Kind kind = wit::Function::Kind::Freestanding) {
  wit::Function f;
  f.name = name;
  f.kind = kind;
  f.params = std::move(params);
  f.result = std::move(res);
  return f;
}

TEST(WitPrinterTest, TypesOfEveryKind) {
  EXPECT_EQ(printWitType(prim(PrimValType::U32)), "u32");
  EXPECT_EQ(printWitType(prim(PrimValType::ErrorContext)), "error-context");
  EXPECT_EQ(printWitType(of(Type::Kind::List, {prim(PrimValType::U8)})), "list<u8>");
  Type fixed = of(Type::Kind::FixedList, {prim(PrimValType::F32)});
  fixed.length = 4;
  EXPECT_EQ(printWitType(fixed), "list<f32, 4>");
  EXPECT_EQ(printWitType(of(Type::Kind::Option, {named("point")})), "option<point>");
  EXPECT_EQ(printWitType(of(Type::Kind::Tuple, {prim(PrimValType::S8), prim(PrimValType::String)})), "tuple<s8, string>");
  EXPECT_EQ(printWitType(named("file", Type::Kind::Own)), "file");
  EXPECT_EQ(printWitType(named("file", Type::Kind::Borrow)), "borrow<file>");
  EXPECT_EQ(printWitType(of(Type::Kind::Future, {})), "future");
  EXPECT_EQ(printWitType(of(Type::Kind::Stream, {prim(PrimValType::U8)})), "stream<u8>");
  EXPECT_EQ(printWitType(of(Type::Kind::Map, {prim(PrimValType::String), prim(PrimValType::U64)})), "map<string, u64>");
  EXPECT_EQ(printWitType(result(std::nullopt, std::nullopt)), "result");
  EXPECT_EQ(printWitType(result(prim(PrimValType::U32), std::nullopt)), "result<u32>");
  EXPECT_EQ(printWitType(result(std::nullopt, named("error-code"))), "result<_, error-code>");
  EXPECT_EQ(printWitType(result(prim(PrimValType::U32), named("error-code"))), "result<u32, error-code>");
  EXPECT_EQ(printWitType(named("type")), "%type");
}

TEST(WitPrinterTest, KeywordsAreEscaped) {
  for (const char* k : {"use", "type", "list", "result", "borrow", "own", "static", "constructor", "async", "map",
                        "error-context", "interface", "world", "include", "with", "_"})
    EXPECT_EQ(escapeWitName(k), std::string("%") + k);
  for (const char* n : {"point", "lists", "types", "my-type", "a"}) EXPECT_EQ(escapeWitName(n), n);
}

wit::Document rootWorld(wit::World world) {
  wit::Document doc;
  wit::Package root;
  root.name = {"root", "component", ""};
  root.worlds.push_back(std::move(world));
  doc.packages.push_back(std::move(root));
  return doc;
}

TEST(WitPrinterTest, InterfaceWithUsesTypesResourcesAndDocs) {
  wit::Interface iface;
  iface.name = "render";
  iface.docs = "Drawing.\n\nWith two paragraphs.";
  // Items out of order: the printer writes uses, types, functions.
  iface.items.emplace_back(func("draw", {{"c", named("canvas", Type::Kind::Borrow)}, {"list", named("figures")}},
                                result(std::nullopt, prim(PrimValType::String))));
  wit::Use use;
  use.from = {"", "", "", "types"};
  use.names = {{"point", ""}, {"shape", "figure"}};
  iface.items.emplace_back(use);
  wit::Use foreign;
  foreign.from = {"wasi", "io", "0.2.6", "streams"};
  foreign.names = {{"output-stream", ""}};
  iface.items.emplace_back(foreign);

  wit::TypeDef rec;
  rec.name = "pair";
  rec.kind = wit::TypeDef::Kind::Record;
  rec.docs = "Two points.";
  rec.fields = {{"a", named("point"), "The first."}, {"type", named("point"), ""}};
  iface.items.emplace_back(rec);

  wit::TypeDef var;
  var.name = "shape";
  var.kind = wit::TypeDef::Kind::Variant;
  var.cases = {{"circle", prim(PrimValType::U32), ""}, {"none", std::nullopt, "Nothing."}};
  iface.items.emplace_back(var);

  wit::TypeDef en;
  en.name = "color";
  en.kind = wit::TypeDef::Kind::Enum;
  en.cases = {{"red", std::nullopt, ""}, {"green", std::nullopt, ""}};
  iface.items.emplace_back(en);

  wit::TypeDef fl;
  fl.name = "perm";
  fl.kind = wit::TypeDef::Kind::Flags;
  fl.cases = {{"read", std::nullopt, ""}, {"exec", std::nullopt, ""}};
  iface.items.emplace_back(fl);

  wit::TypeDef alias;
  alias.name = "figures";
  alias.kind = wit::TypeDef::Kind::Alias;
  alias.alias = of(Type::Kind::List, {named("figure")});
  iface.items.emplace_back(alias);

  wit::TypeDef handle;
  handle.name = "owned";
  handle.kind = wit::TypeDef::Kind::Alias;
  handle.alias = named("canvas", Type::Kind::Own);
  iface.items.emplace_back(handle);

  wit::TypeDef res;
  res.name = "canvas";
  res.kind = wit::TypeDef::Kind::Resource;
  res.docs = "A surface.";
  res.functions.push_back(func("canvas", {{"w", prim(PrimValType::U32)}}, std::nullopt, wit::Function::Kind::Constructor));
  auto method = func("fill", {{"c", named("color")}}, std::nullopt, wit::Function::Kind::Method);
  method.docs = "Paints it.";
  res.functions.push_back(method);
  res.functions.push_back(func("blank", {}, named("canvas"), wit::Function::Kind::Static));
  auto wait = func("wait", {}, std::nullopt, wit::Function::Kind::Method);
  wait.async = true;
  res.functions.push_back(wait);
  iface.items.emplace_back(res);

  wit::TypeDef empty;
  empty.name = "token";
  empty.kind = wit::TypeDef::Kind::Resource;
  iface.items.emplace_back(empty);

  wit::TypeDef fallible;
  fallible.name = "file";
  fallible.kind = wit::TypeDef::Kind::Resource;
  fallible.functions.push_back(func("file", {}, result(named("file"), prim(PrimValType::String)),
                                    wit::Function::Kind::Constructor));
  iface.items.emplace_back(fallible);

  wit::Document doc;
  wit::Package pkg;
  pkg.name = {"probe", "shapes", "0.1.0"};
  pkg.interfaces.push_back(iface);
  doc.packages.push_back(pkg);

  EXPECT_EQ(printWit(doc), R"(package probe:shapes@0.1.0;

/// Drawing.
///
/// With two paragraphs.
interface render {
  use types.{point, shape as figure};
  use wasi:io/streams@0.2.6.{output-stream};

  /// Two points.
  record pair {
    /// The first.
    a: point,
    %type: point,
  }

  variant shape {
    circle(u32),
    /// Nothing.
    none,
  }

  enum color {
    red,
    green,
  }

  flags perm {
    read,
    exec,
  }

  type figures = list<figure>;

  type owned = own<canvas>;

  /// A surface.
  resource canvas {
    constructor(w: u32);
    /// Paints it.
    fill: func(c: color);
    blank: static func() -> canvas;
    wait: async func();
  }

  resource token;

  resource file {
    constructor() -> result<file, string>;
  }

  draw: func(c: borrow<canvas>, %list: figures) -> result<_, string>;
}

)");
}

TEST(WitPrinterTest, WorldGroupsImportsTypesFunctionsThenExports) {
  wit::World world;
  world.name = "root";
  auto item = [](wit::WorldItem::Kind kind, bool isImport, const std::string& name) {
    wit::WorldItem w;
    w.kind = kind;
    w.isImport = isImport;
    w.name = name;
    return w;
  };
  auto f = item(wit::WorldItem::Kind::Function, true, "log");
  f.function = func("log", {{"message", prim(PrimValType::String)}}, std::nullopt);
  world.items.push_back(f);
  auto ref = item(wit::WorldItem::Kind::InterfaceRef, true, "wasi:io/error@0.2.6");
  ref.path = {"wasi", "io", "0.2.6", "error"};
  world.items.push_back(ref);
  auto inl = item(wit::WorldItem::Kind::InlineInterface, true, "bench");
  inl.inlineInterface.items.emplace_back(func("start", {}, std::nullopt));
  inl.inlineInterface.items.emplace_back(func("end", {}, std::nullopt));
  world.items.push_back(inl);
  auto ty = item(wit::WorldItem::Kind::Type, true, "size");
  ty.type.name = "size";
  ty.type.alias = prim(PrimValType::U64);
  world.items.push_back(ty);
  auto use = item(wit::WorldItem::Kind::Use, true, "");
  use.use.from = {"wasi", "io", "0.2.6", "error"};
  use.use.names = {{"error", "io-error"}};
  world.items.push_back(use);
  auto run = item(wit::WorldItem::Kind::InterfaceRef, false, "wasi:cli/run@0.2.6");
  run.path = {"wasi", "cli", "0.2.6", "run"};
  world.items.push_back(run);
  auto seven = item(wit::WorldItem::Kind::Function, false, "seven");
  seven.function = func("seven", {}, prim(PrimValType::U32));
  world.items.push_back(seven);

  EXPECT_EQ(printWit(rootWorld(world)), R"(package root:component;

world root {
  import wasi:io/error@0.2.6;
  import bench: interface {
    start: func();

    end: func();
  }
  use wasi:io/error@0.2.6.{error as io-error};

  type size = u64;
  import log: func(message: string);

  export wasi:cli/run@0.2.6;
  export seven: func() -> u32;
}
)");
}

TEST(WitPrinterTest, NestedPackagesAndIncludes) {
  wit::World world;
  world.name = "app";
  wit::Include inc;
  inc.world = {"wasi", "cli", "0.2.6", "imports"};
  world.includes.push_back(inc);
  wit::Include renamed;
  renamed.world = {"", "", "", "base"};
  renamed.with = {{"a", "b"}};
  world.includes.push_back(renamed);
  wit::Document doc = rootWorld(world);

  for (const char* name : {"io", "cli"}) {
    wit::Package p;
    p.name = {"wasi", name, "0.2.6"};
    wit::Interface a;
    a.name = "first";
    wit::Interface b;
    b.name = "second";
    b.items.emplace_back(func("get", {}, prim(PrimValType::Bool)));
    p.interfaces = {a, b};
    doc.packages.push_back(p);
  }
  EXPECT_EQ(printWit(doc), R"(package root:component;

world app {
  include wasi:cli/imports@0.2.6;
  include base with { a as b }
}
package wasi:io@0.2.6 {
  interface first {
  }
  interface second {
    get: func() -> bool;
  }
}


package wasi:cli@0.2.6 {
  interface first {
  }
  interface second {
    get: func() -> bool;
  }
}
)");
}

}  // namespace
}  // namespace wasmops::component
