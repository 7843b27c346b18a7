#include "binary/ComponentDecoder.h"

#include <gtest/gtest.h>

#include "WasmBuilder.h"

namespace wasmops::binary {
namespace {

using namespace wasmops::testing;

Bytes componentHeader() { return {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}; }

Bytes component(std::initializer_list<Bytes> sections) {
  Bytes out = componentHeader();
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// `name` with the 0x00 nameattributes prefix.
Bytes externName(const std::string& s) { return cat({{0x00}, name(s)}); }

Expected<Component> decode(const Bytes& bytes, const ComponentDecodeOptions& options = {}) {
  return decodeComponent(bytes, options);
}

// Decodes and asserts success; the Component is empty on failure.
Component decodeOk(const Bytes& bytes) {
  auto c = decode(bytes);
  EXPECT_TRUE(c) << c.error().format();
  return c ? std::move(*c) : Component{};
}

// Asserts failure with `text` in the message at absolute offset `offset`.
void expectError(const Bytes& bytes, const std::string& text, std::optional<std::uint64_t> offset = std::nullopt) {
  auto c = decode(bytes);
  ASSERT_FALSE(c) << "decoded, expected: " << text;
  EXPECT_NE(c.error().message.find(text), std::string::npos) << c.error().format();
  if (offset) {
    ASSERT_TRUE(c.error().offset) << c.error().format();
    EXPECT_EQ(*c.error().offset, *offset) << c.error().format();
  }
}

TEST(ComponentDecoder, EmptyComponent) {
  auto c = decodeOk(componentHeader());
  EXPECT_EQ(c.version, 0x0d);
  EXPECT_TRUE(c.sections.empty());
}

TEST(ComponentDecoder, RejectsCoreModuleAndOtherVersions) {
  auto m = decode(header());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::Unsupported);
  Bytes old = {0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00};
  auto o = decode(old);
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("version 0xc"), std::string::npos);
}

TEST(ComponentDecoder, NestedModuleDecodedAndLocated) {
  Bytes inner = module({voidTypeSection()});
  auto c = decodeOk(component({section(1, inner)}));
  ASSERT_EQ(c.modules.size(), 1u);
  EXPECT_EQ(c.modules[0].offset, 10u);  // header 8 + id + size
  EXPECT_EQ(c.modules[0].size, inner.size());
  ASSERT_TRUE(c.modules[0].module);
  EXPECT_EQ(c.modules[0].module->types.size(), 1u);

  // A broken type section inside the module: located at its file offset.
  Bytes bad = module({section(1, vec(1, {0x61}))});
  auto e = decode(component({section(1, bad)}));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("core module 0"), std::string::npos) << e.error().format();
  ASSERT_TRUE(e.error().offset);
  EXPECT_EQ(*e.error().offset, 10u + 8 + 3) << e.error().format();  // the 0x61 byte

  // A component where a module belongs.
  expectError(component({section(1, componentHeader())}), "this is a component, not a core module");
}

TEST(ComponentDecoder, ModulesKeptAsRangesWhenAsked) {
  ComponentDecodeOptions o;
  o.decodeModules = false;
  auto c = decode(component({section(1, module({voidTypeSection()}))}), o);
  ASSERT_TRUE(c) << c.error().format();
  ASSERT_EQ(c->modules.size(), 1u);
  EXPECT_FALSE(c->modules[0].module);
  EXPECT_EQ(c->modules[0].bytes.size(), c->modules[0].size);
}

