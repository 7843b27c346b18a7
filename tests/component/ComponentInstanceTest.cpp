// Instantiation over hand-built decoded components: imports satisfied or
// refused by the linker, host imports re-exported and called, unsupported
// definitions refused by offset, and one small guest (a hand-encoded core
// module) calling its import through canon lower and being called through
// canon lift; a component linked once and instantiated many times, from
// several threads. Every kind of value is tested end to end by cli.component_invoke.
#include "component/ComponentInstance.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/TempFolder.h"

namespace wasmops::component {
namespace {

using binary::ComponentTypeDef;
using binary::ComponentTypeKind;

binary::ComponentValType prim(binary::PrimValType p) { return {true, p, 0}; }

ComponentTypeDef u32ToU32() {
  ComponentTypeDef t;
  t.kind = ComponentTypeKind::Func;
  t.func.params.push_back({"n", prim(binary::PrimValType::U32)});
  t.func.result = prim(binary::PrimValType::U32);
  t.offset = 0x0a;
  return t;
}

// (type (func (param "n" u32) (result u32))) (import NAME (func (type 0))) (export "double" (func 0))
binary::Component importsAndExportsAFunction(const std::string& name) {
  binary::Component c;
  c.types.push_back(u32ToU32());
  binary::ComponentImport i;
  i.name.name = name;
  i.desc.kind = binary::ComponentExternKind::Func;
  i.desc.index = 0;
  i.offset = 0x20;
  c.imports.push_back(i);
  binary::ComponentExport x;
  x.name.name = "double";
  x.item = {binary::Sort::Func, 0};
  x.offset = 0x30;
  c.exports.push_back(x);
  return c;
}

// (type (instance (type (func ...)) (export "double" (func (type 0))))) (import NAME (instance (type 0)))
binary::Component importsAnInterface(const std::string& name) {
  binary::Component c;
  ComponentTypeDef instance;
  instance.kind = ComponentTypeKind::Instance;
  binary::TypeDecl fn;
  fn.kind = binary::TypeDecl::Kind::Type;
  fn.type = std::make_shared<const ComponentTypeDef>(u32ToU32());
  instance.decls.push_back(fn);
  binary::TypeDecl ex;
  ex.kind = binary::TypeDecl::Kind::Export;
  ex.name.name = "double";
  ex.desc.kind = binary::ComponentExternKind::Func;
  ex.desc.index = 0;
  instance.decls.push_back(ex);
  c.types.push_back(instance);
  binary::ComponentImport i;
  i.name.name = name;
  i.desc.kind = binary::ComponentExternKind::Instance;
  i.desc.index = 0;
  i.offset = 0x40;
  c.imports.push_back(i);
  // (alias export 0 "double" (func)) (export "double" (func 0))
  binary::ComponentAlias a;
  a.sort = binary::Sort::Func;
  a.target = binary::ComponentAlias::Target::InstanceExport;
  a.instance = 0;
  a.name = "double";
  a.offset = 0x50;
  c.aliases.push_back(a);
  binary::ComponentExport x;
  x.name.name = "double";
  x.item = {binary::Sort::Func, 0};
  x.offset = 0x60;
  c.exports.push_back(x);
  return c;
}

HostFunction doubler(int* calls = nullptr) {
  return [calls](std::span<const Value> args) -> Expected<std::optional<Value>> {
    if (calls) ++*calls;
    return Value::u32(static_cast<std::uint32_t>(args[0].bits * 2));
  };
}

struct Runtime {
  engine::Engine engine{engine::EngineConfig{}};
  engine::Store store;
};

TEST(ComponentInstance, AnImportTheHostDoesNotProvideIsNamed) {
  Runtime rt;
  ComponentLinker linker;
  auto c = importsAndExportsAFunction("log");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code, ErrorCode::NotFound);
  EXPECT_NE(instance.error().message.find("import 'log'"), std::string::npos) << instance.error().message;
  EXPECT_EQ(instance.error().offset, 0x20u);
}

TEST(ComponentInstance, AHostFunctionIsImportedExportedAndCalled) {
  Runtime rt;
  ComponentLinker linker;
  int calls = 0;
  ASSERT_TRUE(linker.define("log", doubler(&calls)));
  auto c = importsAndExportsAFunction("log");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ((*instance)->functionNames(), std::vector<std::string>{"double"});
  const Value arg = Value::u32(21);
  auto result = (*instance)->call("double", std::span(&arg, 1));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, Value::u32(42));
  EXPECT_EQ(calls, 1);

