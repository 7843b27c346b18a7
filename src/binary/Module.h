#pragma once
// The decoded structure of a core module: everything except function bodies
// is held in memory; bodies are kept as offsets into the mapped file so a
// 10 MB code section costs no copy.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "binary/Features.h"
#include "binary/Types.h"

namespace wasmops::binary {

enum class SectionId : std::uint8_t {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
  Export = 7, Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13,
};
const char* sectionName(std::uint8_t id);

struct SectionInfo {
  std::uint8_t id = 0;
  std::string name;             // custom sections: their own name
  std::uint64_t offset = 0;     // of the id byte
  std::uint64_t payloadOffset = 0;
  std::uint64_t size = 0;       // payload size
  std::uint32_t count = 0;      // number of entries, where the section is a vector
};

// One instruction of a constant expression, enough to type-check it.
struct ConstInstr {
  std::uint32_t opcode = 0;
  std::uint64_t offset = 0;
  std::uint32_t index = 0;  // global.get / ref.func
  std::uint64_t bits = 0;   // i32/i64/f32/f64.const payload
  ValType type;             // ref.null
};

struct ConstExpr {
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
  std::vector<ConstInstr> instrs;  // without the final `end`
  bool truncated = false;          // longer than instrs can hold; type-check skipped
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  std::uint32_t typeIndex = 0;  // func, tag
  TableType table;
  Limits memory;
  GlobalType global;
  std::uint64_t offset = 0;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  std::uint32_t index = 0;
  std::uint64_t offset = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Table {
  TableType type;
  std::optional<ConstExpr> init;
};

enum class SegmentMode : std::uint8_t { Active, Passive, Declarative };
const char* toString(SegmentMode mode);

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  std::uint32_t table = 0;
  ConstExpr offsetExpr;  // active only
  ValType type = ValType::funcref();
  std::uint32_t count = 0;
  bool usesExprs = false;  // element expressions rather than function indices
  std::uint64_t offset = 0;
  std::vector<ConstExpr> items;  // one per element (a function index becomes ref.func)
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  std::uint32_t memory = 0;
  ConstExpr offsetExpr;
  std::uint64_t dataOffset = 0;  // of the first payload byte
  std::uint32_t size = 0;
  std::uint64_t offset = 0;
};

struct FunctionBody {
  std::uint64_t offset = 0;      // of the body (after its size field)
  std::uint32_t size = 0;
  std::uint64_t codeOffset = 0;  // of the first instruction
  std::uint64_t localCount = 0;
};

struct CustomSection {
  std::string name;
  std::uint64_t offset = 0;  // payload (after the name)
  std::span<const std::uint8_t> payload;
};

struct Module {
  std::uint64_t fileSize = 0;
  std::vector<SectionInfo> sections;
  std::vector<TypeEntry> types;
  std::vector<Import> imports;
  std::vector<std::uint32_t> functions;  // type index of each defined function
  std::vector<Table> tables;
  std::vector<Limits> memories;
  std::vector<Global> globals;
  std::vector<std::uint32_t> tags;  // type index of each defined tag
  std::vector<Export> exports;
  std::optional<std::uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<std::uint32_t> dataCount;
  std::vector<DataSegment> datas;
  std::vector<FunctionBody> code;
  std::vector<CustomSection> customs;
  FeatureSet features;
  std::uint64_t instructionCount = 0;

  std::uint32_t importedFunctions = 0, importedTables = 0, importedMemories = 0, importedGlobals = 0,
                importedTags = 0;

  std::uint32_t totalFunctions() const { return importedFunctions + static_cast<std::uint32_t>(functions.size()); }
  // Type of function `index` in the function index space (imports first).
  std::optional<std::uint32_t> functionTypeIndex(std::uint32_t index) const;
  const FuncType* funcType(std::uint32_t typeIndex) const;
  std::optional<GlobalType> globalType(std::uint32_t index) const;
  std::optional<TableType> tableType(std::uint32_t index) const;
  std::optional<Limits> memoryType(std::uint32_t index) const;
  // The index-th import of `kind` (index spaces count imports first).
  const Import* nthImport(ExternKind kind, std::uint32_t index) const;
  bool anyMemory64() const;  // memarg offsets are then 64-bit
};

}  // namespace wasmops::binary
