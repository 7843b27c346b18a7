#include "engine/Store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "binary/InstructionReader.h"
#include "engine/DeadlineTimer.h"
#include "engine/Libcalls.h"
#include "engine/MemoryReservation.h"
#include "engine/RuntimeObjects.h"
#include "engine/TrapHandling.h"

namespace wasmops::engine {

using binary::ExternKind;
namespace op = binary::op;

void Store::interrupt() {
  interrupted_.store(true);
  std::atomic_ref<std::uintptr_t>(stackLimit_).store(UINTPTR_MAX, std::memory_order_relaxed);
}

void Store::armDeadline(std::uint64_t epoch) {
  deadline_.store(epoch);
  DeadlineTimer::arm(*this, epoch);
}

void Store::setEpochDeadline(std::uint64_t ticksFromNow) {
  armDeadline(EpochClock::now() + std::max<std::uint64_t>(ticksFromNow, 1));
}

void Store::setDeadline(std::chrono::nanoseconds fromNow) {
  armDeadline(std::max<std::uint64_t>(EpochClock::epochAfter(fromNow), 1));
}

void Store::clearDeadline() {
  deadline_.store(0);
  DeadlineTimer::disarm(*this);
}

bool Store::deadlinePassed() const {
  const std::uint64_t d = deadline_.load();
  return d != 0 && EpochClock::now() >= d;
}

void Store::deadlineReached() {
  // Only if the deadline was not moved meanwhile (the guest's thread may
  // have just extended it).
  if (deadlinePassed()) std::atomic_ref<std::uintptr_t>(stackLimit_).store(UINTPTR_MAX, std::memory_order_relaxed);
}

bool Store::memoryLimitReached() const {
  return std::any_of(memories_.begin(), memories_.end(), [](const auto& mo) { return mo->limitRefusedGrow; });
}

bool Store::ownsGuestFault(std::uintptr_t addr, std::uintptr_t pc) const {
  return std::any_of(memories_.begin(), memories_.end(), [&](const auto& mo) { return mo->inReservation(addr); }) &&
         std::any_of(modules_.begin(), modules_.end(), [&](const auto& cm) { return cm->containsCode(pc); });
}

std::uintptr_t Store::entryStackLimit() const {
  return interrupted_.load() || deadlinePassed() ? UINTPTR_MAX : threadStackLimit();
}

Store::Store() = default;
Store::Store(Limits limits) : limits_(limits) {}
Store::~Store() { DeadlineTimer::disarm(*this); }

Store* Store::current() {
  // Store is the only FaultOwner: the innermost host->guest entry's owner.
  const TrapTarget* target = tlTrapTarget;
  return target && target->owner ? const_cast<Store*>(static_cast<const Store*>(target->owner)) : nullptr;
}

Extern Store::hostFunction(binary::FuncType type, HostCallback fn) {
  auto h = std::make_unique<HostFunction>();
  h->rt = runtimeServices();
  h->typeId = canonicalTypeId(type);
  h->type = std::move(type);
  h->fn = std::move(fn);
  Extern e;
  e.kind = ExternKind::Func;
  e.host = h.get();
  e.funcType = &h->type;
  hostFuncs_.push_back(std::move(h));
  return e;
}

std::unique_ptr<MemoryObject> Store::memoryObject(const binary::Limits& limits) const {
  auto mo = std::make_unique<MemoryObject>();
  mo->type = limits;
  std::uint64_t maxPages = limits.max ? *limits.max : 65536;
  mo->typeMaxPages = maxPages;
  if (limits_.maxMemoryBytes) maxPages = std::min<std::uint64_t>(maxPages, limits_.maxMemoryBytes >> 16);
  mo->m.max_pages = std::max<std::uint64_t>(maxPages, limits.min);
  return mo;
}

Extern Store::newMemory(const binary::Limits& limits) {
  auto mo = memoryObject(limits);
  // Every memory of the store is a guard-page reservation when the process
  // can make them, so that modules built either way can import it.
  if (MemoryReservation::available()) {
    mo->m.base = MemoryReservation::reserve();
    mo->reserved = mo->m.base != nullptr;
    if (mo->reserved) installFaultHandler();
  }
  mo->grow(static_cast<std::uint32_t>(limits.min));
  Extern e;
  e.kind = ExternKind::Memory;
  e.memory = mo.get();
  memories_.push_back(std::move(mo));
  return e;
}

Expected<Extern> Store::newMemory(const binary::Limits& limits, std::shared_ptr<MemoryImage> image) {
  WASMOPS_TRY(std::uint8_t * base, image->acquire());
  auto mo = memoryObject(limits);
  mo->m.base = base;
  mo->m.size = image->initialBytes();
  mo->mapped = image->initialBytes();
  mo->reserved = true;
  mo->image = std::move(image);
  installFaultHandler();
  Extern e;
  e.kind = ExternKind::Memory;
  e.memory = mo.get();
  memories_.push_back(std::move(mo));
  return e;
}

Extern Store::newTable(const binary::TableType& type, void* init) {
  auto to = std::make_unique<TableObject>();
  to->type = type;
  to->grow(static_cast<std::uint32_t>(type.limits.min), init);
  to->t.max = type.limits.max ? static_cast<std::uint32_t>(*type.limits.max) : 0xffffffffu;
  Extern e;
  e.kind = ExternKind::Table;
  e.table = to.get();
  tables_.push_back(std::move(to));
  return e;
}

Extern Store::newGlobal(const binary::GlobalType& type, wasmops_val value) {
  auto go = std::make_unique<GlobalObject>();
  go->type = type;
  go->g.v = value;
  Extern e;
  e.kind = ExternKind::Global;
  e.global = go.get();
  globals_.push_back(std::move(go));
  return e;
}

// Maps the native frames captured at a trap to wasm function names, through
// whichever instance of this store holds each address.
std::vector<std::string> Store::wasmBacktrace(const TrapTarget& target) const {
  auto namesOf = [this](const std::array<void*, 48>& frames, int count) {
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
      // A return address points after the call; step back into the calling instruction.
      const void* pc = static_cast<const char*>(frames[static_cast<std::size_t>(i)]) - 1;
      for (const auto& inst : instances_) {
        if (auto f = inst->functionAt(pc)) {
          names.push_back(inst->functionName(*f));
          break;
        }
      }
    }
    return names;
  };
  // The unwinder knows gcc's frames, the frame-pointer walk tcc's: keep whichever saw more.
  auto unwound = namesOf(target.frames, target.frameCount);
  auto walked = namesOf(target.fpFrames, target.fpFrameCount);
  return walked.size() > unwound.size() ? walked : unwound;
}