  const Value wrong = Value::string("21");
  auto bad = (*instance)->call("double", std::span(&wrong, 1));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("argument 'n'"), std::string::npos) << bad.error().message;
  EXPECT_FALSE((*instance)->call("double", {}));
  auto unknown = (*instance)->call("triple", std::span(&arg, 1));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_EQ(calls, 1);  // refused calls never reach the host
}

TEST(ComponentInstance, AnInterfaceLinksToASemverCompatibleHost) {
  Runtime rt;
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("wasmops:test/math@0.2.6", "double", doubler()));
  auto c = importsAnInterface("wasmops:test/math@0.2.3");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_TRUE(instance) << instance.error().message;
  const Value arg = Value::u32(5);
  auto result = (*instance)->call("double", std::span(&arg, 1));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, Value::u32(10));
}

TEST(ComponentInstance, AnImportWithOtherParametersThanTheHostReadsIsRefused) {
  Runtime rt;
  ComponentLinker linker;
  // The host reads a string; the guest declares a u32: linking fails, naming both.
  ASSERT_TRUE(linker.define("wasmops:test/math@0.2.6", "double", doubler(), std::string("string")));
  auto c = importsAnInterface("wasmops:test/math@0.2.6");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message.find("function 'double' takes (u32), the host's takes (string)"), std::string::npos)
      << instance.error().message;
  EXPECT_EQ(instance.error().offset, 0x40u);
  // The same shape links.
  ComponentLinker same;
  ASSERT_TRUE(same.define("wasmops:test/math@0.2.6", "double", doubler(), std::string("u32")));
  EXPECT_TRUE(ComponentInstance::instantiate(c, rt.engine, rt.store, same));
}

TEST(ComponentInstance, AnIncompatibleInterfaceVersionIsNamed) {
  Runtime rt;
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("wasmops:test/math@0.3.0", "double", doubler()));
  auto c = importsAnInterface("wasmops:test/math@0.2.3");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message.find("'wasmops:test/math@0.2.3' (version 0.2.3)"), std::string::npos)
      << instance.error().message;
  EXPECT_EQ(instance.error().offset, 0x40u);
}

TEST(ComponentInstance, AMissingFunctionOfAnInterfaceIsNamed) {
  Runtime rt;
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("wasmops:test/math@0.2.3", "halve", doubler()));
  auto c = importsAnInterface("wasmops:test/math@0.2.3");
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message.find("function 'double'"), std::string::npos) << instance.error().message;
}

TEST(ComponentInstance, AnUnsupportedBuiltinIsRefusedByOffset) {
  Runtime rt;
  ComponentLinker linker;
  binary::Component c;
  binary::CanonFunc f;
  f.kind = binary::CanonFunc::Kind::Builtin;
  f.builtin = "task.return";
  f.offset = 0x42;
  c.canons.push_back(f);
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code, ErrorCode::Unsupported);
  EXPECT_EQ(instance.error().offset, 0x42u);
  EXPECT_NE(instance.error().message.find("task.return"), std::string::npos);
}

TEST(ComponentInstance, AnAliasOfAMissingExportIsAnError) {
  Runtime rt;
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("wasmops:test/math@0.2.3", "double", doubler()));
  auto c = importsAnInterface("wasmops:test/math@0.2.3");
  c.aliases[0].name = "triple";
  auto instance = ComponentInstance::instantiate(c, rt.engine, rt.store, linker);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().offset, 0x50u);
  EXPECT_NE(instance.error().message.find("'triple'"), std::string::npos);
}

// A core module, hand-encoded: (import "host" "double" (func (param i32) (result i32)))
// (func (export "run") (param i32) (result i32) local.get 0 call 0 i32.const 1 i32.add)
const std::vector<std::uint8_t> kCallsTheHost = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                                           // preamble
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,                                           // type
    0x02, 0x0f, 0x01, 0x04, 'h', 'o', 's', 't', 0x06, 'd', 'o', 'u', 'b', 'l', 'e', 0x00, 0x00,  // import
    0x03, 0x02, 0x01, 0x00,                                                                   // function
    0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x01,                                        // export
    0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b,             // code
};