TEST(ComponentDecoder, CoreInstancesAndCoreTypes) {
  Bytes instances = vec(2, cat({{0x00}, uleb(0), vec(1, cat({name("wasi"), {0x12}, uleb(3)})),  // instantiate 0 with wasi=3
                               {0x01}, vec(1, cat({name("f"), {0x02}, uleb(7)}))}));         // exports memory 7
  Bytes moduleType = cat({{0x50}, vec(4, cat({{0x01, 0x60, 0x01, 0x7f, 0x00},                   // type (i32) -> ()
                                              {0x00}, name("m"), name("f"), {0x00}, uleb(0),    // import func 0
                                              {0x03}, name("g"), {0x02, 0x00, 0x01},            // export memory {1}
                                              {0x02, 0x10, 0x01}, uleb(1), uleb(0)}))});        // alias outer 1 0
  Bytes coreTypes = vec(3, cat({moduleType, {0x60, 0x00, 0x00}, {0x00, 0x50, 0x00, 0x60, 0x00, 0x00}}));
  auto c = decodeOk(component({section(2, instances), section(3, coreTypes)}));
  ASSERT_EQ(c.coreInstances.size(), 2u);
  EXPECT_TRUE(c.coreInstances[0].instantiate);
  ASSERT_EQ(c.coreInstances[0].args.size(), 1u);
  EXPECT_EQ(c.coreInstances[0].args[0].name, "wasi");
  EXPECT_EQ(c.coreInstances[0].args[0].instance, 3u);
  EXPECT_FALSE(c.coreInstances[1].instantiate);
  EXPECT_EQ(c.coreInstances[1].exports.at(0).item.sort, Sort::CoreMemory);
  EXPECT_EQ(c.coreInstances[1].exports.at(0).item.index, 7u);

  ASSERT_EQ(c.coreTypes.size(), 3u);
  ASSERT_TRUE(c.coreTypes[0].isModule);
  ASSERT_EQ(c.coreTypes[0].module.size(), 4u);
  EXPECT_EQ(c.coreTypes[0].module[0].kind, ModuleTypeDecl::Kind::Type);
  EXPECT_EQ(c.coreTypes[0].module[1].import.module, "m");
  EXPECT_EQ(c.coreTypes[0].module[2].kind, ModuleTypeDecl::Kind::Export);
  EXPECT_EQ(c.coreTypes[0].module[2].import.kind, ExternKind::Memory);
  EXPECT_EQ(c.coreTypes[0].module[3].outerCount, 1u);
  EXPECT_FALSE(c.coreTypes[1].isModule);
  EXPECT_TRUE(c.coreTypes[1].recGroup.at(0).final);
  EXPECT_FALSE(c.coreTypes[2].recGroup.at(0).final);  // 0x00 0x50: a non-final sub, not a module type

  expectError(component({section(2, vec(1, cat({{0x00}, uleb(0), vec(1, cat({name("x"), {0x11}, uleb(0)}))})))}),
              "expected the instance sort 0x12");
}

TEST(ComponentDecoder, EveryDefinedValueType) {
  Bytes types = vec(15, cat({
      {0x73},                                                             // 0 string
      {0x72}, vec(2, cat({name("x"), {0x7a}, name("y"), {0x7a}})),        // 1 record
      {0x71}, vec(2, cat({name("a"), {0x01, 0x79, 0x00}, name("b"), {0x00, 0x00}})),  // 2 variant
      {0x70, 0x01},                                                       // 3 list<type 1>
      {0x6f}, vec(2, {0x7f, 0x74}),                                       // 4 tuple<bool, char>
      {0x6e}, vec(2, cat({name("r"), name("w")})),                        // 5 flags
      {0x6d}, vec(1, name("e")),                                          // 6 enum
      {0x6b, 0x73},                                                       // 7 option<string>
      {0x6a, 0x01, 0x79, 0x00},                                           // 8 result<u32>
      {0x3f, 0x7f, 0x01}, uleb(4),                                        // 9 resource (rep i32) (dtor 4)
      {0x69, 0x09},                                                       // 10 own<9>
      {0x68, 0x09},                                                       // 11 borrow<9>
      {0x40}, vec(1, cat({name("s"), {0x73}})), {0x00, 0x79},             // 12 func(s: string) -> u32
      {0x40, 0x00, 0x01, 0x00},                                           // 13 func()
      {0x67, 0x7d}, uleb(4),                                              // 14 list<u8, 4>
  }));
  auto c = decodeOk(component({section(7, types)}));
  ASSERT_EQ(c.types.size(), 15u);
  EXPECT_EQ(c.types[0].defined.primitive, PrimValType::String);
  EXPECT_EQ(c.types[1].defined.kind, DefinedKind::Record);
  EXPECT_EQ(c.types[1].defined.fields.at(1).label, "y");
  EXPECT_EQ(c.types[2].defined.kind, DefinedKind::Variant);
  EXPECT_TRUE(c.types[2].defined.cases.at(0).type);
  EXPECT_FALSE(c.types[2].defined.cases.at(1).type);
  EXPECT_EQ(c.types[3].defined.kind, DefinedKind::List);
  EXPECT_FALSE(c.types[3].defined.element->isPrimitive);
  EXPECT_EQ(c.types[3].defined.element->index, 1u);
  EXPECT_EQ(c.types[4].defined.types.size(), 2u);
  EXPECT_EQ(c.types[5].defined.labels, (std::vector<std::string>{"r", "w"}));
  EXPECT_EQ(c.types[6].defined.kind, DefinedKind::Enum);
  EXPECT_EQ(c.types[7].defined.kind, DefinedKind::Option);
  EXPECT_EQ(c.types[8].defined.kind, DefinedKind::Result);
  EXPECT_TRUE(c.types[8].defined.element);
  EXPECT_FALSE(c.types[8].defined.second);
  EXPECT_EQ(c.types[9].kind, ComponentTypeKind::Resource);
  EXPECT_EQ(c.types[9].resource.dtor, 4u);
  EXPECT_EQ(c.types[10].defined.kind, DefinedKind::Own);
  EXPECT_EQ(c.types[11].defined.kind, DefinedKind::Borrow);
  EXPECT_EQ(c.types[11].defined.resource, 9u);
  EXPECT_EQ(c.types[12].kind, ComponentTypeKind::Func);
  EXPECT_EQ(c.types[12].func.params.at(0).label, "s");
  EXPECT_EQ(c.types[12].func.result->primitive, PrimValType::U32);
  EXPECT_FALSE(c.types[13].func.result);
  EXPECT_EQ(c.types[14].defined.kind, DefinedKind::FixedList);
  EXPECT_EQ(c.types[14].defined.length, 4u);
  EXPECT_EQ(c.sections.at(0).count, 15u);
}

