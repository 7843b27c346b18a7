// Instantiation over hand-built decoded components (no core modules, so no
// compiler runs): imports satisfied or refused by the linker, host imports
// re-exported and called, unsupported definitions refused by offset. Calls
// into guest code are tested end to end by cli.component_invoke.
#include "component/ComponentInstance.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace wasmops::component
