#include "validate/WabtBridge.h"

#include <wabt/apply-names.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/ir-util.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wat-writer.h>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace wasmops::validate {

WabtModule::WabtModule() = default;
WabtModule::~WabtModule() = default;
WabtModule::WabtModule(WabtModule&&) noexcept = default;

static void collect(const wabt::Errors& errors, ErrorCode code, std::vector<Diagnostic>& out) {
  for (const auto& e : errors) {
    if (e.error_level != wabt::ErrorLevel::Error) continue;
    out.push_back({code, static_cast<std::uint64_t>(e.loc.offset), e.message});
  }
}

// wabt 1.0.32 checks only the number of local names of a function, not their
// indices, and keeps a name for local 5 of a function with one local; ApplyNames
// and WriteWat then assert. The name section is custom: drop such names.
static void dropLocalNamesOutOfRange(wabt::Module& module) {
  for (wabt::Func* func : module.funcs) {
    const wabt::Index count = func->GetNumParamsAndLocals();
    for (auto it = func->bindings.begin(); it != func->bindings.end();)
      it = it->second.index >= count ? func->bindings.erase(it) : std::next(it);
  }
}

WabtModule readAndValidateWithWabt(std::span<const std::uint8_t> bytes, bool readNames) {
  WabtModule out;
  out.module = std::make_unique<wabt::Module>();
  wabt::Features features;  // wabt 1.0.32 defaults = the WebAssembly 2.0 feature set
  wabt::ReadBinaryOptions options(features, nullptr, readNames, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  wabt::Errors errors;
  auto result = wabt::ReadBinaryIr("module", bytes.data(), bytes.size(), options, &errors, out.module.get());
  if (wabt::Failed(result)) {
    // Our decoder has already judged the encoding well-formed, so what wabt's
    // reader still refuses is a semantic check (an index out of range, ...).
    collect(errors, ErrorCode::Invalid, out.diagnostics);
    if (out.diagnostics.empty()) out.diagnostics.push_back({ErrorCode::Invalid, std::nullopt, "wabt could not read the module"});
    return out;
  }
  if (readNames) dropLocalNamesOutOfRange(*out.module);
  wabt::ValidateOptions vopts(features);
  errors.clear();
  result = wabt::ValidateModule(out.module.get(), &errors, vopts);
  if (wabt::Failed(result)) {
    collect(errors, ErrorCode::Invalid, out.diagnostics);
    if (out.diagnostics.empty()) out.diagnostics.push_back({ErrorCode::Invalid, std::nullopt, "module is invalid"});
  }
  return out;
}

namespace {

// The text of a small module can be huge: every line is indented by its block
// depth, so 20,000 nested blocks (a 60 KB module) make 800 MB of text.
constexpr std::size_t kMaxTextBytes = std::size_t{512} << 20;

class BoundedMemoryStream : public wabt::MemoryStream {
 protected:
  wabt::Result WriteDataImpl(std::size_t offset, const void* data, std::size_t size) override {
    if (offset + size > kMaxTextBytes) return wabt::Result::Error;  // later writes are then skipped
    return MemoryStream::WriteDataImpl(offset, data, size);
  }
};

// wabt 1.0.32 writes folded text recursively and copies each expression tree
// on the way down (WatWriter::FlushExprTreeVector takes trees by value): an
// expression D deep costs D stack frames (~630 bytes each for nested blocks:
// 13,300 overflow an 8 MiB stack) and D*D/2 tree nodes alive at once (a chain
// of 20,000 i32.eqz, a 20 KB module, takes gigabytes). FoldCost replays wabt's
// folding (WatWriter::PushExpr) to measure depth and copies before writing.
// Real modules fit: the deepest in the sightglass benchmarks is shootout-switch
// (8,194), the largest tree shootout-keccak's (2.0M nodes).
constexpr std::uint64_t kMaxFoldDepth = 10'000;     // ~6.3 MiB of the usual 8 MiB stack
constexpr std::uint64_t kMaxFoldNodes = 4'000'000;  // tree nodes alive at once
constexpr std::uint64_t kMaxFoldCopies = 8'000'000, kMaxFoldCopiesPerExpr = 64;  // copied in all (time)

class FoldCost {
 public:
  struct Cost {
    std::uint64_t depth = 0;   // FlushExprTree recursion
    std::uint64_t nodes = 0;   // tree nodes held in copies along that recursion
    std::uint64_t copies = 0;  // tree nodes copied in all
    void merge(const Cost& other) {
      depth = std::max(depth, other.depth);
      nodes = std::max(nodes, other.nodes);
      copies += other.copies;
    }
  };

  explicit FoldCost(const wabt::Module& module) : ctx_(module) {}

  // Iterative, so that measuring nested blocks cannot overflow the stack.
  Cost func(const wabt::Func& func) {
    ctx_.BeginFunc(func);
    std::vector<Level> levels;
    levels.emplace_back(&func.exprs);
    Cost result;
    while (!levels.empty()) {
      Level& level = levels.back();
      if (level.block) {  // inside a block, loop, if or try: its lists first
        if (level.nextList < level.lists.size()) {
          const wabt::ExprList* inner = level.lists[level.nextList++];
          if (levels.size() > kMaxFoldDepth) {  // each enclosing level adds a frame: over the limit anyway
            level.inner.merge(Cost{1, 0, 0});
          } else {
            levels.emplace_back(inner);
          }
          continue;
        }
        ctx_.EndBlock();
        push(level, level.blockArity, level.inner);
        level.block = nullptr;
      }
      if (level.next == level.exprs->end()) {
        for (const auto& t : level.stack) level.worst.merge(t.cost);
        const Cost done = level.worst;
        levels.pop_back();
        (levels.empty() ? result : levels.back().inner).merge(done);
        continue;
      }
      const wabt::Expr& expr = *level.next++;
      ++exprs_;
      const auto arity = ctx_.GetExprArity(expr);
      if (!enterBlock(expr, level)) push(level, arity, {});
      else level.blockArity = arity;
    }
    ctx_.EndFunc();
    return result;
  }

  std::uint64_t exprs() const { return exprs_; }  // instructions seen

 private:
  struct Tree {
    wabt::Index results;
    std::uint64_t size;
    Cost cost;
  };
  // One expression list being folded, as WatWriter::WriteFoldedExprList does.
  struct Level {
    explicit Level(const wabt::ExprList* list) : exprs(list), next(list->begin()) {}
    const wabt::ExprList* exprs;
    wabt::ExprList::const_iterator next;
    std::vector<Tree> stack;  // WatWriter::expr_tree_stack_
    Cost worst;               // of the trees flushed so far
    const wabt::Expr* block = nullptr;  // the block, loop, if or try whose lists are being measured
    std::vector<const wabt::ExprList*> lists;
    std::size_t nextList = 0;
    wabt::ModuleContext::Arities blockArity{0, 0};
    Cost inner;
  };

  // Starts measuring the lists inside `expr` if it is a block, loop, if or try.
  bool enterBlock(const wabt::Expr& expr, Level& level) {
    const wabt::Block* block = nullptr;
    wabt::LabelType type = wabt::LabelType::Block;
    level.lists.clear();
    switch (expr.type()) {
      case wabt::ExprType::Block: block = &wabt::cast<wabt::BlockExpr>(&expr)->block; break;
      case wabt::ExprType::Loop:
        block = &wabt::cast<wabt::LoopExpr>(&expr)->block;
        type = wabt::LabelType::Loop;
        break;
      case wabt::ExprType::If: {
        const auto* e = wabt::cast<wabt::IfExpr>(&expr);
        block = &e->true_;
        type = wabt::LabelType::If;
        level.lists.push_back(&e->false_);
        break;
      }
      case wabt::ExprType::Try: {
        const auto* e = wabt::cast<wabt::TryExpr>(&expr);
        block = &e->block;
        type = wabt::LabelType::Try;
        for (const auto& c : e->catches) level.lists.push_back(&c.exprs);
        break;
      }
      default: return false;
    }
    level.lists.insert(level.lists.begin(), &block->exprs);
    level.nextList = 0;
    level.inner = {};
    level.block = &expr;
    ctx_.BeginBlock(type, *block);
    return true;
  }

  // WatWriter::PushExpr: takes the operands off the stack as children, and
  // flushes the stack after an expression without results.
  static void push(Level& level, wabt::ModuleContext::Arities arity, const Cost& inner) {
    auto& stack = level.stack;
    std::size_t first = stack.size();
    wabt::Index count = 0;
    if (arity.nargs > 0) {
      for (std::size_t i = stack.size(); i-- > 0;) {
        count += stack[i].results;
        if (count >= arity.nargs) {
          if (count == arity.nargs) first = i;
          break;
        }
      }
    }
    Tree tree{arity.nreturns, 1, {}};
    Cost below = inner;
    if (count == arity.nargs && arity.nargs > 0) {
      for (std::size_t i = first; i < stack.size(); ++i) {
        tree.size += stack[i].size;
        below.merge(stack[i].cost);
      }
      stack.resize(first);
    }
    tree.cost = {1 + below.depth, tree.size + below.nodes, tree.size + below.copies};
    stack.push_back(tree);
    if (count > arity.nargs || arity.nreturns == 0) {
      for (const auto& t : stack) level.worst.merge(t.cost);
      stack.clear();
    }
  }

  wabt::ModuleContext ctx_;
  std::uint64_t exprs_ = 0;
};

}  // namespace

Expected<std::string> writeWat(wabt::Module& module, bool foldExprs, bool inlineExports) {
  if (foldExprs) {
    FoldCost fold(module);
    FoldCost::Cost worst;
    for (const wabt::Func* func : module.funcs) worst.merge(fold.func(*func));
    const std::uint64_t maxCopies = kMaxFoldCopies + kMaxFoldCopiesPerExpr * fold.exprs();
    if (worst.depth > kMaxFoldDepth || worst.nodes > kMaxFoldNodes || worst.copies > maxCopies)
      return makeError(ErrorCode::LimitExceeded,
                       fmt::format("expressions nested too deeply to write folded (depth {}, limit {}; {} tree nodes "
                                   "at once, limit {}; {} copies, limit {}); write them unfolded",
                                   worst.depth, kMaxFoldDepth, worst.nodes, kMaxFoldNodes, worst.copies, maxCopies));
  }
  // As wasm2wat does: names from the name section become $identifiers.
  (void)wabt::ApplyNames(&module);
  BoundedMemoryStream stream;
  wabt::WriteWatOptions options;
  options.fold_exprs = foldExprs;
  options.inline_export = inlineExports;
  const auto written = wabt::WriteWat(&stream, &module, options);
  if (stream.offset() > kMaxTextBytes)  // WriteWat does not report a failed stream
    return makeError(ErrorCode::LimitExceeded, fmt::format("the text would be larger than {} MiB", kMaxTextBytes >> 20));
  if (wabt::Failed(written) || wabt::Failed(stream.result()))
    return makeError(ErrorCode::Internal, "wabt failed to write the text format");
  const auto& data = stream.output_buffer().data;
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace wasmops::validate
