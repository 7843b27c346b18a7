#include "engine/CEmitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "binary/InstructionReader.h"

namespace wasmops::engine {

const std::string& runtimeHeaderText() {
  static const std::string text =
#include "engine/RuntimeHeader.inc"
      ;
  return text;
}

const std::string& simdHeaderText() {
  static const std::string text =
#include "engine/SimdHeader.inc"
      ;
  return text;
}

namespace {

using binary::BlockType;
using binary::FuncType;
using binary::Instruction;
using binary::ValKind;
using binary::ValType;
namespace op = binary::op;

const char* ctype(ValKind k) {
  switch (k) {
    case ValKind::I32: return "uint32_t";
    case ValKind::I64: return "uint64_t";
    case ValKind::F32: return "float";
    case ValKind::F64: return "double";
    case ValKind::Ref: return "void*";
    case ValKind::V128: return "simde_v128_t";
    default: return "wasmops_val";
  }
}

// The member of wasmops_val that holds a value of this kind.
const char* valField(ValKind k) {
  switch (k) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::Ref: return "ref";
    default: return "v128";
  }
}

// Types in function signatures: v128 crosses calls as a plain 16-byte struct,
// so artifacts of both tiers (tcc has no vector types) share one ABI.
const char* abiType(ValKind k) { return k == ValKind::V128 ? "wasmops_v128" : ctype(k); }
std::string wrapArg(ValKind k, const std::string& v) { return k == ValKind::V128 ? "wasmops_v128_wrap(" + v + ")" : v; }
std::string unwrapResult(ValKind k, const std::string& v) {
  return k == ValKind::V128 ? "wasmops_v128_unwrap(" + v + ")" : v;
}

std::string retType(const FuncType& ft, std::uint32_t typeIndex) {
  if (ft.results.empty()) return "void";
  if (ft.results.size() == 1) return abiType(ft.results[0].kind);
  return fmt::format("wasmops_ret_{}", typeIndex);
}

// "uint32_t, uint64_t" etc., after the leading void* context.
std::string paramTypes(const FuncType& ft) {
  std::string out = "void*";
  for (const auto& p : ft.params) out += fmt::format(", {}", abiType(p.kind));
  return out;
}

struct Slot {
  ValKind kind;
  std::uint32_t tmp;
};

enum class FrameKind { Function, Block, Loop, If, Dead };

struct Frame {
  explicit Frame(FrameKind k) : kind(k) {}
  FrameKind kind;
  std::uint32_t label = 0;
  std::vector<ValKind> params, results;
  std::vector<std::uint32_t> labelVars;   // branch arguments: loop params, else results
  std::vector<std::uint32_t> resultVars;  // values after `end`
  std::vector<Slot> ifParams;             // to restore at `else`
  std::size_t height = 0;                 // stack height below the params
  bool unreachable = false;
  bool hasElse = false;
};

class FunctionEmitter {
 public:
  // `linkage` prefixes the definition: "static " in a single unit, the
  // hidden-visibility macro when other units call the function.
  FunctionEmitter(const binary::Module& m, std::span<const std::uint8_t> bytes, const char* linkage, std::string& out)
      : m_(m), bytes_(bytes), linkage_(linkage), out_(out) {}

  Expected<void> emit(std::uint32_t definedIndex);