// The graph wit-component makes, in miniature: an imported function lowered
// into a bag of core exports, a core module instantiated with it, its export
// aliased, lifted and exported.
binary::Component guestCallingItsImport() {
  binary::Component c;
  c.types.push_back(u32ToU32());
  c.types.back().offset = 1;
  binary::ComponentImport i;
  i.name.name = "double";
  i.desc.kind = binary::ComponentExternKind::Func;
  i.offset = 2;
  c.imports.push_back(i);
  binary::CanonFunc lower;
  lower.kind = binary::CanonFunc::Kind::Lower;
  lower.func = 0;
  lower.offset = 3;
  c.canons.push_back(lower);
  binary::CoreInstance bag;
  bag.instantiate = false;
  bag.exports.push_back({"double", {binary::Sort::CoreFunc, 0}});
  bag.offset = 4;
  c.coreInstances.push_back(bag);
  binary::NestedModule m;
  m.offset = 5;
  m.bytes = kCallsTheHost;
  m.size = kCallsTheHost.size();
  c.modules.push_back(m);
  binary::CoreInstance inst;
  inst.module = 0;
  inst.args.push_back({"host", 0});
  inst.offset = 6;
  c.coreInstances.push_back(inst);
  binary::ComponentAlias a;
  a.sort = binary::Sort::CoreFunc;
  a.target = binary::ComponentAlias::Target::CoreInstanceExport;
  a.instance = 1;
  a.name = "run";
  a.offset = 7;
  c.aliases.push_back(a);
  binary::CanonFunc lift;
  lift.kind = binary::CanonFunc::Kind::Lift;
  lift.func = 1;
  lift.type = 0;
  lift.offset = 8;
  c.canons.push_back(lift);
  binary::ComponentExport x;
  x.name.name = "run";
  x.item = {binary::Sort::Func, 1};
  x.offset = 9;
  c.exports.push_back(x);
  return c;
}

TEST(ComponentInstance, AGuestCallsItsImportThroughLowerAndLift) {
  auto cache = wasmops::base::TempFolder::create("wasmops-component-instance-test");
  ASSERT_TRUE(cache) << cache.error().message;
  engine::EngineConfig config;
  config.cacheDir = cache->path();
  engine::Engine engine(config);
  engine::Store store;
  ComponentLinker linker;
  std::vector<std::uint64_t> seen;
  ASSERT_TRUE(linker.define("double", [&seen](std::span<const Value> args) -> Expected<std::optional<Value>> {
    seen.push_back(args[0].bits);
    if (args[0].bits == 0) return makeError(ErrorCode::Invalid, "the host refuses zero");
    return Value::u32(static_cast<std::uint32_t>(args[0].bits * 2));
  }));
  auto c = guestCallingItsImport();
  auto instance = ComponentInstance::instantiate(c, engine, store, linker);
  ASSERT_TRUE(instance) << instance.error().format();
  const Value arg = Value::u32(20);
  auto result = (*instance)->call("run", std::span(&arg, 1));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, Value::u32(41));  // the guest adds one to what the host doubled
  EXPECT_EQ(seen, std::vector<std::uint64_t>{20});

  // A host error traps the guest; the instance may be entered again afterwards.
  const Value zero = Value::u32(0);
  auto trapped = (*instance)->call("run", std::span(&zero, 1));
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.error().message.rfind("trap: ", 0), 0u) << trapped.error().message;
  EXPECT_NE(trapped.error().message.find("the host refuses zero"), std::string::npos) << trapped.error().message;
  auto again = (*instance)->call("run", std::span(&arg, 1));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, Value::u32(41));
}

