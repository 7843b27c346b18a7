#include "binary/ModuleDecoder.h"

#include <fmt/format.h>

#include <array>

#include "binary/ByteReader.h"
#include "binary/InstructionReader.h"
#include "binary/Preamble.h"
#include "binary/TypeReader.h"

namespace wasmops::binary {
namespace {

// Position of each known section id in the required order (tag sits between
// memory and global; datacount between element and code).
int sectionRank(std::uint8_t id) {
  static constexpr std::array<int, 14> kRank = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < kRank.size() ? kRank[id] : -1;
}

// The instruction pass over one body (`br` positioned after its locals):
// every instruction well-formed, blocks balanced, implementation limits kept.
// Records the features the instructions use in `m`.
Expected<void> decodeInstructions(ByteReader& br, Module& m, bool memory64, const DecodeLimits& limits) {
  InstructionReader ir(br, m.features, memory64);
  Instruction ins;
  std::uint32_t depth = 1;
  while (depth > 0) {
    if (br.atEnd()) return br.errorAt(br.offset(), "unexpected end of function body (missing `end`)");
    WASMOPS_TRY_VOID(ir.next(ins));
    ++m.instructionCount;
    if (opensBlock(ins.opcode)) {
      if (++depth > limits.maxNesting) return makeErrorAt(ErrorCode::LimitExceeded, ins.offset, "blocks nested too deeply");
    } else if (ins.opcode == op::End || ins.opcode == op::Delegate) {
      --depth;
    } else if (ins.opcode == op::BrTable && ins.labels.size() > limits.maxBrTableTargets) {
      return makeErrorAt(ErrorCode::LimitExceeded, ins.offset, "br_table has too many targets");
    } else if ((ins.opcode == op::MemoryInit || ins.opcode == op::DataDrop) && !m.dataCount) {
      return makeErrorAt(ErrorCode::Malformed, ins.offset, "data count section required (memory.init and data.drop need one)");
    }
  }
  if (!br.atEnd()) return br.errorAt(br.offset(), "section size mismatch: bytes after the final `end` of the function body");
  return {};
}

class Decoder {
 public:
  Decoder(std::span<const std::uint8_t> bytes, const DecodeOptions& options) : bytes_(bytes), options_(options) {}

  Expected<Module> run();

 private:
  Expected<void> section(std::uint8_t id, ByteReader& r, SectionInfo& info);
  Expected<void> typeSection(ByteReader& r, SectionInfo& info);
  Expected<void> subType(ByteReader& r, std::uint32_t recGroup);
  Expected<void> importSection(ByteReader& r, SectionInfo& info);
  Expected<void> functionSection(ByteReader& r, SectionInfo& info);
  Expected<void> tableSection(ByteReader& r, SectionInfo& info);
  Expected<void> memorySection(ByteReader& r, SectionInfo& info);
  Expected<void> globalSection(ByteReader& r, SectionInfo& info);
  Expected<void> exportSection(ByteReader& r, SectionInfo& info);
  Expected<void> elementSection(ByteReader& r, SectionInfo& info);
  Expected<void> codeSection(ByteReader& r, SectionInfo& info);
  Expected<void> functionBody(ByteReader& r);
  Expected<void> dataSection(ByteReader& r, SectionInfo& info);
  Expected<void> tagSection(ByteReader& r, SectionInfo& info);
  Expected<ConstExpr> constExpr(ByteReader& r);

