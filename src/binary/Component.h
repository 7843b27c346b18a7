#pragma once
// The decoded structure of a component (Component Model binary format,
// preamble version 0x0d, layer 1): every section's items, in the model of
// design/mvp/Binary.md. Decoding checks encodings only; whether indices,
// types and names make sense is validation's job (validate/ComponentValidator).
// Each item keeps the absolute file offset of its first byte, so a validator
// can restore the interleaved definition order that builds index spaces.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "binary/Module.h"
#include "binary/Types.h"

namespace wasmops::binary {

enum class ComponentSectionId : std::uint8_t {
  Custom = 0, CoreModule = 1, CoreInstance = 2, CoreType = 3, Component = 4, Instance = 5, Alias = 6,
  Type = 7, Canon = 8, Start = 9, Import = 10, Export = 11, Value = 12,
};

// `sort` and `core:sort` in one enumeration (Binary.md "Instance Definitions").
enum class Sort : std::uint8_t {
  CoreFunc, CoreTable, CoreMemory, CoreGlobal, CoreTag, CoreType, CoreModule, CoreInstance,
  Func, Value, Type, Component, Instance,
};
const char* toString(Sort sort);  // "core func", ..., "func", "instance"

struct SortIndex {
  Sort sort = Sort::Func;
  std::uint32_t index = 0;
};

// primvaltype opcodes; the enumerator values are the encoding.
enum class PrimValType : std::uint8_t {
  Bool = 0x7f, S8 = 0x7e, U8 = 0x7d, S16 = 0x7c, U16 = 0x7b, S32 = 0x7a, U32 = 0x79, S64 = 0x78, U64 = 0x77,
  F32 = 0x76, F64 = 0x75, Char = 0x74, String = 0x73, ErrorContext = 0x64,
};
const char* toString(PrimValType type);  // WIT spelling: "u32", "string", "error-context"

// valtype: a primitive, or an index into the type index space.
struct ComponentValType {
  bool isPrimitive = true;
  PrimValType primitive = PrimValType::Bool;
  std::uint32_t index = 0;  // !isPrimitive
};

struct LabeledValType {
  std::string label;
  ComponentValType type;
};

struct VariantCase {
  std::string label;
  std::optional<ComponentValType> type;
};

enum class DefinedKind : std::uint8_t {
  Primitive, Record, Variant, List, FixedList, Tuple, Flags, Enum, Option, Result, Own, Borrow, Stream, Future, Map,
};
const char* toString(DefinedKind kind);

// defvaltype. Which fields are used depends on `kind`.
struct DefinedValType {
  DefinedKind kind = DefinedKind::Primitive;
  PrimValType primitive = PrimValType::Bool;    // Primitive
  std::vector<LabeledValType> fields;           // Record
  std::vector<VariantCase> cases;               // Variant
  std::vector<ComponentValType> types;          // Tuple
  std::vector<std::string> labels;              // Flags, Enum
  std::optional<ComponentValType> element;      // List, FixedList, Option, Stream?, Future?, Result ok?, Map key
  std::optional<ComponentValType> second;       // Result error?, Map value
  std::uint32_t length = 0;                     // FixedList
  std::uint32_t resource = 0;                   // Own, Borrow: type index
};

struct ComponentFuncType {
  bool async = false;  // 0x43
  std::vector<LabeledValType> params;
  std::optional<ComponentValType> result;
};

struct ResourceType {
  ValType rep;                           // core value type (i32 today)
  std::optional<std::uint32_t> dtor;     // core function index
};

// externtype (import/export declarations, optional export ascriptions).
enum class ComponentExternKind : std::uint8_t { CoreModule, Func, Value, Type, Component, Instance };
const char* toString(ComponentExternKind kind);  // "module", "func", "value", "type", "component", "instance"
Sort sortOf(ComponentExternKind kind);           // the index space an import of this kind adds to

struct ExternDesc {
  ComponentExternKind kind = ComponentExternKind::Func;
  std::uint32_t index = 0;         // type index (core type index for CoreModule); Type eq; Value eq
  bool subResource = false;        // Type: (sub resource) rather than (eq index)
  bool valueEq = false;            // Value: (eq valueidx) rather than a value type
  ComponentValType valueType;      // Value, !valueEq
};

// nameattributes: the name plus optional attributes (prefix 0x02).
struct ExternName {
  std::string name;
  std::uint8_t prefix = 0;  // 0x00 or 0x01 (legacy interface marker, same meaning), 0x02 with attributes
  std::optional<std::string> implements;
  std::optional<std::string> versionSuffix;
  std::optional<std::string> externalId;
};

// A name of the form `ns:pkg/iface@1.2.3` split into its parts; `interface`
// is false for plain names (`run`, `[method]counter.inc`).
struct InterfaceName {
  bool interface = false;
  std::string ns, package, name, version;  // version without '@', may be empty
};
InterfaceName splitInterfaceName(const std::string& name);

struct ComponentAlias {
  enum class Target : std::uint8_t { InstanceExport, CoreInstanceExport, Outer };
  Sort sort = Sort::Func;
  Target target = Target::InstanceExport;
  std::uint32_t instance = 0;  // *Export
  std::string name;            // *Export
  std::uint32_t outerCount = 0, outerIndex = 0;  // Outer
  std::uint64_t offset = 0;
};

// Declarations inside a core module type.
struct ModuleTypeDecl {
  enum class Kind : std::uint8_t { Import, Type, OuterAlias, Export };
  Kind kind = Kind::Import;
  Import import;                 // Import; Export uses import.name and the kind/type fields
  std::vector<TypeEntry> types;  // Type: one recursion group
  std::uint32_t outerCount = 0, outerIndex = 0;  // OuterAlias (sort: core type)
  std::uint64_t offset = 0;
};

// core:type: a core recursion group, or a core module type.
struct CoreTypeDef {
  bool isModule = false;
  std::vector<TypeEntry> recGroup;     // !isModule (one entry unless a `rec` group)
  std::vector<ModuleTypeDecl> module;  // isModule
  std::uint64_t offset = 0;
};

struct ComponentTypeDef;

// componentdecl / instancedecl.
struct TypeDecl {
  enum class Kind : std::uint8_t { CoreType, Type, Alias, Export, Import };
  Kind kind = Kind::Type;
  CoreTypeDef coreType;                          // CoreType
  std::shared_ptr<const ComponentTypeDef> type;  // Type (shared: immutable once decoded, cheap to copy)
  ComponentAlias alias;                          // Alias
  ExternName name;                               // Export, Import
  ExternDesc desc;                               // Export, Import
  std::uint64_t offset = 0;
};

enum class ComponentTypeKind : std::uint8_t { Defined, Func, Component, Instance, Resource };
const char* toString(ComponentTypeKind kind);

// type: one entry of the type section (or a type declarator).
struct ComponentTypeDef {
  ComponentTypeKind kind = ComponentTypeKind::Defined;
  DefinedValType defined;       // Defined
  ComponentFuncType func;       // Func
  std::vector<TypeDecl> decls;  // Component, Instance
  ResourceType resource;        // Resource
  std::uint64_t offset = 0;
};

struct CoreInstance {
  struct Arg {
    std::string name;
    std::uint32_t instance = 0;  // core instance index (the only sort allowed, 0x12)
  };
  struct InlineExport {
    std::string name;
    SortIndex item;  // a core sort
  };
  bool instantiate = true;  // 0x00 instantiate module, else 0x01 from exports
  std::uint32_t module = 0;
  std::vector<Arg> args;
  std::vector<InlineExport> exports;
  std::uint64_t offset = 0;
};

struct ComponentInstance {
  struct Arg {
    std::string name;
    SortIndex item;
  };
  struct InlineExport {
    ExternName name;
    SortIndex item;
  };
  bool instantiate = true;  // 0x00 instantiate component, else 0x01 from exports
  std::uint32_t component = 0;
  std::vector<Arg> args;
  std::vector<InlineExport> exports;
  std::uint64_t offset = 0;
};

enum class StringEncoding : std::uint8_t { Utf8, Utf16, Latin1Utf16 };
const char* toString(StringEncoding encoding);  // "utf8", "utf16", "latin1+utf16"

struct CanonOptions {
  StringEncoding stringEncoding = StringEncoding::Utf8;
  bool explicitEncoding = false;
  std::optional<std::uint32_t> memory, realloc, postReturn, callback, coreType;
  bool async = false, gc = false;
  std::uint32_t count = 0;  // options as encoded (duplicates are validation's business)
  // The option opcodes in encoded order (the first kOrderKept), so a text
  // printer writes them back in the order they came.
  static constexpr std::size_t kOrderKept = 16;
  std::vector<std::uint8_t> order;
};

// A canon definition. Lift, lower and the resource built-ins are modelled;
// the async, stream/future, error-context and thread built-ins are decoded
// (so the bytes are known well-formed) and kept as `Builtin` with their
// opcode, name and immediates, for a runtime to refuse by name.
struct CanonFunc {
  enum class Kind : std::uint8_t { Lift, Lower, ResourceNew, ResourceDrop, ResourceRep, Builtin };
  Kind kind = Kind::Lift;
  std::uint8_t opcode = 0;
  const char* builtin = "";     // "lift", "lower", "resource.new", "task.return", "stream.read", ...
  std::uint32_t func = 0;       // Lift: core func index; Lower: component func index
  std::uint32_t type = 0;       // Lift: func type; resource.*: resource type; stream/future: their type;
                                // thread.new-indirect: core func type
  std::uint32_t immediate = 0;  // context.get/set: slot; waitable-set.wait/poll: memory; thread.new-indirect: table
  bool flag = false;            // async? / cancel? immediates
  ValType coreType;             // context.get/set
  std::optional<ComponentValType> result;  // task.return
  CanonOptions options;         // Lift, Lower, and the built-ins that take opts
  std::uint64_t offset = 0;
};
const char* toString(CanonFunc::Kind kind);

struct ComponentStart {
  std::uint32_t func = 0;
  std::vector<std::uint32_t> args;  // value indices
  std::uint32_t results = 0;
  std::uint64_t offset = 0;
};

struct ComponentImport {
  ExternName name;
  ExternDesc desc;
  std::uint64_t offset = 0;
};

struct ComponentExport {
  ExternName name;
  SortIndex item;
  std::optional<ExternDesc> desc;  // optional type ascription
  std::uint64_t offset = 0;
};

// 🪙 A value definition: its type and its encoded bytes (not interpreted).
struct ComponentValue {
  ComponentValType type;
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset = 0;
};

// A core module section. `offset` and `size` locate its bytes (preamble
// included); `module` is decoded unless the caller asked not to, and its own
// offsets are relative to `offset`.
struct NestedModule {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::span<const std::uint8_t> bytes;
  std::optional<Module> module;
};

struct Component {
  std::uint16_t version = 0;
  std::uint64_t offset = 0;  // of the preamble: 0 at top level
  std::uint64_t size = 0;
  std::vector<SectionInfo> sections;  // in file order; count = items in vector sections
  std::vector<NestedModule> modules;
  std::vector<Component> components;  // nested, recursively decoded
  std::vector<CoreInstance> coreInstances;
  std::vector<CoreTypeDef> coreTypes;
  std::vector<ComponentInstance> instances;
  std::vector<ComponentAlias> aliases;
  std::vector<ComponentTypeDef> types;
  std::vector<CanonFunc> canons;
  std::vector<ComponentStart> starts;
  std::vector<ComponentImport> imports;
  std::vector<ComponentExport> exports;
  std::vector<ComponentValue> values;      // 🪙 value definitions
  std::vector<CustomSection> customs;      // all of them (producers, name, component-type:*, ...)
};

}  // namespace wasmops::binary
