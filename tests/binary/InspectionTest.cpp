#include "binary/Inspection.h"

#include <gtest/gtest.h>

#include "base/MappedFile.h"
#include "binary/CustomSections.h"
#include "WasmBuilder.h"

namespace wasmops::binary {
namespace {

Inspection inspectFixture(const std::string& name) {
  auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/" + name);
  EXPECT_TRUE(file) << file.error().format();
  auto insp = inspectBinary(file->bytes());
  EXPECT_TRUE(insp) << insp.error().format();
  return insp ? std::move(*insp) : Inspection{};
}

TEST(Inspection, WasiCommand) {
  auto insp = inspectFixture("command.wasm");
  EXPECT_EQ(insp.classification.kind, ModuleClass::WasiCommand);
  ASSERT_EQ(insp.module.imports.size(), 1u);
  EXPECT_EQ(insp.module.imports[0].module, "wasi_snapshot_preview1");
  EXPECT_EQ(toString(*insp.module.funcType(insp.module.imports[0].typeIndex)), "(i32, i32, i32, i32) -> (i32)");
  ASSERT_EQ(insp.module.memories.size(), 1u);
  EXPECT_EQ(insp.module.memories[0].min, 1u);
  EXPECT_EQ(insp.module.memories[0].max, 2u);
  EXPECT_EQ(insp.module.datas.size(), 1u);
  EXPECT_EQ(insp.module.datas[0].size, 3u);
  EXPECT_TRUE(insp.module.globals.at(0).type.mutable_);
}

TEST(Inspection, Classes) {
  EXPECT_EQ(inspectFixture("reactor.wasm").classification.kind, ModuleClass::WasiReactor);
  EXPECT_EQ(inspectFixture("library.wasm").classification.kind, ModuleClass::Library);
  EXPECT_EQ(inspectFixture("host_imports.wasm").classification.kind, ModuleClass::Other);
}

TEST(Inspection, FeaturesOfA2Point0Module) {
  auto names = inspectFixture("features.wasm").module.features.names();
  for (const char* f : {"multi-value", "bulk-memory", "reference-types", "simd128", "sign-extension",
                        "nontrapping-float-to-int"})
    EXPECT_NE(std::find(names.begin(), names.end(), f), names.end()) << f;
  EXPECT_TRUE(inspectFixture("features.wasm").module.features.beyondWasm2().empty());
}

TEST(Inspection, FeaturesBeyond2Point0) {
  EXPECT_TRUE(inspectFixture("threads.wasm").module.features.has(Feature::Threads));
  EXPECT_TRUE(inspectFixture("threads.wasm").module.memories.at(0).shared);
  EXPECT_TRUE(inspectFixture("tail_call.wasm").module.features.has(Feature::TailCall));
}

TEST(Inspection, NameSectionAndStart) {
  auto insp = inspectFixture("named.wasm");
  ASSERT_TRUE(insp.names);
  EXPECT_EQ(insp.names->moduleName, "example");
  EXPECT_EQ(insp.module.start, 1u);
  EXPECT_EQ(functionDisplayName(insp, 1), "entry");
  EXPECT_EQ(functionDisplayName(insp, 0), "helper");
}

TEST(Inspection, ProducersAndTargetFeatures) {
  using namespace wasmops::testing;
  Bytes producers = cat({name("producers"), uleb(2), name("language"), uleb(1), name("C11"), name(""),
                         name("processed-by"), uleb(1), name("clang"), name("14.0.6")});
  Bytes features = cat({name("target_features"), uleb(2), {'+'}, name("simd128"), {'-'}, name("atomics")});
  auto bytes = module({section(0, producers), section(0, features)});
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  ASSERT_TRUE(insp->producers);
  ASSERT_EQ(insp->producers->fields.size(), 2u);
  EXPECT_EQ(insp->producers->fields[1].values[0].version, "14.0.6");
  ASSERT_TRUE(insp->targetFeatures);
  EXPECT_EQ(insp->targetFeatures->features[1].prefix, '-');
  EXPECT_TRUE(insp->warnings.empty());
}

TEST(Inspection, MalformedCustomSectionIsAWarningNotAnError) {
  using namespace wasmops::testing;
  auto bytes = module({section(0, cat({name("producers"), uleb(5)}))});
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  ASSERT_EQ(insp->warnings.size(), 1u);
  EXPECT_NE(insp->warnings[0].find("producers"), std::string::npos);
}

TEST(Inspection, ComponentTopLevelSections) {
  using namespace wasmops::testing;
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto inner = header();
  for (auto b : section(1, inner)) bytes.push_back(b);
  for (auto b : section(0, cat({name("hello"), {1, 2, 3}}))) bytes.push_back(b);
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  EXPECT_EQ(insp->kind, BinaryKind::Component);
  ASSERT_EQ(insp->component.sections.size(), 2u);
  EXPECT_EQ(insp->component.sections[0].name, "core module");
  EXPECT_EQ(insp->component.coreModules, 1u);
  EXPECT_EQ(insp->component.sections[1].name, "hello");
}

TEST(Inspection, ComponentWorldWithFunctionTypes) {
  using namespace wasmops::testing;
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto append = [&](const Bytes& b) { bytes.insert(bytes.end(), b.begin(), b.end()); };
  // type 0: list<u32>; type 1: option<string>; type 2: func(xs: type 0) -> type 1
  append(section(7, vec(3, cat({{0x70, 0x79}, {0x6b, 0x73}, {0x40}, vec(1, cat({name("xs"), {0x00}})), {0x00, 0x01}}))));
  append(section(10, vec(2, cat({{0x00}, name("wasi:cli/stdout@0.2.3"), {0x05}, uleb(0),   // instance (type 0)
                                 {0x00}, name("log"), {0x01}, uleb(2)}))));                // func (type 2)
  append(section(8, vec(1, cat({{0x00, 0x00}, uleb(0), vec(0, {}), uleb(2)}))));          // lift core func 0 as type 2
  append(section(11, vec(1, cat({{0x00}, name("sum"), {0x01}, uleb(1), {0x00}}))));      // func 1 = the lift
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  ASSERT_TRUE(insp->decoded);
  ASSERT_EQ(insp->world.imports.size(), 2u);
  EXPECT_EQ(insp->world.imports[0].kind, "instance");
  EXPECT_TRUE(insp->world.imports[0].interfaceName.interface);
  EXPECT_EQ(insp->world.imports[0].interfaceName.package, "cli");
  EXPECT_EQ(insp->world.imports[1].type, "func(xs: list<u32>) -> option<string>");
  ASSERT_EQ(insp->world.exports.size(), 1u);
  EXPECT_EQ(insp->world.exports[0].kind, "func");
  EXPECT_EQ(insp->world.exports[0].typeIndex, 2u);
  EXPECT_EQ(insp->world.exports[0].type, "func(xs: list<u32>) -> option<string>");
}

TEST(Inspection, FunctionTypeThroughAnImportedInstance) {
  using namespace wasmops::testing;
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto append = [&](const Bytes& b) { bytes.insert(bytes.end(), b.begin(), b.end()); };
  // type 0: string; type 1: instance { type 0: list<outer type 0>; export "now": func(x: type 0) -> u64 }
  append(section(7, vec(2, cat({{0x73},
                                 {0x42}, vec(3, cat({{0x02, 0x03, 0x02, 0x01, 0x00},            // alias outer 1 0 (type)
                                                     {0x01, 0x70, 0x00},                        // type 1: list<type 0>
                                                     {0x04, 0x00}, name("now"), {0x01, 0x02}})),  // export now: func type 2
                                 }))));
  // The instance type's func type is declared after its use above, which a validator would refuse; the
  // world printer just reports what the indices say: type 2 does not exist in that scope.
  append(section(10, vec(1, cat({{0x00}, name("a:b/clock"), {0x05}, uleb(1)}))));
  append(section(6, vec(1, cat({{0x01, 0x00}, uleb(0), name("now")}))));
  append(section(11, vec(1, cat({{0x00}, name("now"), {0x01}, uleb(0), {0x00}}))));
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  ASSERT_EQ(insp->world.exports.size(), 1u);
  EXPECT_EQ(insp->world.exports[0].type, "");
  EXPECT_FALSE(insp->world.exports[0].typeIndex);

  // With the func type declared in the instance type, it resolves through the outer alias.
  Bytes good = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto add = [&](const Bytes& b) { good.insert(good.end(), b.begin(), b.end()); };
  add(section(7, vec(2, cat({{0x73},
                             {0x42}, vec(4, cat({{0x02, 0x03, 0x02, 0x01, 0x00},
                                                 {0x01, 0x70, 0x00},
                                                 {0x01, 0x40}, vec(1, cat({name("x"), {0x01}})), {0x00, 0x77},
                                                 {0x04, 0x00}, name("now"), {0x01, 0x02}}))}))));
  add(section(10, vec(1, cat({{0x00}, name("a:b/clock"), {0x05}, uleb(1)}))));
  add(section(6, vec(1, cat({{0x01, 0x00}, uleb(0), name("now")}))));
  add(section(11, vec(1, cat({{0x00}, name("now"), {0x01}, uleb(0), {0x00}}))));
  auto ok = inspectBinary(good);
  ASSERT_TRUE(ok) << ok.error().format();
  ASSERT_EQ(ok->world.exports.size(), 1u);
  EXPECT_EQ(ok->world.exports[0].type, "func(x: list<string>) -> u64");
  EXPECT_FALSE(ok->world.exports[0].typeIndex);  // its type lives in the instance type's space
}

TEST(Inspection, OlderComponentVersionListsSectionsOnly) {
  using namespace wasmops::testing;
  Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00};
  for (auto b : section(7, {0xff})) bytes.push_back(b);  // not decodable as 0x0d; listed anyway
  auto insp = inspectBinary(bytes);
  ASSERT_TRUE(insp) << insp.error().format();
  EXPECT_FALSE(insp->decoded);
  EXPECT_EQ(insp->component.sections.size(), 1u);
  ASSERT_EQ(insp->warnings.size(), 1u);
  EXPECT_NE(insp->warnings[0].find("version 0xc"), std::string::npos);
}

}  // namespace
}  // namespace wasmops::binary