  std::span<const std::uint8_t> bytes_;
  const DecodeOptions& options_;
  Module m_;
  std::uint32_t recGroups_ = 0;
  bool sawFunctionSection_ = false, sawCodeSection_ = false, sawDataSection_ = false;
  // Whether memarg offsets are 64-bit: fixed once the import and memory
  // sections (which precede every instruction) are read.
  bool memory64_ = false;
};

Expected<Module> Decoder::run() {
  WASMOPS_TRY(auto preamble, readPreamble(bytes_));
  if (preamble.kind != BinaryKind::CoreModule)
    return makeErrorAt(ErrorCode::Unsupported, 4, "this is a component, not a core module");
  m_.fileSize = bytes_.size();
  ByteReader r(bytes_.subspan(8), 8);
  int lastRank = 0;
  while (!r.atEnd()) {
    SectionInfo info;
    info.offset = r.offset();
    WASMOPS_TRY_ASSIGN(info.id, r.u8());
    const auto sizeOffset = r.offset();
    WASMOPS_TRY(auto size, r.u32());
    if (size > r.remaining())
      return r.errorAt(sizeOffset, fmt::format("unexpected end: section size {} is larger than the {} bytes left in "
                                               "the file (truncated file?)",
                                               size, r.remaining()));
    info.payloadOffset = r.offset();
    info.size = size;
    info.name = sectionName(info.id);
    int rank = sectionRank(info.id);
    if (rank < 0) return r.errorAt(info.offset, fmt::format("malformed section id {}", info.id));
    if (info.id != 0) {
      if (rank <= lastRank)
        return r.errorAt(info.offset, fmt::format("unexpected {} section: duplicate or out of order (junk after last "
                                                  "section)",
                                                  info.name));
      lastRank = rank;
    }
    WASMOPS_TRY(auto payload, r.bytes(size));
    ByteReader sr(payload, info.payloadOffset);
    WASMOPS_TRY_VOID(section(info.id, sr, info));
    if (!sr.atEnd())
      return sr.errorAt(sr.offset(), fmt::format("section size mismatch: {} section has {} unread bytes at its end",
                                                 info.name, sr.remaining()));
    m_.sections.push_back(std::move(info));
  }
  if (m_.functions.size() != m_.code.size())
    return makeErrorAt(ErrorCode::Malformed, bytes_.size(),
                       fmt::format("function and code section have inconsistent lengths ({} functions declared, {} "
                                   "bodies)",
                                   m_.functions.size(), m_.code.size()));
  if (m_.dataCount && *m_.dataCount != m_.datas.size())
    return makeErrorAt(ErrorCode::Malformed, bytes_.size(),
                       fmt::format("data count and data section have inconsistent lengths (data count {}, {} segments)",
                                   *m_.dataCount, m_.datas.size()));
  if (m_.memories.size() + m_.importedMemories > 1) m_.features.add(Feature::MultiMemory);
  if (m_.tables.size() + m_.importedTables > 1) m_.features.add(Feature::ReferenceTypes);
  return std::move(m_);
}

Expected<void> Decoder::section(std::uint8_t id, ByteReader& r, SectionInfo& info) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::Custom: {
      WASMOPS_TRY(auto name, r.name());
      CustomSection c;
      c.name = std::string(name);
      c.offset = r.offset();
      WASMOPS_TRY_ASSIGN(c.payload, r.bytes(r.remaining()));
      info.name = c.name;
      m_.customs.push_back(std::move(c));
      return {};
    }
    case SectionId::Type: return typeSection(r, info);
    case SectionId::Import: {
      WASMOPS_TRY_VOID(importSection(r, info));
      memory64_ = m_.anyMemory64();
      return {};
    }
    case SectionId::Function: return functionSection(r, info);
    case SectionId::Table: return tableSection(r, info);
    case SectionId::Memory: {
      WASMOPS_TRY_VOID(memorySection(r, info));
      memory64_ = m_.anyMemory64();
      return {};
    }
    case SectionId::Global: return globalSection(r, info);
    case SectionId::Export: return exportSection(r, info);
    case SectionId::Start: {
      WASMOPS_TRY(auto idx, r.u32());
      m_.start = idx;
      return {};
    }
    case SectionId::Element: return elementSection(r, info);
    case SectionId::Code: return codeSection(r, info);
    case SectionId::Data: return dataSection(r, info);
    case SectionId::DataCount: {
      WASMOPS_TRY(auto n, r.u32());
      m_.dataCount = n;
      info.count = n;
      m_.features.add(Feature::BulkMemory);
      return {};
    }
    case SectionId::Tag: return tagSection(r, info);
  }
  return r.errorAt(info.offset, fmt::format("malformed section id {}", id));
}

