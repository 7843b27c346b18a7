#include "binary/Module.h"

namespace wasmops::binary {

const char* sectionName(std::uint8_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::Custom: return "custom";
    case SectionId::Type: return "type";
    case SectionId::Import: return "import";
    case SectionId::Function: return "function";
    case SectionId::Table: return "table";
    case SectionId::Memory: return "memory";
    case SectionId::Global: return "global";
    case SectionId::Export: return "export";
    case SectionId::Start: return "start";
    case SectionId::Element: return "element";
    case SectionId::Code: return "code";
    case SectionId::Data: return "data";
    case SectionId::DataCount: return "datacount";
    case SectionId::Tag: return "tag";
  }
  return "unknown";
}

const char* toString(SegmentMode mode) {
  switch (mode) {
    case SegmentMode::Active: return "active";
    case SegmentMode::Passive: return "passive";
    case SegmentMode::Declarative: return "declarative";
  }
  return "?";
}

const Import* Module::nthImport(ExternKind kind, std::uint32_t index) const {
  std::uint32_t seen = 0;
  for (const auto& imp : imports)
    if (imp.kind == kind && seen++ == index) return &imp;
  return nullptr;
}

std::optional<std::uint32_t> Module::functionTypeIndex(std::uint32_t index) const {
  if (index < importedFunctions) {
    const auto* imp = nthImport(ExternKind::Func, index);
    return imp ? std::optional(imp->typeIndex) : std::nullopt;
  }
  index -= importedFunctions;
  if (index < functions.size()) return functions[index];
  return std::nullopt;
}

const FuncType* Module::funcType(std::uint32_t typeIndex) const {
  if (typeIndex >= types.size() || types[typeIndex].kind != CompositeKind::Func) return nullptr;
  return &types[typeIndex].func;
}

std::optional<GlobalType> Module::globalType(std::uint32_t index) const {
  if (index < importedGlobals) {
    const auto* imp = nthImport(ExternKind::Global, index);
    return imp ? std::optional(imp->global) : std::nullopt;
  }
  index -= importedGlobals;
  if (index < globals.size()) return globals[index].type;
  return std::nullopt;
}

std::optional<TableType> Module::tableType(std::uint32_t index) const {
  if (index < importedTables) {
    const auto* imp = nthImport(ExternKind::Table, index);
    return imp ? std::optional(imp->table) : std::nullopt;
  }
  index -= importedTables;
  if (index < tables.size()) return tables[index].type;
  return std::nullopt;
}

std::optional<Limits> Module::memoryType(std::uint32_t index) const {
  if (index < importedMemories) {
    const auto* imp = nthImport(ExternKind::Memory, index);
    return imp ? std::optional(imp->memory) : std::nullopt;
  }
  index -= importedMemories;
  if (index < memories.size()) return memories[index];
  return std::nullopt;
}

bool Module::anyMemory64() const {
  for (const auto& mem : memories)
    if (mem.is64) return true;
  for (const auto& imp : imports)
    if (imp.kind == ExternKind::Memory && imp.memory.is64) return true;
  return false;
}

}  // namespace wasmops::binary