// (import "res" "new" (func (param i32) (result i32))) (import "res" "rep" (func (param i32) (result i32)))
// (func (export "make") (param i32) (result i32) local.get 0 call 0)      ;; the rep is the start value
// (func (export "get") (param i32) (result i32) local.get 0 i32.const 100 i32.add)
// (func (export "peek") (result i32) i32.const 99 call 1)                 ;; a handle never created
const std::vector<std::uint8_t> kCounter = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f,
    0x02, 0x15, 0x02, 0x03, 'r', 'e', 's', 0x03, 'n', 'e', 'w', 0x00, 0x00, 0x03, 'r', 'e', 's', 0x03, 'r', 'e', 'p', 0x00, 0x00,
    0x03, 0x04, 0x03, 0x00, 0x00, 0x01,
    0x07, 0x15, 0x03, 0x04, 'm', 'a', 'k', 'e', 0x00, 0x02, 0x03, 'g', 'e', 't', 0x00, 0x03, 0x04, 'p', 'e', 'e', 'k', 0x00, 0x04,
    0x0a, 0x19, 0x03, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x41, 0xe4, 0x00, 0x6a, 0x0b,
    0x07, 0x00, 0x41, 0xe3, 0x00, 0x10, 0x01, 0x0b,
};

// A resource defined by the component: resource.new/rep lowered into the
// core module, a constructor lifted to return own, a method taking borrow.
binary::Component counterComponent() {
  binary::Component c;
  std::uint64_t at = 1;
  auto type = [&](ComponentTypeDef t) {
    t.offset = at++;
    c.types.push_back(std::move(t));
  };
  ComponentTypeDef resource;
  resource.kind = ComponentTypeKind::Resource;
  type(resource);  // 0
  ComponentTypeDef own;
  own.defined.kind = binary::DefinedKind::Own;
  own.defined.resource = 0;
  type(own);  // 1
  ComponentTypeDef borrow = own;
  borrow.defined.kind = binary::DefinedKind::Borrow;
  type(borrow);  // 2
  ComponentTypeDef make;
  make.kind = ComponentTypeKind::Func;
  make.func.params.push_back({"start", prim(binary::PrimValType::U32)});
  make.func.result = binary::ComponentValType{false, binary::PrimValType::Bool, 1};
  type(make);  // 3
  ComponentTypeDef get;
  get.kind = ComponentTypeKind::Func;
  get.func.params.push_back({"self", binary::ComponentValType{false, binary::PrimValType::Bool, 2}});
  get.func.result = prim(binary::PrimValType::U32);
  type(get);  // 4
  ComponentTypeDef peek;
  peek.kind = ComponentTypeKind::Func;
  peek.func.result = prim(binary::PrimValType::U32);
  type(peek);  // 5
  for (auto kind : {binary::CanonFunc::Kind::ResourceNew, binary::CanonFunc::Kind::ResourceRep}) {
    binary::CanonFunc f;
    f.kind = kind;
    f.type = 0;
    f.offset = at++;
    c.canons.push_back(f);
  }
  binary::CoreInstance bag;
  bag.instantiate = false;
  bag.exports.push_back({"new", {binary::Sort::CoreFunc, 0}});
  bag.exports.push_back({"rep", {binary::Sort::CoreFunc, 1}});
  bag.offset = at++;
  c.coreInstances.push_back(bag);
  binary::NestedModule m;
  m.bytes = kCounter;
  m.size = kCounter.size();
  m.offset = at++;
  c.modules.push_back(m);
  binary::CoreInstance inst;
  inst.args.push_back({"res", 0});
  inst.offset = at++;
  c.coreInstances.push_back(inst);
  const char* names[] = {"make", "get", "peek"};
  for (std::uint32_t k = 0; k < 3; ++k) {
    binary::ComponentAlias a;
    a.sort = binary::Sort::CoreFunc;
    a.target = binary::ComponentAlias::Target::CoreInstanceExport;
    a.instance = 1;
    a.name = names[k];
    a.offset = at++;
    c.aliases.push_back(a);
    binary::CanonFunc lift;
    lift.kind = binary::CanonFunc::Kind::Lift;
    lift.func = 2 + k;
    lift.type = 3 + k;
    lift.offset = at++;
    c.canons.push_back(lift);
    binary::ComponentExport x;
    x.name.name = names[k];
    x.item = {binary::Sort::Func, 2 * k};  // each export adds an index of its own
    x.offset = at++;
    c.exports.push_back(x);
  }
  return c;
}