Expected<void> Decoder::typeSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(1));
  for (std::uint32_t i = 0; i < info.count; ++i) {
    WASMOPS_TRY(auto b, r.peekU8());
    if (b == 0x4e) {  // rec group
      (void)r.u8();
      m_.features.add(Feature::Gc);
      WASMOPS_TRY(auto n, r.count(1));
      std::uint32_t group = recGroups_++;
      for (std::uint32_t k = 0; k < n; ++k) WASMOPS_TRY_VOID(subType(r, group));
    } else {
      WASMOPS_TRY_VOID(subType(r, recGroups_++));
    }
  }
  return {};
}

Expected<void> Decoder::subType(ByteReader& r, std::uint32_t recGroup) {
  WASMOPS_TRY(auto entry, readSubType(r, m_.features, options_.limits));
  entry.recGroup = recGroup;
  m_.types.push_back(std::move(entry));
  return {};
}

Expected<void> Decoder::importSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(3));
  m_.imports.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) {
    Import imp;
    imp.offset = r.offset();
    WASMOPS_TRY(auto module, r.name());
    WASMOPS_TRY(auto name, r.name());
    imp.module = std::string(module);
    imp.name = std::string(name);
    WASMOPS_TRY_VOID(readImportDesc(r, m_.features, imp));
    switch (imp.kind) {
      case ExternKind::Func: ++m_.importedFunctions; break;
      case ExternKind::Table: ++m_.importedTables; break;
      case ExternKind::Memory: ++m_.importedMemories; break;
      case ExternKind::Global: ++m_.importedGlobals; break;
      case ExternKind::Tag: ++m_.importedTags; break;
    }
    m_.imports.push_back(std::move(imp));
  }
  return {};
}

Expected<void> Decoder::functionSection(ByteReader& r, SectionInfo& info) {
  sawFunctionSection_ = true;
  WASMOPS_TRY_ASSIGN(info.count, r.count(1));
  m_.functions.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) {
    WASMOPS_TRY(auto t, r.u32());
    m_.functions.push_back(t);
  }
  return {};
}

Expected<void> Decoder::tableSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(3));
  for (std::uint32_t i = 0; i < info.count; ++i) {
    Table t;
    WASMOPS_TRY(auto b, r.peekU8());
    if (b == 0x40) {  // table with an initializer (function-references)
      (void)r.u8();
      const auto zeroAt = r.offset();
      WASMOPS_TRY(auto zero, r.u8());
      if (zero != 0) return r.errorAt(zeroAt, "malformed table: zero byte expected");
      m_.features.add(Feature::FunctionReferences);
      WASMOPS_TRY_ASSIGN(t.type, readTableType(r, m_.features));
      t.type.hasInitExpr = true;
      WASMOPS_TRY(auto init, constExpr(r));
      t.init = std::move(init);
    } else {
      WASMOPS_TRY_ASSIGN(t.type, readTableType(r, m_.features));
    }
    m_.tables.push_back(std::move(t));
  }
  return {};
}

Expected<void> Decoder::memorySection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(2));
  for (std::uint32_t i = 0; i < info.count; ++i) {
    WASMOPS_TRY(auto limits, readLimits(r, m_.features, true));
    m_.memories.push_back(limits);
  }
  return {};
}

Expected<void> Decoder::globalSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(3));
  m_.globals.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) {
    Global g;
    WASMOPS_TRY_ASSIGN(g.type, readGlobalType(r, m_.features));
    WASMOPS_TRY_ASSIGN(g.init, constExpr(r));
    m_.globals.push_back(std::move(g));
  }
  return {};
}

Expected<void> Decoder::exportSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(3));
  m_.exports.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) {
    Export e;
    e.offset = r.offset();
    WASMOPS_TRY(auto name, r.name());
    e.name = std::string(name);
    const auto kindAt = r.offset();
    WASMOPS_TRY(auto kind, r.u8());
    if (kind > 4) return r.errorAt(kindAt, fmt::format("malformed export kind {}", kind));
    e.kind = static_cast<ExternKind>(kind);
    if (e.kind == ExternKind::Tag) m_.features.add(Feature::Exceptions);
    WASMOPS_TRY_ASSIGN(e.index, r.u32());
    if (e.kind == ExternKind::Global) {
      auto gt = m_.globalType(e.index);
      if (gt && gt->mutable_) m_.features.add(Feature::MutableGlobals);
    }
    m_.exports.push_back(std::move(e));
  }
  return {};
}