CallOutcome Store::call(wasmops_entry_fn entry, const wasmops_funcref& func, const binary::FuncType& type,
                        const std::vector<wasmops_val>& args) {
  CallOutcome out;
  out.results.resize(std::max<std::size_t>(1, type.results.size()));
  TrapTarget target;
  TrapTarget* previous = tlTrapTarget;
  // The limit of the calling thread; nested entries set the same value.
  std::atomic_ref<std::uintptr_t>(stackLimit_).store(entryStackLimit(), std::memory_order_relaxed);
  target.owner = this;
  ensureAltStack();
  tlTrapTarget = &target;
  if (sigsetjmp(target.buf, 0) == 0) {
    entry(func.code, func.ctx, args.data(), out.results.data());
  } else {
    auto kind = static_cast<TrapKind>(target.code);
    out.trap = Trap{kind, target.message.empty() ? trapMessage(kind) : target.message, {}, {}};
    if (target.ctx && target.pc) {
      auto* inst = static_cast<Instance*>(target.ctx->instance);
      if (auto f = inst->functionAt(target.pc)) out.trap->function = inst->functionName(*f);
    } else if (target.pc) {
      // A fault in guest code: the instance whose code holds the address.
      for (const auto& inst : instances_) {
        if (!inst->module().containsCode(reinterpret_cast<std::uintptr_t>(target.pc))) continue;
        if (auto f = inst->functionAt(target.pc)) out.trap->function = inst->functionName(*f);
        break;
      }
    }
    out.trap->backtrace = wasmBacktrace(target);
    // The fast tier traps inside helpers tcc did not inline: name the wasm caller.
    if (out.trap->function.empty() && !out.trap->backtrace.empty()) out.trap->function = out.trap->backtrace.front();
  }
  tlTrapTarget = previous;
  out.results.resize(type.results.size());
  return out;
}