TEST(ComponentInstance, AResourceIsCreatedAndBorrowedThroughItsHandleTable) {
  auto cache = wasmops::base::TempFolder::create("wasmops-component-instance-test");
  ASSERT_TRUE(cache) << cache.error().message;
  engine::EngineConfig config;
  config.cacheDir = cache->path();
  engine::Engine engine(config);
  engine::Store store;
  ComponentLinker linker;
  auto c = counterComponent();
  auto instance = ComponentInstance::instantiate(c, engine, store, linker);
  ASSERT_TRUE(instance) << instance.error().format();
  const Value start = Value::u32(7);
  auto made = (*instance)->call("make", std::span(&start, 1));
  ASSERT_TRUE(made) << made.error().message;
  ASSERT_TRUE(*made);
  EXPECT_EQ(**made, Value::own(7));  // the handle the guest made, lifted to its rep
  const Value self = Value::borrow(7);
  auto got = (*instance)->call("get", std::span(&self, 1));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, Value::u32(107));  // a borrow of its own resource reaches the guest as the rep
  auto peeked = (*instance)->call("peek", {});
  ASSERT_FALSE(peeked);
  EXPECT_NE(peeked.error().message.find("99"), std::string::npos) << peeked.error().message;
}

TEST(ComponentInstance, ALiftOfACoreFunctionOfAnotherSignatureIsRefused) {
  auto cache = wasmops::base::TempFolder::create("wasmops-component-instance-test");
  ASSERT_TRUE(cache) << cache.error().message;
  engine::EngineConfig config;
  config.cacheDir = cache->path();
  engine::Engine engine(config);
  engine::Store store;
  ComponentLinker linker;
  auto c = counterComponent();
  binary::CanonFunc& liftGet = c.canons[3];
  ASSERT_EQ(liftGet.func, 3u);
  liftGet.type = 5;  // () -> u32 over a core (i32) -> i32
  auto instance = ComponentInstance::instantiate(c, engine, store, linker);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().offset, liftGet.offset);
  EXPECT_NE(instance.error().message.find("core type"), std::string::npos) << instance.error().message;
}


// Linking once, instantiating many times: what the HTTP host does per request.
TEST(LinkedComponent, OneLinkServesManyInstancesEachWithItsOwnState) {
  auto cache = wasmops::base::TempFolder::create("wasmops-component-instance-test");
  ASSERT_TRUE(cache) << cache.error().message;
  engine::EngineConfig config;
  config.cacheDir = cache->path();
  engine::Engine engine(config);
  auto c = counterComponent();
  auto prepared = PreparedComponent::prepare(c, engine);
  ASSERT_TRUE(prepared) << prepared.error().format();
  ComponentLinker linker;
  auto linked = (*prepared)->link(linker);
  ASSERT_TRUE(linked) << linked.error().format();
  for (std::uint32_t i = 0; i < 3; ++i) {
    engine::Store store;
    auto instance = ComponentInstance::instantiate(**linked, store);
    ASSERT_TRUE(instance) << instance.error().format();
    const Value start = Value::u32(7 + i);
    auto made = (*instance)->call("make", std::span(&start, 1));
    ASSERT_TRUE(made) << made.error().message;
    ASSERT_TRUE(*made);
    EXPECT_EQ(**made, Value::own(7 + i));
    const Value self = Value::borrow(7 + i);
    auto got = (*instance)->call("get", std::span(&self, 1));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, Value::u32(107 + i));
    ASSERT_NE((*instance)->functionType("get"), nullptr);
    EXPECT_EQ((*instance)->functionType("get")->params.size(), 1u);
  }
}