Expected<void> Decoder::elementSection(ByteReader& r, SectionInfo& info) {
  WASMOPS_TRY_ASSIGN(info.count, r.count(1));
  for (std::uint32_t i = 0; i < info.count; ++i) {
    ElemSegment seg;
    seg.offset = r.offset();
    WASMOPS_TRY(auto flags, r.u32());
    if (flags > 7) return r.errorAt(seg.offset, fmt::format("malformed elements segment kind {}", flags));
    if (flags != 0) m_.features.add(Feature::BulkMemory);
    const bool passiveOrDecl = flags & 1;
    const bool explicitTable = flags & 2;
    seg.usesExprs = flags & 4;
    seg.mode = !passiveOrDecl ? SegmentMode::Active : (explicitTable ? SegmentMode::Declarative : SegmentMode::Passive);
    if (seg.mode == SegmentMode::Active) {
      if (explicitTable) {
        WASMOPS_TRY_ASSIGN(seg.table, r.u32());
        if (seg.table != 0) m_.features.add(Feature::ReferenceTypes);
      }
      WASMOPS_TRY_ASSIGN(seg.offsetExpr, constExpr(r));
    }
    if (flags & 3) {  // an element kind or reference type follows
      if (seg.usesExprs) {
        WASMOPS_TRY_ASSIGN(seg.type, readRefType(r, m_.features));
        if (!seg.type.isFuncref()) m_.features.add(Feature::ReferenceTypes);
      } else {
        const auto kindAt = r.offset();
        WASMOPS_TRY(auto kind, r.u8());
        if (kind != 0) return r.errorAt(kindAt, "malformed element kind");
      }
    }
    WASMOPS_TRY_ASSIGN(seg.count, r.count(1));
    seg.items.reserve(seg.count);
    for (std::uint32_t k = 0; k < seg.count; ++k) {
      if (seg.usesExprs) {
        WASMOPS_TRY(auto e, constExpr(r));
        seg.items.push_back(std::move(e));
      } else {
        ConstExpr e;
        e.offset = r.offset();
        WASMOPS_TRY(auto f, r.u32());
        e.instrs.push_back(ConstInstr{op::RefFunc, e.offset, f, 0, ValType::funcref()});
        seg.items.push_back(std::move(e));
      }
    }
    m_.elems.push_back(std::move(seg));
  }
  return {};
}

Expected<void> Decoder::codeSection(ByteReader& r, SectionInfo& info) {
  sawCodeSection_ = true;
  WASMOPS_TRY_ASSIGN(info.count, r.count(2));
  m_.code.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) WASMOPS_TRY_VOID(functionBody(r));
  return {};
}

Expected<void> Decoder::functionBody(ByteReader& r) {
  const auto sizeAt = r.offset();
  WASMOPS_TRY(auto size, r.u32());
  if (size > r.remaining()) return r.errorAt(sizeAt, "function body size exceeds the code section (unexpected end)");
  if (size > options_.limits.maxFunctionBodySize)
    return makeErrorAt(ErrorCode::LimitExceeded, sizeAt, fmt::format("function body of {} bytes (limit {})", size, options_.limits.maxFunctionBodySize));
  FunctionBody body;
  body.offset = r.offset();
  body.size = size;
  WASMOPS_TRY(auto bytes, r.bytes(size));
  ByteReader br(bytes, body.offset);
  const auto declsAt = br.offset();
  WASMOPS_TRY(auto decls, br.count(2));
  std::uint64_t locals = 0;
  for (std::uint32_t k = 0; k < decls; ++k) {
    WASMOPS_TRY(auto n, br.u32());
    locals += n;
    if (locals > 0xffffffffull) return br.errorAt(declsAt, "too many locals");
    WASMOPS_TRY_VOID(readValType(br, m_.features));
  }
  if (locals > options_.limits.maxLocals)
    return makeErrorAt(ErrorCode::LimitExceeded, declsAt, fmt::format("function declares {} locals (limit {})", locals, options_.limits.maxLocals));
  body.localCount = locals;
  body.codeOffset = br.offset();
  if (options_.decodeBodies)
    WASMOPS_TRY_VOID(decodeInstructions(br, m_, memory64_, options_.limits));
  m_.code.push_back(body);
  return {};
}