TEST(ComponentDecoder, BadTypeEncodings) {
  // 0x6c (the removed union) is no type; offset of the opcode: 8 + id + size + count.
  expectError(component({section(7, vec(1, {0x6c}))}), "unknown opcode 0x6c", 11);
  expectError(component({section(7, vec(1, cat({{0x71}, vec(1, cat({name("a"), {0x00, 0x01, 0x00}}))})))}),
              "malformed variant case");
  expectError(component({section(7, vec(1, {0x40, 0x00, 0x01, 0x01}))}), "named results");
  expectError(component({section(7, vec(1, {0x70, 0x6a}))}), "malformed value type");
}

TEST(ComponentDecoder, InstanceAndComponentTypes) {
  Bytes instanceType = cat({{0x42}, vec(4, cat({{0x01, 0x40, 0x00, 0x01, 0x00},          // type func()
                                                 {0x04}, externName("f"), {0x01, 0x00},  // export f: func (type 0)
                                                 {0x02, 0x03, 0x02, 0x01, 0x00},         // alias outer 1 0 (type)
                                                 {0x04}, externName("r"), {0x03, 0x01}}))});  // export r: (sub resource)
  Bytes componentType = cat({{0x41}, vec(2, cat({{0x03}, externName("i"), {0x05, 0x00},        // import i: instance 0
                                                  {0x00, 0x50, 0x00}}))});                     // core module type
  auto c = decodeOk(component({section(7, vec(2, cat({instanceType, componentType})))}));
  ASSERT_EQ(c.types.size(), 2u);
  const auto& it = c.types[0];
  EXPECT_EQ(it.kind, ComponentTypeKind::Instance);
  ASSERT_EQ(it.decls.size(), 4u);
  ASSERT_TRUE(it.decls[0].type);
  EXPECT_EQ(it.decls[0].type->kind, ComponentTypeKind::Func);
  EXPECT_EQ(it.decls[1].kind, TypeDecl::Kind::Export);
  EXPECT_EQ(it.decls[1].desc.kind, ComponentExternKind::Func);
  EXPECT_EQ(it.decls[2].alias.target, ComponentAlias::Target::Outer);
  EXPECT_TRUE(it.decls[3].desc.subResource);
  const auto& ct = c.types[1];
  EXPECT_EQ(ct.kind, ComponentTypeKind::Component);
  EXPECT_EQ(ct.decls.at(0).kind, TypeDecl::Kind::Import);
  EXPECT_EQ(ct.decls.at(0).desc.kind, ComponentExternKind::Instance);
  EXPECT_TRUE(ct.decls.at(1).coreType.isModule);

  // Imports are component-type declarations only.
  expectError(component({section(7, vec(1, cat({{0x42}, vec(1, cat({{0x03}, externName("i"), {0x05, 0x00}}))})))}),
              "instance type declaration");
}