namespace {

wasmops_val evalConst(const binary::ConstExpr& expr, const std::vector<wasmops_global*>& globals,
                      std::vector<wasmops_funcref>& funcs) {
  std::vector<wasmops_val> stack;
  for (const auto& in : expr.instrs) {
    wasmops_val v{};
    switch (in.opcode) {
      case op::I32Const: v.i32 = static_cast<std::uint32_t>(in.bits); break;
      case op::I64Const: v.i64 = in.bits; break;
      case op::F32Const: {
        std::uint32_t b = static_cast<std::uint32_t>(in.bits);
        std::memcpy(&v.f32, &b, 4);
        break;
      }
      case op::F64Const: std::memcpy(&v.f64, &in.bits, 8); break;
      case op::RefNull: v.ref = nullptr; break;
      case op::RefFunc: v.ref = &funcs[in.index]; break;
      case op::GlobalGet: v = globals[in.index]->v; break;
      default: break;
    }
    stack.push_back(v);
  }
  return stack.empty() ? wasmops_val{} : stack.back();
}

bool limitsMatch(std::uint64_t actualMin, std::optional<std::uint64_t> actualMax, const binary::Limits& want) {
  if (actualMin < want.min) return false;
  if (want.max) return actualMax && *actualMax <= *want.max;
  return true;
}

}  // namespace