Expected<void> Decoder::dataSection(ByteReader& r, SectionInfo& info) {
  sawDataSection_ = true;
  WASMOPS_TRY_ASSIGN(info.count, r.count(1));
  m_.datas.reserve(info.count);
  for (std::uint32_t i = 0; i < info.count; ++i) {
    DataSegment seg;
    seg.offset = r.offset();
    WASMOPS_TRY(auto flags, r.u32());
    if (flags > 2) return r.errorAt(seg.offset, fmt::format("malformed data segment kind {}", flags));
    if (flags == 1) {
      seg.mode = SegmentMode::Passive;
      m_.features.add(Feature::BulkMemory);
    } else {
      if (flags == 2) {
        WASMOPS_TRY_ASSIGN(seg.memory, r.u32());
        if (seg.memory != 0) m_.features.add(Feature::MultiMemory);
      }
      WASMOPS_TRY_ASSIGN(seg.offsetExpr, constExpr(r));
    }
    const auto lenAt = r.offset();
    WASMOPS_TRY_ASSIGN(seg.size, r.u32());
    if (seg.size > r.remaining()) return r.errorAt(lenAt, "data segment does not fit in the section (unexpected end of section or function)");
    seg.dataOffset = r.offset();
    WASMOPS_TRY_VOID(r.bytes(seg.size));
    m_.datas.push_back(std::move(seg));
  }
  return {};
}

Expected<void> Decoder::tagSection(ByteReader& r, SectionInfo& info) {
  m_.features.add(Feature::Exceptions);
  WASMOPS_TRY_ASSIGN(info.count, r.count(2));
  for (std::uint32_t i = 0; i < info.count; ++i) {
    const auto attrAt = r.offset();
    WASMOPS_TRY(auto attr, r.u8());
    if (attr != 0) return r.errorAt(attrAt, "malformed tag attribute");
    WASMOPS_TRY(auto t, r.u32());
    m_.tags.push_back(t);
  }
  return {};
}

Expected<ConstExpr> Decoder::constExpr(ByteReader& r) {
  ConstExpr expr;
  expr.offset = r.offset();
  InstructionReader ir(r, m_.features, memory64_);
  Instruction ins;
  std::uint32_t depth = 1;
  while (true) {
    if (r.atEnd()) return r.errorAt(r.offset(), "unexpected end of constant expression (missing `end`; illegal opcode)");
    WASMOPS_TRY_VOID(ir.next(ins));
    if (opensBlock(ins.opcode)) ++depth;
    if (ins.opcode == op::End && --depth == 0) break;
    switch (ins.opcode) {
      case op::I32Add: case op::I32Sub: case op::I32Mul: case op::I64Add: case op::I64Sub: case op::I64Mul:
        m_.features.add(Feature::ExtendedConst);
        break;
      default: break;
    }
    if (expr.instrs.size() < 64) {  // enough to type-check any sensible expression
      ConstInstr ci;
      ci.opcode = ins.opcode;
      ci.offset = ins.offset;
      ci.index = ins.index;
      ci.bits = ins.bits;
      ci.type = ins.type;
      expr.instrs.push_back(ci);
    } else {
      expr.truncated = true;
    }
  }
  expr.size = static_cast<std::uint32_t>(r.offset() - expr.offset);
  return expr;
}

}  // namespace

Expected<Module> decodeModule(std::span<const std::uint8_t> bytes, const DecodeOptions& options) {
  Decoder d(bytes, options);
  return d.run();
}

Expected<void> decodeFunctionBodies(Module& m, std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  const bool memory64 = m.anyMemory64();
  for (const auto& body : m.code) {
    if (body.codeOffset > bytes.size() || body.offset + body.size > bytes.size() || body.codeOffset < body.offset)
      return makeErrorAt(ErrorCode::Internal, body.offset, "function body outside the module's bytes");
    ByteReader br(bytes.subspan(body.codeOffset, body.offset + body.size - body.codeOffset), body.codeOffset);
    WASMOPS_TRY_VOID(decodeInstructions(br, m, memory64, limits));
  }
  return {};
}

}  // namespace wasmops::binary