TEST(LinkedComponent, ImportErrorsComeFromLinkBeforeAnyInstance) {
  Runtime rt;
  auto c = importsAnInterface("wasmops:test/math@0.2.3");
  auto prepared = PreparedComponent::prepare(c, rt.engine);
  ASSERT_TRUE(prepared) << prepared.error().format();
  ComponentLinker none;
  auto missing = (*prepared)->link(none);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_NE(missing.error().message.find("'wasmops:test/math@0.2.3' (version 0.2.3)"), std::string::npos)
      << missing.error().message;
  EXPECT_EQ(missing.error().offset, 0x40u);
  ComponentLinker wrongShape;
  ASSERT_TRUE(wrongShape.define("wasmops:test/math@0.2.6", "double", doubler(), std::string("string")));
  auto shape = (*prepared)->link(wrongShape);
  ASSERT_FALSE(shape);
  EXPECT_NE(shape.error().message.find("function 'double' takes (u32), the host's takes (string)"), std::string::npos)
      << shape.error().message;
  EXPECT_EQ(shape.error().offset, 0x40u);

  // A definition not supported yet is prepared, and refused by link.
  binary::Component builtin;
  binary::CanonFunc f;
  f.kind = binary::CanonFunc::Kind::Builtin;
  f.builtin = "task.return";
  f.offset = 0x42;
  builtin.canons.push_back(f);
  auto preparedBuiltin = PreparedComponent::prepare(builtin, rt.engine);
  ASSERT_TRUE(preparedBuiltin) << preparedBuiltin.error().format();
  auto refused = (*preparedBuiltin)->link(none);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Unsupported);
  EXPECT_EQ(refused.error().offset, 0x42u);
}

// A linked component copies what it uses: the linker, the prepared component
// and the decoded component may all go before its instances do.
TEST(LinkedComponent, OutlivesItsLinkerPreparedAndDecodedComponent) {
  Runtime rt;
  std::shared_ptr<const LinkedComponent> linked;
  int calls = 0;
  {
    auto c = std::make_unique<binary::Component>(importsAnInterface("wasmops:test/math@0.2.3"));
    auto prepared = PreparedComponent::prepare(*c, rt.engine);
    ASSERT_TRUE(prepared) << prepared.error().format();
    ComponentLinker linker;
    ASSERT_TRUE(linker.define("wasmops:test/math@0.2.3", "double", doubler(&calls)));
    auto l = (*prepared)->link(linker);
    ASSERT_TRUE(l) << l.error().format();
    linked = std::move(*l);
  }
  auto instance = ComponentInstance::instantiate(*linked, rt.store);
  ASSERT_TRUE(instance) << instance.error().format();
  linked.reset();  // the instance keeps it
  EXPECT_EQ((*instance)->functionNames(), std::vector<std::string>{"double"});
  const Value arg = Value::u32(4);
  auto result = (*instance)->call("double", std::span(&arg, 1));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, Value::u32(8));
  EXPECT_EQ(calls, 1);
}

// Several threads instantiate one linked component at once (one store each)
// and call into their instances: nothing of the shared part changes.
TEST(LinkedComponent, ThreadsInstantiateOneLinkedComponentAtOnce) {
  auto cache = wasmops::base::TempFolder::create("wasmops-component-instance-test");
  ASSERT_TRUE(cache) << cache.error().message;
  engine::EngineConfig config;
  config.cacheDir = cache->path();
  engine::Engine engine(config);
  auto c = guestCallingItsImport();
  auto prepared = PreparedComponent::prepare(c, engine);
  ASSERT_TRUE(prepared) << prepared.error().format();
  ComponentLinker linker;
  std::atomic<int> calls{0};
  ASSERT_TRUE(linker.define("double", [&calls](std::span<const Value> args) -> Expected<std::optional<Value>> {
    ++calls;
    return Value::u32(static_cast<std::uint32_t>(args[0].bits * 2));
  }));
  auto linked = (*prepared)->link(linker);
  ASSERT_TRUE(linked) << linked.error().format();
  constexpr int kThreads = 4, kInstances = 25;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kInstances; ++i) {
        engine::Store store;
        auto instance = ComponentInstance::instantiate(**linked, store);
        if (!instance) continue;
        const Value arg = Value::u32(static_cast<std::uint32_t>(t * 1000 + i));
        auto result = (*instance)->call("run", std::span(&arg, 1));
        if (result && *result == Value::u32(static_cast<std::uint32_t>(2 * (t * 1000 + i) + 1))) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kInstances);
  EXPECT_EQ(calls.load(), kThreads * kInstances);
}

}  // namespace
}  // namespace wasmops::component
