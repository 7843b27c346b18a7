#pragma once
// Value, heap, composite and external types of core WebAssembly (2.0 plus the
// later proposals inspect can report: GC and typed references, exceptions,
// threads, memory64).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmops::binary {

// Abstract heap types, as the s33 value their one-byte encoding decodes to.
enum class HeapType : std::int32_t {
  NoExn = -0x0c,
  NoFunc = -0x0d,
  NoExtern = -0x0e,
  None = -0x0f,
  Func = -0x10,
  Extern = -0x11,
  Any = -0x12,
  Eq = -0x13,
  I31 = -0x14,
  Struct = -0x15,
  Array = -0x16,
  Exn = -0x17,
};

enum class ValKind : std::uint8_t { I32, I64, F32, F64, V128, Ref, I8, I16 };

struct ValType {
  ValKind kind = ValKind::I32;
  bool nullable = true;
  std::int64_t heap = static_cast<std::int64_t>(HeapType::Func);  // <0 abstract, >=0 type index

  static ValType funcref() { return {ValKind::Ref, true, static_cast<std::int64_t>(HeapType::Func)}; }
  static ValType externref() { return {ValKind::Ref, true, static_cast<std::int64_t>(HeapType::Extern)}; }
  bool isRef() const { return kind == ValKind::Ref; }
  bool isFuncref() const { return kind == ValKind::Ref && nullable && heap == static_cast<std::int64_t>(HeapType::Func); }
  bool isExternref() const {
    return kind == ValKind::Ref && nullable && heap == static_cast<std::int64_t>(HeapType::Extern);
  }
  // True for types beyond WebAssembly 2.0 (typed refs, GC refs, exnref).
  bool needsTypedRefs() const { return kind == ValKind::Ref && !isFuncref() && !isExternref(); }
  friend bool operator==(const ValType&, const ValType&) = default;
};

std::string toString(ValType type);
std::string heapTypeName(std::int64_t heap);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
};
std::string toString(const FuncType& type);

struct FieldType {
  ValType type;
  bool mutable_ = false;
};

enum class CompositeKind : std::uint8_t { Func, Struct, Array };

struct TypeEntry {
  CompositeKind kind = CompositeKind::Func;
  FuncType func;                 // kind == Func
  std::vector<FieldType> fields;  // Struct fields, or the one Array element
  bool final = true;
  std::vector<std::uint32_t> supertypes;
  std::uint32_t recGroup = 0;  // index of the recursion group it belongs to
  std::uint64_t offset = 0;
};
std::string toString(const TypeEntry& type);

struct Limits {
  std::uint64_t min = 0;
  std::optional<std::uint64_t> max;
  bool shared = false;
  bool is64 = false;
};
std::string toString(const Limits& limits);

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
  bool hasInitExpr = false;
};

struct GlobalType {
  ValType type;
  bool mutable_ = false;
};

enum class ExternKind : std::uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* toString(ExternKind kind);

}  // namespace wasmops::binary
