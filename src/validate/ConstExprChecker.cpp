#include "validate/ConstExprChecker.h"

#include <fmt/format.h>

#include "binary/ByteReader.h"
#include "binary/InstructionReader.h"

namespace wasmops::validate {
namespace {

using binary::ConstExpr;
using binary::ValKind;
using binary::ValType;
namespace op = binary::op;

// Simulates the operand stack of a constant expression. Returns nullopt when
// the expression holds something this check does not model (a non-constant
// instruction, an unknown global): wabt reports those.
std::optional<std::vector<ValType>> resultTypes(const binary::Module& m, const ConstExpr& expr) {
  if (expr.truncated) return std::nullopt;
  std::vector<ValType> stack;
  for (const auto& in : expr.instrs) {
    switch (in.opcode) {
      case op::I32Const: stack.push_back({ValKind::I32}); break;
      case op::I64Const: stack.push_back({ValKind::I64}); break;
      case op::F32Const: stack.push_back({ValKind::F32}); break;
      case op::F64Const: stack.push_back({ValKind::F64}); break;
      case op::V128Const: stack.push_back({ValKind::V128}); break;
      case op::RefNull: stack.push_back(in.type); break;
      case op::RefFunc: stack.push_back(ValType::funcref()); break;
      case op::GlobalGet: {
        auto g = m.globalType(in.index);
        if (!g) return std::nullopt;
        stack.push_back(g->type);
        break;
      }
      case op::I32Add: case op::I32Sub: case op::I32Mul:
      case op::I64Add: case op::I64Sub: case op::I64Mul: {
        if (stack.size() < 2) return std::nullopt;
        stack.pop_back();
        break;
      }
      default: return std::nullopt;
    }
  }
  return stack;
}

void check(const binary::Module& m, const ConstExpr& expr, ValType expected, const char* what,
           std::vector<Diagnostic>& out) {
  auto types = resultTypes(m, expr);
  if (!types) return;
  if (expected.needsTypedRefs()) return;  // subtyping is wabt's (or a later) concern
  if (types->size() == 1 && ((*types)[0] == expected || (*types)[0].needsTypedRefs())) return;
  std::string got;
  for (const auto& t : *types) got += (got.empty() ? "" : ", ") + binary::toString(t);
  out.push_back({ErrorCode::Invalid, expr.offset,
                 fmt::format("type mismatch: {} must produce [{}] but produces [{}]", what, binary::toString(expected),
                             got)});
}

}  // namespace

std::vector<Diagnostic> checkConstExprTypes(const binary::Module& m) {
  std::vector<Diagnostic> out;
  for (const auto& g : m.globals) check(m, g.init, g.type.type, "global initializer", out);
  for (const auto& e : m.elems)
    if (e.mode == binary::SegmentMode::Active) {
      auto table = m.tableType(e.table);
      ValType idx{table && table->limits.is64 ? ValKind::I64 : ValKind::I32};
      check(m, e.offsetExpr, idx, "element segment offset", out);
    }
  for (const auto& d : m.datas)
    if (d.mode == binary::SegmentMode::Active) {
      auto mem = m.memoryType(d.memory);
      const bool mem64 = mem && mem->is64;
      check(m, d.offsetExpr, ValType{mem64 ? ValKind::I64 : ValKind::I32}, "data segment offset", out);
    }
  return out;
}

std::vector<Diagnostic> checkCallIndirectTables(const binary::Module& m, std::span<const std::uint8_t> bytes) {
  std::vector<Diagnostic> out;
  const std::uint32_t tableCount = m.importedTables + static_cast<std::uint32_t>(m.tables.size());
  std::vector<bool> holdsFuncs(tableCount);
  bool anyNonFunc = false;
  for (std::uint32_t i = 0; i < tableCount; ++i) {
    auto t = m.tableType(i);
    const auto heap = t ? t->elem.heap : 0;
    holdsFuncs[i] = heap >= 0 || heap == static_cast<std::int64_t>(binary::HeapType::Func) ||
                    heap == static_cast<std::int64_t>(binary::HeapType::NoFunc);
    anyNonFunc |= !holdsFuncs[i];
  }
  if (!anyNonFunc) return out;
  binary::FeatureSet scratch;
  for (const auto& body : m.code) {
    binary::ByteReader r(bytes.subspan(body.codeOffset, body.size - (body.codeOffset - body.offset)), body.codeOffset);
    binary::InstructionReader ir(r, scratch, m.anyMemory64());
    binary::Instruction ins;
    while (!r.atEnd()) {
      if (!ir.next(ins)) break;  // cannot happen after a successful decode
      if ((ins.opcode == op::CallIndirect || ins.opcode == op::ReturnCallIndirect) && ins.index2 < tableCount &&
          !holdsFuncs[ins.index2]) {
        out.push_back({ErrorCode::Invalid, ins.offset,
                       fmt::format("type mismatch: call_indirect through table {}, which does not hold funcref",
                                   ins.index2)});
        if (out.size() >= 100) return out;
      }
    }
  }
  return out;
}

}  // namespace wasmops::validate