TEST(ComponentDecoder, NestingIsLimited) {
  // instance type inside instance type ..., 100 deep.
  Bytes t = {0x42, 0x00};
  for (int i = 0; i < 100; ++i) t = cat({{0x42, 0x01, 0x01}, t});
  auto e = decode(component({section(7, vec(1, t))}));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::LimitExceeded) << e.error().format();

  Bytes nested = componentHeader();
  for (int i = 0; i < 100; ++i) nested = cat({componentHeader(), section(4, nested)});
  auto n = decode(nested);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::LimitExceeded) << n.error().format();

  // Within the limit, nesting decodes.
  Bytes two = cat({componentHeader(), section(4, cat({componentHeader(), section(4, componentHeader())}))});
  auto ok = decodeOk(two);
  ASSERT_EQ(ok.components.size(), 1u);
  EXPECT_EQ(ok.components[0].components.size(), 1u);
  EXPECT_EQ(ok.components[0].offset, 10u);
}

TEST(ComponentDecoder, Aliases) {
  Bytes aliases = vec(4, cat({{0x01, 0x00}, uleb(2), name("f"),          // func export of instance 2
                              {0x00, 0x02, 0x01}, uleb(0), name("mem"),  // core memory export of core instance 0
                              {0x03, 0x02}, uleb(1), uleb(5),            // outer type 1 5
                              {0x00, 0x11, 0x02}, uleb(1), uleb(0)}));   // outer core module 1 0
  auto c = decodeOk(component({section(6, aliases)}));
  ASSERT_EQ(c.aliases.size(), 4u);
  EXPECT_EQ(c.aliases[0].sort, Sort::Func);
  EXPECT_EQ(c.aliases[0].target, ComponentAlias::Target::InstanceExport);
  EXPECT_EQ(c.aliases[0].instance, 2u);
  EXPECT_EQ(c.aliases[1].sort, Sort::CoreMemory);
  EXPECT_EQ(c.aliases[1].target, ComponentAlias::Target::CoreInstanceExport);
  EXPECT_EQ(c.aliases[1].name, "mem");
  EXPECT_EQ(c.aliases[2].target, ComponentAlias::Target::Outer);
  EXPECT_EQ(c.aliases[2].outerIndex, 5u);
  EXPECT_EQ(c.aliases[3].sort, Sort::CoreModule);
  expectError(component({section(6, vec(1, {0x01, 0x03, 0x00, 0x00}))}), "alias target");
  expectError(component({section(6, vec(1, {0x06, 0x00, 0x00, 0x00}))}), "malformed sort");
}

TEST(ComponentDecoder, CanonDefinitions) {
  Bytes canons = vec(7, cat({
      {0x00, 0x00}, uleb(3), vec(4, cat({{0x01}, {0x03}, uleb(0), {0x04}, uleb(1), {0x05}, uleb(2)})), uleb(5),  // lift
      {0x01, 0x00}, uleb(1), vec(1, {0x02}),                                                                   // lower
      {0x02}, uleb(9), {0x03}, uleb(9), {0x04}, uleb(9),                                                      // resource.*
      {0x09, 0x01, 0x00}, vec(0, {}),                                                                         // task.return
      {0x20, 0x01}, uleb(0),                                                                                   // waitable-set.wait
  }));
  auto c = decodeOk(component({section(8, canons)}));
  ASSERT_EQ(c.canons.size(), 7u);
  const auto& lift = c.canons[0];
  EXPECT_EQ(lift.kind, CanonFunc::Kind::Lift);
  EXPECT_EQ(lift.func, 3u);
  EXPECT_EQ(lift.type, 5u);
  EXPECT_EQ(lift.options.stringEncoding, StringEncoding::Utf16);
  EXPECT_EQ(lift.options.memory, 0u);
  EXPECT_EQ(lift.options.realloc, 1u);
  EXPECT_EQ(lift.options.postReturn, 2u);
  EXPECT_EQ(c.canons[1].kind, CanonFunc::Kind::Lower);
  EXPECT_EQ(c.canons[1].options.stringEncoding, StringEncoding::Latin1Utf16);
  EXPECT_EQ(c.canons[2].kind, CanonFunc::Kind::ResourceNew);
  EXPECT_EQ(c.canons[3].kind, CanonFunc::Kind::ResourceDrop);
  EXPECT_EQ(c.canons[4].kind, CanonFunc::Kind::ResourceRep);
  EXPECT_EQ(c.canons[4].type, 9u);
  EXPECT_EQ(c.canons[5].kind, CanonFunc::Kind::Builtin);
  EXPECT_STREQ(c.canons[5].builtin, "task.return");
  EXPECT_STREQ(c.canons[6].builtin, "waitable-set.wait");
  EXPECT_TRUE(c.canons[6].flag);

  // Unknown opcodes and options are located errors.
  expectError(component({section(8, vec(1, {0x07}))}), "malformed canon definition: unknown opcode 0x07", 11);
  expectError(component({section(8, vec(1, cat({{0x01, 0x00}, uleb(0), vec(1, {0x0a})})))}),
              "canonical option: unknown opcode 0x0a", 15);
  expectError(component({section(8, vec(1, {0x00, 0x01, 0x00, 0x00, 0x00}))}), "expected the func sort");
  auto shared = decode(component({section(8, vec(1, {0x42, 0x00}))}));
  ASSERT_FALSE(shared);
  EXPECT_EQ(shared.error().code, ErrorCode::Unsupported);
}