tl::expected<Instance*, Store::InstantiateError> Store::instantiate(std::shared_ptr<CompiledModule> cm,
                                                                   const Resolver& resolve) {
  using Err = InstantiateError;
  const auto& m = cm->module();
  auto inst = std::make_unique<Instance>();
  Instance& I = *inst;
  I.store_ = this;
  I.module_ = cm;
  const auto* desc = cm->desc();

  I.funcs_.reserve(m.totalFunctions());
  for (const auto& imp : m.imports) {
    auto ext = resolve(imp.module, imp.name);
    const std::string what = imp.module + "." + imp.name;
    if (!ext) return tl::unexpected(Err{true, "unknown import " + what, std::nullopt});
    auto incompatible = [&](const std::string& why) {
      return tl::unexpected(Err{true, "incompatible import type for " + what + ": " + why, std::nullopt});
    };
    if (ext->kind != imp.kind)
      return incompatible(fmt::format("expected a {}, got a {}", binary::toString(imp.kind), binary::toString(ext->kind)));
    switch (imp.kind) {
      case ExternKind::Func: {
        const std::uint32_t want = cm->typeIds()[imp.typeIndex];
        const std::uint32_t got = ext->host ? ext->host->typeId : ext->func->type_id;
        if (want != got) return incompatible("function signature differs");
        if (ext->host)
          I.funcs_.push_back({desc->host_thunks[imp.typeIndex], static_cast<wasmops_host_func*>(ext->host), got});
        else
          I.funcs_.push_back(*ext->func);
        break;
      }
      case ExternKind::Memory: {
        auto* mo = ext->memory;
        std::optional<std::uint64_t> max = mo->type.max;
        if (!limitsMatch(mo->m.size >> 16, max, imp.memory)) return incompatible("memory limits do not match");
        I.memoryObjects_.push_back(mo);
        break;
      }
      case ExternKind::Table: {
        auto* to = ext->table;
        if (!(to->type.elem == imp.table.elem)) return incompatible("table element type differs");
        if (!limitsMatch(to->t.size, to->type.limits.max, imp.table.limits)) return incompatible("table limits do not match");
        I.tableObjects_.push_back(to);
        break;
      }
      case ExternKind::Global: {
        auto* go = ext->global;
        if (!(go->type.type == imp.global.type) || go->type.mutable_ != imp.global.mutable_)
          return incompatible("global type or mutability differs");
        I.globalObjects_.push_back(go);
        break;
      }
      case ExternKind::Tag: return incompatible("tags are not supported");
    }
  }
  for (std::uint32_t d = 0; d < m.functions.size(); ++d)
    I.funcs_.push_back({desc->defined[d], &I.ctx_, cm->typeIds()[m.functions[d]]});
  // Memory 0 from its copy-on-write image when the module has one: its
  // active data segments are then in place already.
  std::shared_ptr<MemoryImage> image = m.importedMemories == 0 ? cm->memoryImage() : nullptr;
  for (std::size_t i = 0; i < m.memories.size(); ++i) {
    if (i == 0 && image) {
      auto mem = newMemory(m.memories[i], image);
      if (!mem) return tl::unexpected(Err{true, mem.error().message, std::nullopt});
      I.memoryObjects_.push_back(mem->memory);
    } else {
      I.memoryObjects_.push_back(newMemory(m.memories[i]).memory);
    }
  }
  for (const auto& tab : m.tables) I.tableObjects_.push_back(newTable(tab.type).table);
  for (auto* mo : I.memoryObjects_) {
    // Guard-page code does not check what the guard catches: its memories
    // must all be reservations.
    if (cm->guardPages() && !mo->reserved)
      return tl::unexpected(Err{true,
                                "this module was compiled for guard-page memories, but a memory it uses is not a "
                                "guard-page reservation (the address space ran out?)",
                                std::nullopt});
    I.memories_.push_back(&mo->m);
  }
  for (auto* to : I.tableObjects_) I.tables_.push_back(&to->t);
  for (auto* go : I.globalObjects_) I.globals_.push_back(&go->g);
  for (const auto& g : m.globals) {
    auto* go = newGlobal(g.type, evalConst(g.init, I.globals_, I.funcs_)).global;
    I.globalObjects_.push_back(go);
    I.globals_.push_back(&go->g);
  }
  I.ctx_.rt = runtimeServices();
  I.ctx_.memories = I.memories_.data();
  I.ctx_.tables = I.tables_.data();
  I.ctx_.globals = I.globals_.data();
  I.ctx_.funcs = I.funcs_.data();
  I.ctx_.type_ids = cm->typeIds().data();
  I.ctx_.stack_limit = &stackLimit_;
  I.ctx_.instance = &I;
  I.droppedData_.assign(m.datas.size(), false);
  I.droppedElem_.assign(m.elems.size(), false);
  for (const auto& seg : m.elems) {
    std::vector<void*> values;
    values.reserve(seg.items.size());
    for (const auto& item : seg.items) values.push_back(evalConst(item, I.globals_, I.funcs_).ref);
    I.elemValues_.push_back(std::move(values));
  }

  Instance* raw = inst.get();
  instances_.push_back(std::move(inst));  // kept even if a segment traps: tables may point into it
  modules_.push_back(cm);

  // Segments in order; a trap stops instantiation, earlier writes persist.
  for (std::uint32_t i = 0; i < m.elems.size(); ++i) {
    const auto& seg = m.elems[i];
    if (seg.mode == binary::SegmentMode::Active) {
      const std::uint32_t off = evalConst(seg.offsetExpr, raw->globals_, raw->funcs_).i32;
      wasmops_table* t = raw->tables_[seg.table];
      const auto& values = raw->elemValues_[i];
      if (std::uint64_t{off} + values.size() > t->size)
        return tl::unexpected(Err{false, "", Trap{TrapKind::TableOutOfBounds, trapMessage(TrapKind::TableOutOfBounds), {}, {}}});
      std::copy(values.begin(), values.end(), t->elems + off);
    }
    if (seg.mode != binary::SegmentMode::Passive) raw->droppedElem_[i] = true;
  }
  for (std::uint32_t i = 0; i < m.datas.size(); ++i) {
    const auto& seg = m.datas[i];
    if (seg.mode != binary::SegmentMode::Active) continue;
    if (image) {  // in the image already (MemoryImage::build checked its bounds)
      raw->droppedData_[i] = true;
      continue;
    }
    const std::uint32_t off = evalConst(seg.offsetExpr, raw->globals_, raw->funcs_).i32;
    wasmops_memory* mem = raw->memories_[seg.memory];
    if (std::uint64_t{off} + seg.size > mem->size)
      return tl::unexpected(Err{false, "", Trap{TrapKind::MemoryOutOfBounds, trapMessage(TrapKind::MemoryOutOfBounds), {}, {}}});
    if (seg.size) std::memcpy(mem->base + off, cm->bytes().data() + seg.dataOffset, seg.size);
    raw->droppedData_[i] = true;
  }
  if (m.start) {
    const auto ti = *m.functionTypeIndex(*m.start);
    auto outcome = call(desc->entries[ti], raw->funcs_[*m.start], *m.funcType(ti), {});
    if (outcome.trap) return tl::unexpected(Err{false, "", outcome.trap});
  }
  return raw;
}

}  // namespace wasmops::engine
