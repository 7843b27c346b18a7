#pragma once
// The WIT model: packages, interfaces, worlds, type definitions and
// functions as WIT source spells them (names, not indices). Two producers
// fill it: WitFromComponent (a decoded component's world, with the
// interfaces its imports and exports name) and WitParser (a folder of .wit
// files). One printer (WitPrinter) writes it back as WIT text, so
// `inspect`, `wit FILE` and `wit --check` agree on spelling.
//
// Items keep their source order inside an interface or world: the printer
// writes them in that order, as wit-component does.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "binary/Component.h"

namespace wasmops::component::wit {

// Where an item was written (parser) or found (component: byte offset).
struct Location {
  std::string file;          // WIT file, relative to the folder given; empty for components
  std::uint32_t line = 0;    // 1-based; 0 when unknown
  std::uint32_t column = 0;  // 1-based, in UTF-8 characters
  std::uint64_t offset = 0;  // byte offset in the file or component
};

// A type as written where it is used: `u32`, `list<string>`, `my-record`,
// `borrow<file>`, `result<_, error-code>`.
struct Type {
  enum class Kind : std::uint8_t {
    Primitive, Named, List, FixedList, Option, Result, Tuple, Own, Borrow, Future, Stream, Map,
  };
  Kind kind = Kind::Primitive;
  binary::PrimValType primitive = binary::PrimValType::Bool;  // Primitive
  std::string name;           // Named; Own/Borrow: the resource's name (an owned handle prints as the bare name)
  std::vector<Type> args;     // List/FixedList/Option: 1; Tuple: n; Map: 2; Future/Stream: 0 or 1;
                              // Result: ok then err, each present as flagged below
  bool resultOk = false;      // Result: `result<T, ...>` has an ok type (args[0])
  bool resultErr = false;     // Result: has an error type (the last of args)
  std::uint32_t length = 0;   // FixedList
  Location at;                // where the type is written (parser only)
};

struct Param {
  std::string name;
  Type type;
  Location at;  // parser only
};

struct Function {
  enum class Kind : std::uint8_t { Freestanding, Method, Static, Constructor };
  std::string name;           // as WIT spells it: `read`, not `[method]stream.read`
  Kind kind = Kind::Freestanding;
  bool async = false;
  std::vector<Param> params;  // methods: without the implicit `self`
  std::optional<Type> result;
  std::string docs;           // `///` lines, without the slashes
  Location at;
};

struct Field {
  std::string name;
  Type type;
  std::string docs;
  Location at;  // parser only
};

struct Case {
  std::string name;
  std::optional<Type> type;
  std::string docs;
  Location at;  // parser only
};

struct TypeDef {
  enum class Kind : std::uint8_t { Alias, Record, Variant, Enum, Flags, Resource };
  std::string name;
  Kind kind = Kind::Alias;
  Type alias;                       // Alias: `type name = T;`
  std::vector<Field> fields;        // Record
  std::vector<Case> cases;          // Variant; Enum and Flags: names only (no type)
  std::vector<Function> functions;  // Resource: constructor, methods, statics in order
  std::string docs;
  Location at;
};

// `use wasi:io/streams@0.2.6.{input-stream, output-stream as out};` or, in
// the same package, `use types.{descriptor};`.
struct UsePath {
  std::string ns, package, version;  // empty ns/package: an interface of the same package
  std::string interface;
  Location at;  // parser only
};

struct UseName {
  std::string name;
  std::string as;  // empty: no renaming
  Location at;     // parser only
};

struct Use {
  UsePath from;
  std::vector<UseName> names;
  Location at;
};

struct Interface;

// One item of an interface or a world body, in source order.
using InterfaceItem = std::variant<Use, TypeDef, Function>;

struct Interface {
  std::string name;  // empty: an inline interface in a world (`import bench: interface { ... }`)
  std::vector<InterfaceItem> items;
  std::string docs;
  Location at;
};

struct WorldItem {
  enum class Kind : std::uint8_t {
    InterfaceRef,     // `import wasi:io/streams@0.2.6;` or, same package, `import streams;`
    InlineInterface,  // `import bench: interface { ... }`
    Function,         // `export run: func() -> result;`
    Type,             // a type defined or used at world level (imports only)
    Use,              // `use ...` at world level
  };
  Kind kind = Kind::InterfaceRef;
  bool isImport = true;
  std::string name;            // InlineInterface, Function: the plain name
  UsePath path;                // InterfaceRef
  Interface inlineInterface;   // InlineInterface
  Function function;           // Function
  TypeDef type;                // Type
  Use use;                     // Use
  Location at;
};

struct Include {
  UsePath world;  // `include wasi:cli/imports@0.2.6;` (interface holds the world's name)
  std::vector<UseName> with;
  Location at;
};

struct World {
  std::string name;
  std::vector<WorldItem> items;  // imports, exports, types and uses in source order
  std::vector<Include> includes;
  std::string docs;
  Location at;
};

struct PackageName {
  std::string ns, name, version;  // version without '@', may be empty
};

struct Package {
  PackageName name;
  std::vector<Interface> interfaces;
  std::vector<World> worlds;
  Location at;
};

// What a WIT file set or a component describes: the root package first,
// then the packages it depends on (printed as nested `package x { ... }`).
struct Document {
  std::vector<Package> packages;
};

std::string toString(const PackageName& name);  // "wasi:io@0.2.6"
std::string toString(const UsePath& path);      // "wasi:io/streams@0.2.6" or "streams"

}  // namespace wasmops::component::wit