TEST(ComponentDecoder, ImportsExportsAndNames) {
  Bytes imports = vec(3, cat({externName("wasi:cli/environment@0.2.12"), {0x05}, uleb(7),
                              {0x01}, name("foo"), {0x01}, uleb(4),  // legacy 0x01 prefix
                              {0x02}, name("bar"), vec(2, cat({{0x00}, name("a:b/c"), {0x01}, name("1.2")})), {0x03, 0x00}, uleb(2)}));
  Bytes exports = vec(2, cat({externName("run"), {0x01}, uleb(0), {0x01, 0x01}, uleb(4),  // with ascription
                              externName("m"), {0x00, 0x11}, uleb(0), {0x00}}));
  auto c = decodeOk(component({section(10, imports), section(11, exports)}));
  ASSERT_EQ(c.imports.size(), 3u);
  EXPECT_EQ(c.imports[0].name.name, "wasi:cli/environment@0.2.12");
  EXPECT_EQ(c.imports[0].desc.kind, ComponentExternKind::Instance);
  EXPECT_EQ(c.imports[0].desc.index, 7u);
  EXPECT_EQ(c.imports[1].name.prefix, 0x01);
  EXPECT_EQ(c.imports[1].desc.kind, ComponentExternKind::Func);
  EXPECT_EQ(c.imports[2].name.implements, "a:b/c");
  EXPECT_EQ(c.imports[2].name.versionSuffix, "1.2");
  EXPECT_EQ(c.imports[2].desc.kind, ComponentExternKind::Type);
  ASSERT_EQ(c.exports.size(), 2u);
  EXPECT_EQ(c.exports[0].item.sort, Sort::Func);
  ASSERT_TRUE(c.exports[0].desc);
  EXPECT_EQ(c.exports[0].desc->index, 4u);
  EXPECT_EQ(c.exports[1].item.sort, Sort::CoreModule);
  EXPECT_FALSE(c.exports[1].desc);

  expectError(component({section(10, vec(1, cat({{0x03}, name("x"), {0x01, 0x00}})))}), "extern name prefix");
  expectError(component({section(10, vec(1, cat({{0x02}, name("x"), vec(2, cat({{0x01}, name("1"), {0x01}, name("2")})), {0x01, 0x00}})))}),
              "duplicate 'versionsuffix'");
  expectError(component({section(10, vec(1, cat({externName("x"), {0x00, 0x10, 0x00}})))}), "only module");
  expectError(component({section(11, vec(1, cat({externName("x"), {0x01, 0x00, 0x02}})))}), "type ascription");
}