 private:
  std::uint32_t newTmp(ValKind k) {
    decls_ += fmt::format("  {} t{};\n", ctype(k), next_);
    return next_++;
  }
  std::string t(std::uint32_t id) const { return fmt::format("t{}", id); }
  Slot pop() {
    Slot s = stack_.back();
    stack_.pop_back();
    return s;
  }
  std::vector<Slot> popN(std::size_t n) {
    std::vector<Slot> out(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
    stack_.resize(stack_.size() - n);
    return out;
  }
  Slot push(ValKind k) {
    Slot s{k, newTmp(k)};
    stack_.push_back(s);
    return s;
  }
  void line(const std::string& s) { body_ += "  " + s + "\n"; }

  void blockSig(const BlockType& bt, std::vector<ValKind>& params, std::vector<ValKind>& results);
  void assignTop(const std::vector<std::uint32_t>& vars);
  void branchTo(Frame& f);
  std::string branchCode(Frame& f);
  void emitCall(const FuncType& ft, std::uint32_t typeIndex, const std::string& callee, const std::string& ctxArg);
  Expected<void> instruction(const Instruction& in);
  bool numeric(const Instruction& in);
  Expected<void> memoryOp(const Instruction& in);
  Expected<void> simdOp(const Instruction& in);

  const binary::Module& m_;
  std::span<const std::uint8_t> bytes_;
  const char* linkage_;
  std::string& out_;
  std::string decls_, body_;
  bool hasLoop_ = false;  // then the prologue keeps the store's stop word at hand
  std::uint32_t next_ = 0, labels_ = 0;
  std::vector<Slot> stack_;
  std::vector<Frame> frames_;
  std::uint32_t typeIndex_ = 0;
  std::vector<ValKind> locals_;
};

void FunctionEmitter::blockSig(const BlockType& bt, std::vector<ValKind>& params, std::vector<ValKind>& results) {
  if (bt.kind == BlockType::Kind::Value) results.push_back(bt.value.kind);
  if (bt.kind == BlockType::Kind::Index) {
    const auto* ft = m_.funcType(bt.index);
    for (const auto& p : ft->params) params.push_back(p.kind);
    for (const auto& r : ft->results) results.push_back(r.kind);
  }
}

// Assigns the top vars.size() stack values to `vars` (stack unchanged). The
// sources may include the targets (a loop's own params), so copy through
// fresh temporaries when they overlap.
void FunctionEmitter::assignTop(const std::vector<std::uint32_t>& vars) {
  const std::size_t n = vars.size();
  if (n == 0) return;
  const std::size_t base = stack_.size() - n;
  bool overlap = false;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < n; ++k)
      if (stack_[base + i].tmp == vars[k] && i != k) overlap = true;
  if (!overlap) {
    for (std::size_t i = 0; i < n; ++i)
      if (stack_[base + i].tmp != vars[i]) line(fmt::format("t{} = t{};", vars[i], stack_[base + i].tmp));
    return;
  }
  std::vector<std::uint32_t> staged;
  for (std::size_t i = 0; i < n; ++i) {
    auto s = newTmp(stack_[base + i].kind);
    line(fmt::format("t{} = t{};", s, stack_[base + i].tmp));
    staged.push_back(s);
  }
  for (std::size_t i = 0; i < n; ++i) line(fmt::format("t{} = t{};", vars[i], staged[i]));
}

std::string FunctionEmitter::branchCode(Frame& f) {
  if (f.kind == FrameKind::Function) {
    const auto* ft = m_.funcType(typeIndex_);
    const std::size_t n = ft->results.size();
    const std::size_t base = stack_.size() - n;
    if (n == 0) return "return;";
    if (n == 1) return fmt::format("return {};", wrapArg(stack_[base].kind, t(stack_[base].tmp)));
    std::string init;
    for (std::size_t i = 0; i < n; ++i) init += fmt::format("{}{}", i ? ", " : "", wrapArg(stack_[base + i].kind, t(stack_[base + i].tmp)));
    return fmt::format("{{ wasmops_ret_{} r_ = {{{}}}; return r_; }}", typeIndex_, init);
  }
  return fmt::format("goto L{}{};", f.label, f.kind == FrameKind::Loop ? "_loop" : "_end");
}

void FunctionEmitter::branchTo(Frame& f) {
  if (f.kind != FrameKind::Function) assignTop(f.labelVars);
  line(branchCode(f));
}

void FunctionEmitter::emitCall(const FuncType& ft, std::uint32_t typeIndex, const std::string& callee,
                               const std::string& ctxArg) {
  auto args = popN(ft.params.size());
  std::string argList = ctxArg;
  for (const auto& a : args) argList += ", " + wrapArg(a.kind, t(a.tmp));
  std::string call = fmt::format("{}({})", callee, argList);
  if (ft.results.empty()) {
    line(call + ";");
  } else if (ft.results.size() == 1) {
    auto r = push(ft.results[0].kind);
    line(fmt::format("t{} = {};", r.tmp, unwrapResult(r.kind, call)));
  } else {
    std::uint32_t rv = next_++;
    decls_ += fmt::format("  wasmops_ret_{} t{};\n", typeIndex, rv);
    line(fmt::format("t{} = {};", rv, call));
    for (std::size_t i = 0; i < ft.results.size(); ++i) {
      auto r = push(ft.results[i].kind);
      line(fmt::format("t{} = {};", r.tmp, unwrapResult(r.kind, fmt::format("t{}.r{}", rv, i))));
    }
  }
}

Expected<void> FunctionEmitter::emit(std::uint32_t definedIndex) {
  const auto& body = m_.code[definedIndex];
  typeIndex_ = m_.functions[definedIndex];
  const auto* ft = m_.funcType(typeIndex_);
  const std::uint32_t funcIndex = m_.importedFunctions + definedIndex;

  // Locals: params are l0..; declared locals follow, zero-initialised.
  binary::FeatureSet scratch;
  binary::ByteReader r(bytes_.subspan(body.offset, body.size), body.offset);
  std::string header =
      fmt::format("{}{}{} f{}(void* ctxp", linkage_, body.size > kLargeFunctionBytes ? "WASMOPS_LARGE_FUNC " : "",
                  retType(*ft, typeIndex_), funcIndex);
  std::uint32_t local = 0;
  std::string unwrapParams;
  for (const auto& p : ft->params) {
    if (p.kind == ValKind::V128) {
      header += fmt::format(", wasmops_v128 p{}", local);
      unwrapParams += fmt::format("  simde_v128_t l{0} = wasmops_v128_unwrap(p{0});\n", local);
    } else {
      header += fmt::format(", {} l{}", ctype(p.kind), local);
    }
    ++local;
  }
  header += ") {\n  wasmops_ctx* ctx = (wasmops_ctx*)ctxp;\n" + unwrapParams;
  std::vector<ValKind> localKinds;
  for (const auto& p : ft->params) localKinds.push_back(p.kind);
  WASMOPS_TRY(auto ndecl, r.u32());
  std::string localDecls;
  for (std::uint32_t i = 0; i < ndecl; ++i) {
    WASMOPS_TRY(auto n, r.u32());
    WASMOPS_TRY(auto vt, binary::readValType(r, scratch));
    for (std::uint32_t k = 0; k < n; ++k) {
      localDecls += fmt::format("  {} l{} = {};\n", ctype(vt.kind), local++,
                                vt.kind == ValKind::V128 ? "simde_wasm_i64x2_splat(0)" : "0");
      localKinds.push_back(vt.kind);
    }
  }
  locals_ = std::move(localKinds);

  Frame fn{FrameKind::Function};
  for (const auto& res : ft->results) fn.results.push_back(res.kind);
  frames_.push_back(fn);

  binary::InstructionReader ir(r, scratch, m_.anyMemory64());
  Instruction in;
  while (!frames_.empty()) {
    WASMOPS_TRY_VOID(ir.next(in));
    WASMOPS_TRY_VOID(instruction(in));
  }
  // Loop headers read the stop word through a pointer taken once here: the
  // context's field would be reloaded after every store to memory (a byte
  // store may alias it), the local stays in a register.
  out_ += header + localDecls + decls_ +
          (hasLoop_ ? "  const volatile uintptr_t* const wasmops_stop = ctx->stack_limit;\n" : "") +
          "  wasmops_check_stack(ctx);\n" + body_ + "}\n\n";
  return {};
}


Expected<void> FunctionEmitter::instruction(const Instruction& in) {
  Frame& cur = frames_.back();
  const auto opc = in.opcode;
  // Unreachable code is decoded (to keep nesting) but not emitted.
  if (cur.unreachable || cur.kind == FrameKind::Dead) {
    if (binary::opensBlock(opc)) {
      frames_.push_back(Frame{FrameKind::Dead});
      return {};
    }
    if (cur.kind == FrameKind::Dead) {
      if (opc == op::End) frames_.pop_back();
      return {};
    }
    if (opc != op::End && opc != op::Else) return {};
  }

  switch (opc) {
    case op::Unreachable:
      line("WASMOPS_TRAP(ctx, WASMOPS_TRAP_UNREACHABLE);");
      cur.unreachable = true;
      return {};
    case 0x01: return {};  // nop
    case op::Block:
    case op::Loop:
    case op::If: {
      Frame f{opc == op::Block ? FrameKind::Block : opc == op::Loop ? FrameKind::Loop : FrameKind::If};
      f.label = labels_++;
      blockSig(in.block, f.params, f.results);
      std::string cond;
      if (opc == op::If) cond = t(pop().tmp);
      auto params = popN(f.params.size());
      f.height = stack_.size();
      for (auto k : f.results) f.resultVars.push_back(newTmp(k));
      if (opc == op::Loop) {
        for (auto k : f.params) f.labelVars.push_back(newTmp(k));
        for (std::size_t i = 0; i < params.size(); ++i) line(fmt::format("t{} = t{};", f.labelVars[i], params[i].tmp));
        for (std::size_t i = 0; i < params.size(); ++i) stack_.push_back({f.params[i], f.labelVars[i]});
        line(fmt::format("L{}_loop:;", f.label));
        line("WASMOPS_LOOP_HEADER(ctx);");
        hasLoop_ = true;
      } else {
        f.labelVars = f.resultVars;
        if (opc == op::If) {
          line(fmt::format("if (!{}) goto L{}_else;", cond, f.label));
          f.ifParams = params;
        }
        for (auto& p : params) stack_.push_back(p);
      }
      frames_.push_back(std::move(f));
      return {};
    }
    case op::Else: {
      if (!cur.unreachable) {
        assignTop(cur.resultVars);
        line(fmt::format("goto L{}_end;", cur.label));
      }
      line(fmt::format("L{}_else:;", cur.label));
      stack_.resize(cur.height);
      for (auto& p : cur.ifParams) stack_.push_back(p);
      cur.unreachable = false;
      cur.hasElse = true;
      return {};
    }
    case op::End: {
      Frame f = std::move(frames_.back());
      if (f.kind == FrameKind::Function) {
        if (!f.unreachable) branchTo(f);
        frames_.pop_back();
        return {};
      }
      if (!f.unreachable) assignTop(f.resultVars);
      if (f.kind == FrameKind::If && !f.hasElse) {
        // The missing else passes the params through as results.
        line(fmt::format("goto L{}_end;", f.label));
        line(fmt::format("L{}_else:;", f.label));
        for (std::size_t i = 0; i < f.resultVars.size(); ++i)
          line(fmt::format("t{} = t{};", f.resultVars[i], f.ifParams[i].tmp));
      }
      line(fmt::format("L{}_end:;", f.label));
      frames_.pop_back();
      stack_.resize(f.height);
      for (std::size_t i = 0; i < f.results.size(); ++i) stack_.push_back({f.results[i], f.resultVars[i]});
      return {};
    }
    case op::Br: {
      branchTo(frames_[frames_.size() - 1 - in.index]);
      frames_.back().unreachable = true;
      return {};
    }
    case op::BrIf: {
      auto c = pop();
      body_ += fmt::format("  if (t{}) {{\n", c.tmp);
      branchTo(frames_[frames_.size() - 1 - in.index]);
      line("}");
      return {};
    }
    case op::BrTable: {
      auto c = pop();
      body_ += fmt::format("  switch (t{}) {{\n", c.tmp);
      for (std::size_t i = 0; i + 1 < in.labels.size(); ++i) {
        body_ += fmt::format("  case {}u: {{\n", i);
        branchTo(frames_[frames_.size() - 1 - in.labels[i]]);
        line("}");
      }
      body_ += "  default: {\n";
      branchTo(frames_[frames_.size() - 1 - in.labels.back()]);
      line("}");
      line("}");
      frames_.back().unreachable = true;
      return {};
    }
    case op::Return:
      branchTo(frames_.front());
      frames_.back().unreachable = true;
      return {};
    case op::Call: {
      auto ti = *m_.functionTypeIndex(in.index);
      const auto& ft = *m_.funcType(ti);
      if (in.index >= m_.importedFunctions) {
        emitCall(ft, ti, fmt::format("f{}", in.index), "ctx");
      } else {
        emitCall(ft, ti, fmt::format("((wasmops_sig_{})ctx->funcs[{}].code)", ti, in.index),
                 fmt::format("ctx->funcs[{}].ctx", in.index));
      }
      return {};
    }
    case op::CallIndirect: {
      const auto& ft = *m_.funcType(in.index);
      auto idx = pop();
      std::uint32_t fr = next_++;
      decls_ += fmt::format("  wasmops_funcref* t{};\n", fr);
      line(fmt::format("t{} = wasmops_call_target(ctx, ctx->tables[{}], t{}, ctx->type_ids[{}]);", fr, in.index2, idx.tmp,
                       in.index));
      emitCall(ft, in.index, fmt::format("((wasmops_sig_{})t{}->code)", in.index, fr), fmt::format("t{}->ctx", fr));
      return {};
    }
    case 0x1a: pop(); return {};  // drop
    case 0x1b:
    case 0x1c: {  // select
      auto c = pop();
      auto b = pop();
      auto a = pop();
      auto r = push(a.kind);
      line(fmt::format("t{} = t{} ? t{} : t{};", r.tmp, c.tmp, a.tmp, b.tmp));
      return {};
    }
    case 0x20: {
      auto r = push(locals_[in.index]);
      line(fmt::format("t{} = l{};", r.tmp, in.index));
      return {};
    }
    case 0x21: line(fmt::format("l{} = t{};", in.index, pop().tmp)); return {};
    case 0x22: line(fmt::format("l{} = t{};", in.index, stack_.back().tmp)); return {};
    case 0x23: {
      auto gt = *m_.globalType(in.index);
      auto r = push(gt.type.kind);
      if (gt.type.kind == ValKind::V128) {
        line(fmt::format("memcpy(&t{}, ctx->globals[{}]->v.v128, 16);", r.tmp, in.index));
        return {};
      }
      line(fmt::format("t{} = ctx->globals[{}]->v.{};", r.tmp, in.index, valField(gt.type.kind)));
      return {};
    }
    case 0x24: {
      auto gt = *m_.globalType(in.index);
      if (gt.type.kind == ValKind::V128) {
        line(fmt::format("memcpy(ctx->globals[{}]->v.v128, &t{}, 16);", in.index, pop().tmp));
        return {};
      }
      line(fmt::format("ctx->globals[{}]->v.{} = t{};", in.index, valField(gt.type.kind), pop().tmp));
      return {};
    }
    case 0x25: {
      auto i = pop();
      auto r = push(ValKind::Ref);
      line(fmt::format("t{} = wasmops_table_get(ctx, ctx->tables[{}], t{});", r.tmp, in.index, i.tmp));
      return {};
    }
    case 0x26: {
      auto v = pop();
      auto i = pop();
      line(fmt::format("wasmops_table_set(ctx, ctx->tables[{}], t{}, t{});", in.index, i.tmp, v.tmp));
      return {};
    }
    case 0x3f: {
      auto r = push(ValKind::I32);
      line(fmt::format("t{} = (uint32_t)(ctx->memories[{}]->size >> 16);", r.tmp, in.memory));
      return {};
    }
    case 0x40: {
      auto d = pop();
      auto r = push(ValKind::I32);
      line(fmt::format("t{} = ctx->rt->memory_grow(ctx, {}, t{});", r.tmp, in.memory, d.tmp));
      return {};
    }
    case op::I32Const: {
      auto r = push(ValKind::I32);
      line(fmt::format("t{} = 0x{:x}u;", r.tmp, static_cast<std::uint32_t>(in.bits)));
      return {};
    }
    case op::I64Const: {
      auto r = push(ValKind::I64);
      line(fmt::format("t{} = 0x{:x}ull;", r.tmp, in.bits));
      return {};
    }
    case op::F32Const: {
      auto r = push(ValKind::F32);
      line(fmt::format("t{} = wasmops_f32_from(0x{:x}u);", r.tmp, static_cast<std::uint32_t>(in.bits)));
      return {};
    }
    case op::F64Const: {
      auto r = push(ValKind::F64);
      line(fmt::format("t{} = wasmops_f64_from(0x{:x}ull);", r.tmp, in.bits));
      return {};
    }
    case op::RefNull: {
      auto r = push(ValKind::Ref);
      line(fmt::format("t{} = 0;", r.tmp));
      return {};
    }
    case 0xd1: {
      auto a = pop();
      auto r = push(ValKind::I32);
      line(fmt::format("t{} = t{} == 0;", r.tmp, a.tmp));
      return {};
    }
    case op::RefFunc: {
      auto r = push(ValKind::Ref);
      line(fmt::format("t{} = (void*)&ctx->funcs[{}];", r.tmp, in.index));
      return {};
    }
    default: break;
  }
  if ((opc >= 0x28 && opc <= 0x3e) || (opc >> 24) == 0xfc) {
    if (opc >= 0x28 && opc <= 0x3e) return memoryOp(in);
    if ((opc & 0xffffff) >= 8) return memoryOp(in);
  }
  if ((opc >> 24) == 0xfd) return simdOp(in);
  if (numeric(in)) return {};
  return makeErrorAt(ErrorCode::Unsupported, in.offset,
                     fmt::format("the engine does not support opcode 0x{:x} yet", opc));
}

Expected<void> FunctionEmitter::memoryOp(const Instruction& in) {
  const auto opc = in.opcode;
  if ((opc >> 24) == 0xfc) {
    switch (opc & 0xffffff) {
      case 8: {  // memory.init
        auto n = pop(), s = pop(), d = pop();
        line(fmt::format("ctx->rt->memory_init(ctx, {}, {}, t{}, t{}, t{});", in.memory, in.index, d.tmp, s.tmp, n.tmp));
        return {};
      }
      case 9: line(fmt::format("ctx->rt->data_drop(ctx, {});", in.index)); return {};
      case 10: {
        auto n = pop(), s = pop(), d = pop();
        line(fmt::format("wasmops_memory_copy(ctx, ctx->memories[{}], ctx->memories[{}], t{}, t{}, t{});", in.memory,
                         in.index2, d.tmp, s.tmp, n.tmp));
        return {};
      }
      case 11: {
        auto n = pop(), v = pop(), d = pop();
        line(fmt::format("wasmops_memory_fill(ctx, ctx->memories[{}], t{}, t{}, t{});", in.memory, d.tmp, v.tmp, n.tmp));
        return {};
      }
      case 12: {
        auto n = pop(), s = pop(), d = pop();
        line(fmt::format("ctx->rt->table_init(ctx, {}, {}, t{}, t{}, t{});", in.index2, in.index, d.tmp, s.tmp, n.tmp));
        return {};
      }
      case 13: line(fmt::format("ctx->rt->elem_drop(ctx, {});", in.index)); return {};
      case 14: {
        auto n = pop(), s = pop(), d = pop();
        line(fmt::format("wasmops_table_copy(ctx, ctx->tables[{}], ctx->tables[{}], t{}, t{}, t{});", in.index,
                         in.index2, d.tmp, s.tmp, n.tmp));
        return {};
      }
      case 15: {
        auto n = pop(), v = pop();
        auto r = push(ValKind::I32);
        line(fmt::format("t{} = ctx->rt->table_grow(ctx, {}, t{}, t{});", r.tmp, in.index, v.tmp, n.tmp));
        return {};
      }
      case 16: {
        auto r = push(ValKind::I32);
        line(fmt::format("t{} = ctx->tables[{}]->size;", r.tmp, in.index));
        return {};
      }
      case 17: {
        auto n = pop(), v = pop(), d = pop();
        line(fmt::format("wasmops_table_fill(ctx, ctx->tables[{}], t{}, t{}, t{});", in.index, d.tmp, v.tmp, n.tmp));
        return {};
      }
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, in.offset, "unsupported 0xfc opcode");
  }
  struct Access {
    const char* mtype;  // memory representation
    unsigned size;
    ValKind kind;       // wasm value type
    const char* widen;  // cast from the memory type to the value's C type
  };
  static const Access kAccess[] = {
      {"uint32_t", 4, ValKind::I32, ""},          {"uint64_t", 8, ValKind::I64, ""},
      {"float", 4, ValKind::F32, ""},             {"double", 8, ValKind::F64, ""},
      {"int8_t", 1, ValKind::I32, "(uint32_t)(int32_t)"}, {"uint8_t", 1, ValKind::I32, "(uint32_t)"},
      {"int16_t", 2, ValKind::I32, "(uint32_t)(int32_t)"}, {"uint16_t", 2, ValKind::I32, "(uint32_t)"},
      {"int8_t", 1, ValKind::I64, "(uint64_t)(int64_t)"}, {"uint8_t", 1, ValKind::I64, "(uint64_t)"},
      {"int16_t", 2, ValKind::I64, "(uint64_t)(int64_t)"}, {"uint16_t", 2, ValKind::I64, "(uint64_t)"},
      {"int32_t", 4, ValKind::I64, "(uint64_t)(int64_t)"}, {"uint32_t", 4, ValKind::I64, "(uint64_t)"},
      // stores
      {"uint32_t", 4, ValKind::I32, ""},          {"uint64_t", 8, ValKind::I64, ""},
      {"float", 4, ValKind::F32, ""},             {"double", 8, ValKind::F64, ""},
      {"uint8_t", 1, ValKind::I32, "(uint8_t)"},  {"uint16_t", 2, ValKind::I32, "(uint16_t)"},
      {"uint8_t", 1, ValKind::I64, "(uint8_t)"},  {"uint16_t", 2, ValKind::I64, "(uint16_t)"},
      {"uint32_t", 4, ValKind::I64, "(uint32_t)"},
  };
  const Access& a = kAccess[opc - 0x28];
  if (opc <= 0x35) {
    auto addr = pop();
    auto r = push(a.kind);
    line(fmt::format("t{} = {}WASMOPS_LOAD({}, WASMOPS_ADDR(ctx, ctx->memories[{}], t{}, {}ull, {}));", r.tmp, a.widen,
                     a.mtype, in.memory, addr.tmp, in.memOffset, a.size));
  } else {
    auto v = pop();
    auto addr = pop();
    line(fmt::format("WASMOPS_STORE({}, WASMOPS_ADDR(ctx, ctx->memories[{}], t{}, {}ull, {}), {}t{});", a.mtype,
                     in.memory, addr.tmp, in.memOffset, a.size, a.widen, v.tmp));
  }
  return {};
}

enum class SimdKind { Plain, Load, Store, LoadLane, StoreLane, ExtractLane, ReplaceLane, Shuffle, Const };
enum class SimdType { None, V, I32, I64, F32, F64 };
struct SimdOp {
  std::uint32_t sub;
  const char* fn;
  SimdKind kind;
  SimdType result, p1, p2, p3;
  unsigned accessSize;
};
const SimdOp kSimdOps[] = {
#include "engine/SimdOps.inc"
};

const SimdOp* findSimdOp(std::uint32_t sub) {
  static const auto table = [] {
    std::vector<const SimdOp*> t(256, nullptr);
    for (const auto& o : kSimdOps) t[o.sub] = &o;
    return t;
  }();
  return sub < table.size() ? table[sub] : nullptr;
}

ValKind simdKind(SimdType t) {
  switch (t) {
    case SimdType::I32: return ValKind::I32;
    case SimdType::I64: return ValKind::I64;
    case SimdType::F32: return ValKind::F32;
    case SimdType::F64: return ValKind::F64;
    default: return ValKind::V128;
  }
}

Expected<void> FunctionEmitter::simdOp(const Instruction& in) {
  const SimdOp* o = findSimdOp(in.opcode & 0xffffff);
  if (!o) return makeErrorAt(ErrorCode::Unsupported, in.offset, fmt::format("unsupported SIMD opcode {}", in.opcode & 0xffffff));
  auto ptr = [&](const Slot& addr) {
    return fmt::format("wasmops_addr(ctx, ctx->memories[{}], t{}, {}ull, {})", in.memory, addr.tmp, in.memOffset, o->accessSize);
  };
  switch (o->kind) {
    case SimdKind::Load: {
      auto addr = pop();
      auto r = push(ValKind::V128);
      line(fmt::format("t{} = {}({});", r.tmp, o->fn, ptr(addr)));
      return {};
    }
    case SimdKind::Store: {
      auto v = pop();
      auto addr = pop();
      line(fmt::format("{}({}, t{});", o->fn, ptr(addr), v.tmp));
      return {};
    }
    case SimdKind::LoadLane: {
      auto v = pop();
      auto addr = pop();
      auto r = push(ValKind::V128);
      line(fmt::format("t{} = {}({}, t{}, {});", r.tmp, o->fn, ptr(addr), v.tmp, in.lane));
      return {};
    }
    case SimdKind::StoreLane: {
      auto v = pop();
      auto addr = pop();
      line(fmt::format("{}({}, t{}, {});", o->fn, ptr(addr), v.tmp, in.lane));
      return {};
    }
    case SimdKind::ExtractLane: {
      auto v = pop();
      auto r = push(simdKind(o->result));
      const char* cast = o->result == SimdType::I32 ? "(uint32_t)(int32_t)" : o->result == SimdType::I64 ? "(uint64_t)(int64_t)" : "";
      line(fmt::format("t{} = {}{}(t{}, {});", r.tmp, cast, o->fn, v.tmp, in.lane));
      return {};
    }
    case SimdKind::ReplaceLane: {
      auto x = pop();
      auto v = pop();
      auto r = push(ValKind::V128);
      line(fmt::format("t{} = {}(t{}, {}, t{});", r.tmp, o->fn, v.tmp, in.lane, x.tmp));
      return {};
    }
    case SimdKind::Shuffle:
    case SimdKind::Const: {
      std::string lanes;
      for (int i = 0; i < 16; ++i) lanes += fmt::format("{}{}", i ? ", " : "", in.bytes16[i]);
      if (o->kind == SimdKind::Shuffle) {
        auto b = pop();
        auto a = pop();
        auto r = push(ValKind::V128);
        line(fmt::format("t{} = {}(t{}, t{}, {});", r.tmp, o->fn, a.tmp, b.tmp, lanes));
      } else {
        lanes.clear();
        for (int i = 0; i < 16; ++i) lanes += fmt::format("{}(int8_t){}", i ? ", " : "", in.bytes16[i]);
        auto r = push(ValKind::V128);
        line(fmt::format("t{} = {}({});", r.tmp, o->fn, lanes));
      }
      return {};
    }
    case SimdKind::Plain: {
      const int n = (o->p1 != SimdType::None) + (o->p2 != SimdType::None) + (o->p3 != SimdType::None);
      auto args = popN(static_cast<std::size_t>(n));
      std::string list;
      for (std::size_t i = 0; i < args.size(); ++i) list += fmt::format("{}t{}", i ? ", " : "", args[i].tmp);
      if (o->result == SimdType::None) {
        line(fmt::format("{}({});", o->fn, list));
      } else {
        auto r = push(simdKind(o->result));
        const char* cast = o->result == SimdType::I32 ? "(uint32_t)" : "";
        line(fmt::format("t{} = {}{}({});", r.tmp, cast, o->fn, list));
      }
      return {};
    }
  }
  return {};
}

bool FunctionEmitter::numeric(const Instruction& in) {
  const auto opc = in.opcode;
  auto un = [&](ValKind res, const std::string& expr) {
    auto a = pop();
    auto r = push(res);
    line(fmt::format("t{} = {};", r.tmp, fmt::format(fmt::runtime(expr), fmt::arg("a", t(a.tmp)))));
  };
  auto bin = [&](ValKind res, const std::string& expr) {
    auto b = pop();
    auto a = pop();
    auto r = push(res);
    line(fmt::format("t{} = {};", r.tmp,
                     fmt::format(fmt::runtime(expr), fmt::arg("a", t(a.tmp)), fmt::arg("b", t(b.tmp)))));
  };
  const auto I32 = ValKind::I32, I64 = ValKind::I64, F32 = ValKind::F32, F64 = ValKind::F64;
  switch (opc) {
    case 0x45: un(I32, "{a} == 0"); return true;
    case 0x46: bin(I32, "{a} == {b}"); return true;
    case 0x47: bin(I32, "{a} != {b}"); return true;
    case 0x48: bin(I32, "(int32_t){a} < (int32_t){b}"); return true;
    case 0x49: bin(I32, "{a} < {b}"); return true;
    case 0x4a: bin(I32, "(int32_t){a} > (int32_t){b}"); return true;
    case 0x4b: bin(I32, "{a} > {b}"); return true;
    case 0x4c: bin(I32, "(int32_t){a} <= (int32_t){b}"); return true;
    case 0x4d: bin(I32, "{a} <= {b}"); return true;
    case 0x4e: bin(I32, "(int32_t){a} >= (int32_t){b}"); return true;
    case 0x4f: bin(I32, "{a} >= {b}"); return true;
    case 0x50: un(I32, "{a} == 0"); return true;
    case 0x51: bin(I32, "{a} == {b}"); return true;
    case 0x52: bin(I32, "{a} != {b}"); return true;
    case 0x53: bin(I32, "(int64_t){a} < (int64_t){b}"); return true;
    case 0x54: bin(I32, "{a} < {b}"); return true;
    case 0x55: bin(I32, "(int64_t){a} > (int64_t){b}"); return true;
    case 0x56: bin(I32, "{a} > {b}"); return true;
    case 0x57: bin(I32, "(int64_t){a} <= (int64_t){b}"); return true;
    case 0x58: bin(I32, "{a} <= {b}"); return true;
    case 0x59: bin(I32, "(int64_t){a} >= (int64_t){b}"); return true;
    case 0x5a: bin(I32, "{a} >= {b}"); return true;
    case 0x5b: case 0x61: bin(I32, "{a} == {b}"); return true;
    case 0x5c: case 0x62: bin(I32, "{a} != {b}"); return true;
    case 0x5d: case 0x63: bin(I32, "{a} < {b}"); return true;
    case 0x5e: case 0x64: bin(I32, "{a} > {b}"); return true;
    case 0x5f: case 0x65: bin(I32, "{a} <= {b}"); return true;
    case 0x60: case 0x66: bin(I32, "{a} >= {b}"); return true;
    case 0x67: un(I32, "wasmops_i32_clz({a})"); return true;
    case 0x68: un(I32, "wasmops_i32_ctz({a})"); return true;
    case 0x69: un(I32, "wasmops_i32_popcnt({a})"); return true;
    case 0x6a: bin(I32, "{a} + {b}"); return true;
    case 0x6b: bin(I32, "{a} - {b}"); return true;
    case 0x6c: bin(I32, "{a} * {b}"); return true;
    case 0x6d: bin(I32, "wasmops_i32_div_s(ctx, {a}, {b})"); return true;
    case 0x6e: bin(I32, "wasmops_i32_div_u(ctx, {a}, {b})"); return true;
    case 0x6f: bin(I32, "wasmops_i32_rem_s(ctx, {a}, {b})"); return true;
    case 0x70: bin(I32, "wasmops_i32_rem_u(ctx, {a}, {b})"); return true;
    case 0x71: bin(I32, "{a} & {b}"); return true;
    case 0x72: bin(I32, "{a} | {b}"); return true;
    case 0x73: bin(I32, "{a} ^ {b}"); return true;
    case 0x74: bin(I32, "{a} << ({b} & 31)"); return true;
    case 0x75: bin(I32, "wasmops_i32_shr_s({a}, {b})"); return true;
    case 0x76: bin(I32, "{a} >> ({b} & 31)"); return true;
    case 0x77: bin(I32, "wasmops_i32_rotl({a}, {b})"); return true;
    case 0x78: bin(I32, "wasmops_i32_rotr({a}, {b})"); return true;
    case 0x79: un(I64, "wasmops_i64_clz({a})"); return true;
    case 0x7a: un(I64, "wasmops_i64_ctz({a})"); return true;
    case 0x7b: un(I64, "wasmops_i64_popcnt({a})"); return true;
    case 0x7c: bin(I64, "{a} + {b}"); return true;
    case 0x7d: bin(I64, "{a} - {b}"); return true;
    case 0x7e: bin(I64, "{a} * {b}"); return true;
    case 0x7f: bin(I64, "wasmops_i64_div_s(ctx, {a}, {b})"); return true;
    case 0x80: bin(I64, "wasmops_i64_div_u(ctx, {a}, {b})"); return true;
    case 0x81: bin(I64, "wasmops_i64_rem_s(ctx, {a}, {b})"); return true;
    case 0x82: bin(I64, "wasmops_i64_rem_u(ctx, {a}, {b})"); return true;
    case 0x83: bin(I64, "{a} & {b}"); return true;
    case 0x84: bin(I64, "{a} | {b}"); return true;
    case 0x85: bin(I64, "{a} ^ {b}"); return true;
    case 0x86: bin(I64, "{a} << ({b} & 63)"); return true;
    case 0x87: bin(I64, "wasmops_i64_shr_s({a}, {b})"); return true;
    case 0x88: bin(I64, "{a} >> ({b} & 63)"); return true;
    case 0x89: bin(I64, "wasmops_i64_rotl({a}, {b})"); return true;
    case 0x8a: bin(I64, "wasmops_i64_rotr({a}, {b})"); return true;
    case 0x8b: un(F32, "wasmops_f32_abs({a})"); return true;
    case 0x8c: un(F32, "wasmops_f32_neg({a})"); return true;
    case 0x8d: un(F32, "ceilf({a})"); return true;
    case 0x8e: un(F32, "floorf({a})"); return true;
    case 0x8f: un(F32, "truncf({a})"); return true;
    case 0x90: un(F32, "wasmops_f32_nearest({a})"); return true;
    case 0x91: un(F32, "sqrtf({a})"); return true;
    case 0x92: bin(F32, "{a} + {b}"); return true;
    case 0x93: bin(F32, "{a} - {b}"); return true;
    case 0x94: bin(F32, "{a} * {b}"); return true;
    case 0x95: bin(F32, "{a} / {b}"); return true;
    case 0x96: bin(F32, "wasmops_f32_min({a}, {b})"); return true;
    case 0x97: bin(F32, "wasmops_f32_max({a}, {b})"); return true;
    case 0x98: bin(F32, "wasmops_f32_copysign({a}, {b})"); return true;
    case 0x99: un(F64, "wasmops_f64_abs({a})"); return true;
    case 0x9a: un(F64, "wasmops_f64_neg({a})"); return true;
    case 0x9b: un(F64, "ceil({a})"); return true;
    case 0x9c: un(F64, "floor({a})"); return true;
    case 0x9d: un(F64, "trunc({a})"); return true;
    case 0x9e: un(F64, "wasmops_f64_nearest({a})"); return true;
    case 0x9f: un(F64, "sqrt({a})"); return true;
    case 0xa0: bin(F64, "{a} + {b}"); return true;
    case 0xa1: bin(F64, "{a} - {b}"); return true;
    case 0xa2: bin(F64, "{a} * {b}"); return true;
    case 0xa3: bin(F64, "{a} / {b}"); return true;
    case 0xa4: bin(F64, "wasmops_f64_min({a}, {b})"); return true;
    case 0xa5: bin(F64, "wasmops_f64_max({a}, {b})"); return true;
    case 0xa6: bin(F64, "wasmops_f64_copysign({a}, {b})"); return true;
    case 0xa7: un(I32, "(uint32_t){a}"); return true;
    case 0xa8: un(I32, "wasmops_i32_trunc_f32_s(ctx, {a})"); return true;
    case 0xa9: un(I32, "wasmops_i32_trunc_f32_u(ctx, {a})"); return true;
    case 0xaa: un(I32, "wasmops_i32_trunc_f64_s(ctx, {a})"); return true;
    case 0xab: un(I32, "wasmops_i32_trunc_f64_u(ctx, {a})"); return true;
    case 0xac: un(I64, "(uint64_t)(int64_t)(int32_t){a}"); return true;
    case 0xad: un(I64, "(uint64_t){a}"); return true;
    case 0xae: un(I64, "wasmops_i64_trunc_f32_s(ctx, {a})"); return true;
    case 0xaf: un(I64, "wasmops_i64_trunc_f32_u(ctx, {a})"); return true;
    case 0xb0: un(I64, "wasmops_i64_trunc_f64_s(ctx, {a})"); return true;
    case 0xb1: un(I64, "wasmops_i64_trunc_f64_u(ctx, {a})"); return true;
    case 0xb2: un(F32, "(float)(int32_t){a}"); return true;
    case 0xb3: un(F32, "(float){a}"); return true;
    case 0xb4: un(F32, "(float)(int64_t){a}"); return true;
    case 0xb5: un(F32, "wasmops_f32_convert_i64_u({a})"); return true;
    case 0xb6: un(F32, "wasmops_f32_demote({a})"); return true;
    case 0xb7: un(F64, "(double)(int32_t){a}"); return true;
    case 0xb8: un(F64, "(double){a}"); return true;
    case 0xb9: un(F64, "(double)(int64_t){a}"); return true;
    case 0xba: un(F64, "wasmops_f64_convert_i64_u({a})"); return true;
    case 0xbb: un(F64, "wasmops_f64_promote({a})"); return true;
    case 0xbc: un(I32, "wasmops_f32_bits({a})"); return true;
    case 0xbd: un(I64, "wasmops_f64_bits({a})"); return true;
    case 0xbe: un(F32, "wasmops_f32_from({a})"); return true;
    case 0xbf: un(F64, "wasmops_f64_from({a})"); return true;
    case 0xc0: un(I32, "(uint32_t)(int32_t)(int8_t){a}"); return true;
    case 0xc1: un(I32, "(uint32_t)(int32_t)(int16_t){a}"); return true;
    case 0xc2: un(I64, "(uint64_t)(int64_t)(int8_t){a}"); return true;
    case 0xc3: un(I64, "(uint64_t)(int64_t)(int16_t){a}"); return true;
    case 0xc4: un(I64, "(uint64_t)(int64_t)(int32_t){a}"); return true;
    default: break;
  }
  if ((opc >> 24) == 0xfc && (opc & 0xffffff) <= 7) {
    static const char* kSat[] = {"i32_trunc_f32_s", "i32_trunc_f32_u", "i32_trunc_f64_s", "i32_trunc_f64_u",
                                 "i64_trunc_f32_s", "i64_trunc_f32_u", "i64_trunc_f64_s", "i64_trunc_f64_u"};
    auto sub = opc & 0xffffff;
    un(sub < 4 ? I32 : I64, fmt::format("wasmops_{}_sat({{a}})", kSat[sub]));
    return true;
  }
  return false;
}

// Typedefs of every signature and multi-value result, and a prototype of
// every defined function with the given linkage.
std::string declarations(const binary::Module& m, const char* linkage) {
  std::string out;
  for (std::uint32_t i = 0; i < m.types.size(); ++i) {
    const auto* ft = m.funcType(i);
    if (!ft) continue;
    if (ft->results.size() > 1) {
      out += "typedef struct {";
      for (std::size_t k = 0; k < ft->results.size(); ++k) out += fmt::format(" {} r{};", abiType(ft->results[k].kind), k);
      out += fmt::format(" }} wasmops_ret_{};\n", i);
    }
    out += fmt::format("typedef {} (*wasmops_sig_{})({});\n", retType(*ft, i), i, paramTypes(*ft));
  }
  for (std::uint32_t d = 0; d < m.functions.size(); ++d) {
    const auto ti = m.functions[d];
    const auto* ft = m.funcType(ti);
    out += fmt::format("{}{}{} f{}({});\n", linkage, m.code[d].size > kLargeFunctionBytes ? "WASMOPS_LARGE_FUNC " : "",
                       retType(*ft, ti), m.importedFunctions + d, paramTypes(*ft));
  }
  return out;
}

// What every unit starts with when there is only one: the runtime ABI.
std::string prelude(const binary::Module& m) {
  std::string out = "/* generated by wasmops; do not edit */\n";
  out += runtimeHeaderText();
  if (m.features.has(binary::Feature::Simd)) out += simdHeaderText();
  out += "\n";
  return out;
}

// Entry trampolines and host thunks, one pair per function type.
std::string trampolines(const binary::Module& m) {
  std::string out;
  auto argExpr = [&](ValKind k, std::size_t i) {
    return k == ValKind::V128 ? fmt::format("wasmops_v128_from_bytes(a[{}].v128)", i) : fmt::format("a[{}].{}", i, valField(k));
  };
  auto storeResult = [&](ValKind k, std::size_t i, const std::string& expr) {
    return k == ValKind::V128 ? fmt::format("  {{ wasmops_v128 v_ = {}; memcpy(r[{}].v128, &v_, 16); }}\n", expr, i)
                              : fmt::format("  r[{}].{} = {};\n", i, valField(k), expr);
  };
  auto loadResult = [&](ValKind k, std::size_t i) {
    return k == ValKind::V128 ? fmt::format("wasmops_v128_from_bytes(r[{}].v128)", i) : fmt::format("r[{}].{}", i, valField(k));
  };
  for (std::uint32_t i = 0; i < m.types.size(); ++i) {
    const auto* ft = m.funcType(i);
    if (!ft) continue;
    std::string args;
    for (std::size_t k = 0; k < ft->params.size(); ++k) args += ", " + argExpr(ft->params[k].kind, k);
    out += fmt::format("static void entry_{}(void* code, void* c, const wasmops_val* a, wasmops_val* r) {{\n", i);
    std::string call = fmt::format("((wasmops_sig_{})code)(c{})", i, args);
    if (ft->results.empty()) {
      out += "  (void)r;\n  " + call + ";\n";
    } else if (ft->results.size() == 1) {
      out += storeResult(ft->results[0].kind, 0, call);
    } else {
      out += fmt::format("  wasmops_ret_{} x = {};\n", i, call);
      for (std::size_t k = 0; k < ft->results.size(); ++k)
        out += storeResult(ft->results[k].kind, k, fmt::format("x.r{}", k));
    }
    if (ft->params.empty()) out += "  (void)a;\n";
    out += "}\n";
    // Host thunk: native signature in, arrays out to the runtime.
    std::string params = "void* h";
    for (std::size_t k = 0; k < ft->params.size(); ++k) params += fmt::format(", {} p{}", abiType(ft->params[k].kind), k);
    out += fmt::format("static {} thunk_{}({}) {{\n", retType(*ft, i), i, params);
    out += fmt::format("  wasmops_val a[{}], r[{}];\n", std::max<std::size_t>(1, ft->params.size()),
                       std::max<std::size_t>(1, ft->results.size()));
    for (std::size_t k = 0; k < ft->params.size(); ++k) {
      if (ft->params[k].kind == ValKind::V128) out += fmt::format("  memcpy(a[{0}].v128, &p{0}, 16);\n", k);
      else out += fmt::format("  a[{}].{} = p{};\n", k, valField(ft->params[k].kind), k);
    }
    out += "  ((wasmops_host_func*)h)->rt->call_host(h, a, r);\n";
    if (ft->results.size() == 1) out += fmt::format("  return {};\n", loadResult(ft->results[0].kind, 0));
    if (ft->results.size() > 1) {
      out += fmt::format("  {{ wasmops_ret_{} x;\n", i);
      for (std::size_t k = 0; k < ft->results.size(); ++k) out += fmt::format("  x.r{} = {};\n", k, loadResult(ft->results[k].kind, k));
      out += "  return x; }\n";
    }
    out += "}\n";
  }
  return out;
}

// Each unit ends its functions with an empty marker: code after it (helpers
// tcc did not inline) belongs to no wasm function, so a trap there is not
// blamed on the unit's last function.
std::string codeEndName(std::size_t unit, std::size_t units) {
  return units == 1 ? std::string("wasmops_code_end") : fmt::format("wasmops_code_end_{}", unit);
}

// The function, entry and thunk tables and the exported descriptor.
std::string descriptor(const binary::Module& m, std::size_t units) {
  std::string out;
  auto list = [&](const char* type, const char* name, const std::string& items) {
    out += fmt::format("static {} {}[] = {{{}}};\n", type, name, items.empty() ? "0" : items);
  };
  std::string defined, entries, thunks, ends;
  for (std::uint32_t d = 0; d < m.functions.size(); ++d) defined += fmt::format("{}(void*)f{}", d ? ", " : "", m.importedFunctions + d);
  for (std::uint32_t i = 0; i < m.types.size(); ++i) {
    bool fn = m.funcType(i) != nullptr;
    entries += fmt::format("{}{}", i ? ", " : "", fn ? fmt::format("entry_{}", i) : "0");
    thunks += fmt::format("{}{}", i ? ", " : "", fn ? fmt::format("(void*)thunk_{}", i) : "0");
  }
  for (std::size_t u = 0; u < units; ++u) ends += fmt::format("{}(void*){}", u ? ", " : "", codeEndName(u, units));
  list("void* const", "wasmops_defined", defined);
  list("const wasmops_entry_fn", "wasmops_entries", entries);
  list("void* const", "wasmops_thunks", thunks);
  list("void* const", "wasmops_code_ends", ends);
  out += fmt::format(
      "WASMOPS_EXPORT const wasmops_module_desc wasmops_module = {{WASMOPS_ABI_VERSION, {}u, wasmops_defined, {}u, "
      "wasmops_entries, wasmops_thunks, {}u, wasmops_code_ends}};\n",
      m.functions.size(), m.types.size(), units);
  return out;
}

std::uint64_t ceilDiv(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

// How many units: one below the threshold; otherwise enough to keep units
// under maxUnitBytes, rounded up to a multiple of the compile jobs.
std::uint64_t unitCount(std::uint64_t total, std::uint32_t functions, const SplitPolicy& policy, std::uint32_t jobs) {
  if (total < policy.minSplitBytes || functions < 2) return 1;
  const std::uint64_t perJob = std::max<std::uint32_t>(1, jobs);
  const std::uint64_t units = ceilDiv(ceilDiv(total, std::max<std::uint64_t>(1, policy.maxUnitBytes)), perJob) * perJob;
  return std::clamp<std::uint64_t>(units, 1, std::min(std::max<std::uint32_t>(1, policy.maxUnits), functions));
}

}  // namespace

std::vector<std::uint32_t> partitionFunctions(const binary::Module& m, const SplitPolicy& policy, std::uint32_t jobs) {
  const auto count = static_cast<std::uint32_t>(m.code.size());
  std::uint64_t total = 0;
  for (const auto& body : m.code) total += body.size;
  const std::uint64_t units = unitCount(total, count, policy, jobs);
  std::vector<std::uint32_t> starts{0};
  if (units == 1) return starts;
  // Greedy in index order, re-aimed after every cut at an equal share of
  // what is left: a unit ends at the function boundary closest to its
  // target. A function larger than a unit gets one of its own, and what
  // follows it is not cut into units of less than half the planned size.
  const std::uint64_t planned = std::max<std::uint64_t>(1, total / units);
  std::uint64_t closed = 0, current = 0;
  auto target = [&] {
    const std::uint64_t left = total - closed;
    const std::uint64_t open =
        std::min(units - starts.size() + 1, std::max<std::uint64_t>(1, ceilDiv(left, (planned + 1) / 2)));
    return ceilDiv(left, open);
  };
  auto cut = [&](std::uint32_t at) {
    closed += current;
    current = 0;
    starts.push_back(at);
  };
  for (std::uint32_t d = 0; d < count; ++d) {
    const std::uint64_t size = m.code[d].size;
    const std::uint64_t aim = target();
    if (current > 0 && starts.size() < units && current + size > aim && current + size - aim > aim - current) cut(d);
    current += size;
    if (current >= target() && starts.size() < units && d + 1 < count) cut(d + 1);
  }
  return starts;
}

Expected<void> emitUnits(const binary::Module& m, std::span<const std::uint8_t> bytes,
                         const std::vector<std::uint32_t>& unitStarts, const std::string& headerName,
                         const EmitSink& sink) {
  if (auto beyond = m.features.beyondWasm2(); !beyond.empty())
    return makeError(ErrorCode::Unsupported,
                     fmt::format("the engine runs WebAssembly 2.0 only; this module uses {}", beyond.front()));
  const std::size_t units = unitStarts.size();
  const bool split = units > 1;
  // Functions other units call cannot be static; hidden keeps them out of
  // the shared object's dynamic symbol table.
  const char* linkage = split ? "WASMOPS_HIDDEN " : "static ";
  if (split) {
    std::string header = prelude(m) + declarations(m, linkage);
    for (std::size_t u = 0; u < units; ++u)
      header += fmt::format("WASMOPS_HIDDEN void {}(void);\n", codeEndName(u, units));
    WASMOPS_TRY_VOID(sink.header(header));
  }
  for (std::size_t u = 0; u < units; ++u) {
    std::string out;
    if (split) {
      out = fmt::format("/* generated by wasmops; do not edit (unit {} of {}) */\n#include \"{}\"\n\n", u + 1, units,
                        headerName);
    } else {
      out = prelude(m) + declarations(m, linkage) + "\n";
    }
    const std::uint32_t end = u + 1 < units ? unitStarts[u + 1] : static_cast<std::uint32_t>(m.functions.size());
    for (std::uint32_t d = unitStarts[u]; d < end; ++d) {
      FunctionEmitter fe(m, bytes, linkage, out);
      WASMOPS_TRY_VOID(fe.emit(d));
    }
    out += fmt::format("{}void {}(void) {{}}\n", split ? "WASMOPS_HIDDEN " : "static ", codeEndName(u, units));
    if (u + 1 == units) out += trampolines(m) + descriptor(m, units);
    WASMOPS_TRY_VOID(sink.unit(u, out));
  }
  return {};
}

Expected<std::string> emitC(const binary::Module& m, std::span<const std::uint8_t> bytes) {
  std::string text;
  EmitSink sink{[](const std::string&) -> Expected<void> { return {}; },
                [&](std::size_t, const std::string& unit) -> Expected<void> {
                  text = unit;
                  return {};
                }};
  WASMOPS_TRY_VOID(emitUnits(m, bytes, {0}, {}, sink));
  return text;
}

}  // namespace wasmops::engine