TEST(ComponentDecoder, InstancesStartValuesAndCustoms) {
  Bytes instances = vec(2, cat({{0x00}, uleb(0), vec(1, cat({name("a"), {0x05}, uleb(1)})),
                               {0x01}, vec(1, cat({externName("f"), {0x01}, uleb(2)}))}));
  Bytes start = cat({uleb(4), vec(2, cat({uleb(0), uleb(1)})), uleb(1)});
  Bytes values = vec(1, cat({{0x79}, uleb(1), {0x2a}}));
  Bytes producers = cat({name("producers"), {0x00}});
  auto c = decodeOk(component({section(5, instances), section(9, start), section(12, values), section(0, producers),
                               section(0, cat({name("component-type:world"), {1, 2, 3}}))}));
  ASSERT_EQ(c.instances.size(), 2u);
  EXPECT_EQ(c.instances[0].args.at(0).item.sort, Sort::Instance);
  EXPECT_EQ(c.instances[1].exports.at(0).name.name, "f");
  ASSERT_EQ(c.starts.size(), 1u);
  EXPECT_EQ(c.starts[0].func, 4u);
  EXPECT_EQ(c.starts[0].args, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(c.starts[0].results, 1u);
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].bytes.size(), 1u);
  ASSERT_EQ(c.customs.size(), 2u);
  EXPECT_EQ(c.customs[1].name, "component-type:world");
  EXPECT_EQ(c.customs[1].payload.size(), 3u);
  EXPECT_EQ(c.sections.back().name, "component-type:world");
}

TEST(ComponentDecoder, SectionFramingErrors) {
  expectError(component({section(13, {})}), "malformed component section id 13", 8);
  expectError(component({section(9, cat({uleb(0), vec(0, {}), uleb(0), {0xff}}))}), "bytes left after its last item");
  // A section that claims more bytes than the file has.
  Bytes truncated = componentHeader();
  truncated.insert(truncated.end(), {0x07, 0x10, 0x01});
  expectError(truncated, "larger than the", 9);
  // A hostile count cannot allocate: 2^32-1 items in a 6-byte section.
  expectError(component({section(10, uleb(0xffffffff))}), "does not fit");
}

TEST(ComponentDecoder, ItemsPerKindAreLimited) {
  ComponentDecodeOptions o;
  o.maxItemsPerKind = 3;
  Bytes types = section(7, vec(2, {0x73, 0x73}));
  auto ok = decode(component({types}), o);
  ASSERT_TRUE(ok) << ok.error().format();
  // The limit counts every section of the kind in the component.
  auto e = decode(component({types, types}), o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::LimitExceeded);
  EXPECT_NE(e.error().message.find("4 items"), std::string::npos) << e.error().format();
}

TEST(ComponentDecoder, ErrorsNameSectionAndItem) {
  Bytes imports = vec(2, cat({externName("ok"), {0x01}, uleb(0), externName("bad"), {0x09}}));
  auto e = decode(component({section(10, imports)}));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("import section, item 1"), std::string::npos) << e.error().format();
  EXPECT_NE(e.error().message.find("extern type"), std::string::npos) << e.error().format();
}

TEST(ComponentDecoder, EveryPrefixOfAComponentFailsCleanly) {
  Bytes c = component({section(1, module({voidTypeSection()})),
                       section(7, vec(2, cat({{0x72}, vec(1, cat({name("x"), {0x7a}})), {0x40, 0x00, 0x01, 0x00}}))),
                       section(8, vec(1, cat({{0x00, 0x00}, uleb(0), vec(1, {0x00}), uleb(1)}))),
                       section(11, vec(1, cat({externName("f"), {0x01}, uleb(0), {0x00}}))),
                       section(0, cat({name("producers"), {0x00}}))});
  ASSERT_TRUE(decode(c)) << decode(c).error().format();
  for (std::size_t n = 0; n < c.size(); ++n) {
    Bytes prefix(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = decode(prefix);
    // Cutting exactly at a section boundary leaves a valid, shorter component.
    if (r) continue;
    EXPECT_TRUE(r.error().offset) << "prefix " << n << ": " << r.error().format();
    if (r.error().offset) {
      EXPECT_LE(*r.error().offset, n) << r.error().format();
    }
  }
}

TEST(ComponentName, SplitsInterfaceNames) {
  auto n = splitInterfaceName("wasi:cli/environment@0.2.12");
  EXPECT_TRUE(n.interface);
  EXPECT_EQ(n.ns, "wasi");
  EXPECT_EQ(n.package, "cli");
  EXPECT_EQ(n.name, "environment");
  EXPECT_EQ(n.version, "0.2.12");
  auto u = splitInterfaceName("a:b/c");
  EXPECT_TRUE(u.interface);
  EXPECT_EQ(u.version, "");
  EXPECT_FALSE(splitInterfaceName("run").interface);
  EXPECT_FALSE(splitInterfaceName("[method]counter.inc").interface);
  EXPECT_FALSE(splitInterfaceName("unlocked-dep=<a:b/c>").interface);
}

}  // namespace
}  // namespace wasmops::binary
