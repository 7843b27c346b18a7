#include "engine/Runtime.h"
#include "binary/ModuleDecoder.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <fmt/format.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "base/Sha256.h"
#include "binary/CustomSections.h"
#include "binary/InstructionReader.h"
#include "engine/CEmitter.h"
#include "validate/Validator.h"

extern "C" void* __libc_stack_end;  // glibc: the top of the main thread's stack

namespace wasmops::engine {

using binary::ExternKind;
namespace op = binary::op;

const char* trapMessage(TrapKind kind) {
  switch (kind) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::CallStackExhausted: return "call stack exhausted";
    case TrapKind::HostError: return "host error";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::Interrupted: return "interrupted";
  }
  return "trap";
}

std::uint32_t canonicalTypeId(const binary::FuncType& type) {
  static std::mutex mu;
  static std::map<std::string, std::uint32_t> ids;
  std::string key = binary::toString(type);
  std::lock_guard lock(mu);
  auto [it, inserted] = ids.emplace(key, static_cast<std::uint32_t>(ids.size() + 1));
  return it->second;
}

// ---------------------------------------------------------------- objects

struct MemoryObject {
  wasmops_memory m{};
  binary::Limits type;
  std::size_t mapped = 0;

  ~MemoryObject() {
    if (m.base) ::munmap(m.base, mapped);
  }
  // Returns the old size in pages, or -1 (as u32) past the limit.
  std::uint32_t grow(std::uint32_t delta) {
    const std::uint64_t old = m.size >> 16;
    const std::uint64_t want = old + delta;
    if (want > m.max_pages) return 0xffffffffu;
    if (delta == 0) return static_cast<std::uint32_t>(old);
    const std::size_t bytes = static_cast<std::size_t>(want) << 16;
    void* p = m.base ? ::mremap(m.base, mapped, bytes, MREMAP_MAYMOVE)
                     : ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 0xffffffffu;
    m.base = static_cast<std::uint8_t*>(p);
    mapped = bytes;
    m.size = bytes;
    return static_cast<std::uint32_t>(old);
  }
};

struct TableObject {
  wasmops_table t{};
  std::vector<void*> elems;
  binary::TableType type;

  std::uint32_t grow(std::uint32_t delta, void* init) {
    const std::uint64_t old = elems.size();
    const std::uint64_t want = old + delta;
    const std::uint64_t max = type.limits.max ? *type.limits.max : 10'000'000;
    if (want > max || want > 10'000'000) return 0xffffffffu;
    elems.resize(want, init);
    t.elems = elems.data();
    t.size = static_cast<std::uint32_t>(want);
    return static_cast<std::uint32_t>(old);
  }
};

struct GlobalObject {
  wasmops_global g{};
  binary::GlobalType type;
};

struct HostFunction : wasmops_host_func {
  binary::FuncType type;
  HostCallback fn;
  std::uint32_t typeId = 0;
};

// ---------------------------------------------------------------- traps

struct TrapTarget {
  sigjmp_buf buf;
  int code = 0;
  std::string message;
  wasmops_ctx* ctx = nullptr;  // instance whose code trapped
  const void* pc = nullptr;    // a return address inside that code
  std::array<void*, 48> frames{};  // native return addresses at the trap, for the wasm backtrace
  int frameCount = 0;
  std::array<void*, 48> fpFrames{};  // the same from the frame-pointer chain (tcc's code has no unwind tables)
  int fpFrameCount = 0;
};

namespace {

thread_local TrapTarget* tlTarget = nullptr;
thread_local std::uintptr_t tlStackLimit = 0;

// tcc keeps a frame pointer in every function: [fp] is the caller's fp and
// [fp + 8] the return address. Code compiled without frame pointers makes the
// chain end early or point elsewhere, so every step must stay inside this
// thread's stack between here and the host->guest entry (`high`), going up.
__attribute__((noinline)) int walkFramePointers(void** out, int max, std::uintptr_t high) {
  auto fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  int n = 0;
  while (n < max && fp % sizeof(void*) == 0 && fp + 2 * sizeof(void*) <= high) {
    const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
    out[n++] = reinterpret_cast<void*>(frame[1]);
    if (frame[0] <= fp) break;
    fp = frame[0];
  }
  return n;
}

[[noreturn]] void raise(int code) {
  tlTarget->code = code;
  siglongjmp(tlTarget->buf, 1);
}

// Services called straight from generated code note where they were called
// from, so a trap can name the wasm function.
#define WASMOPS_NOTE_CALLER(ctxv)                         \
  do {                                                    \
    tlTarget->ctx = (ctxv);                               \
    tlTarget->pc = __builtin_return_address(0);           \
  } while (0)

std::uintptr_t threadStackLimit() {
  if (tlStackLimit) return tlStackLimit;
  // The main thread: its stack ends at __libc_stack_end and may grow down to
  // RLIMIT_STACK. pthread_getattr_np would parse /proc/self/maps for this,
  // milliseconds of every `wasmops run`.
  rlimit rl{};
  if (::getpid() == static_cast<pid_t>(::gettid()) && ::getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur < reinterpret_cast<std::uintptr_t>(__libc_stack_end)) {
    tlStackLimit = reinterpret_cast<std::uintptr_t>(__libc_stack_end) - rl.rlim_cur + 256 * 1024;
    return tlStackLimit;
  }
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  // Leave room below the limit for the trap path and host code.
  tlStackLimit = reinterpret_cast<std::uintptr_t>(addr) + 256 * 1024;
  return tlStackLimit;
}

Instance* instanceOf(wasmops_ctx* ctx) { return static_cast<Instance*>(ctx->instance); }

}  // namespace

struct RuntimeServices {
  __attribute__((noreturn, noinline)) static void trap(wasmops_ctx* ctx, int code) {
    WASMOPS_NOTE_CALLER(ctx);
    // A stack "exhaustion" with the limit at its maximum is Store::interrupt.
    if (code == WASMOPS_TRAP_STACK_EXHAUSTED && *ctx->stack_limit == UINTPTR_MAX) code = WASMOPS_TRAP_INTERRUPTED;
    // Only the frames near the trap: an exhausted stack is deep, and the
    // unwinder stops by itself at code without unwind tables (tcc's).
    tlTarget->frameCount = ::backtrace(tlTarget->frames.data(), static_cast<int>(tlTarget->frames.size()));
    tlTarget->fpFrameCount = walkFramePointers(tlTarget->fpFrames.data(), static_cast<int>(tlTarget->fpFrames.size()),
                                               reinterpret_cast<std::uintptr_t>(tlTarget));
    raise(code);
  }
  static std::uint32_t memoryGrow(wasmops_ctx* ctx, std::uint32_t mem, std::uint32_t delta) {
    return instanceOf(ctx)->memoryObjects_[mem]->grow(delta);
  }
  static std::uint32_t tableGrow(wasmops_ctx* ctx, std::uint32_t table, void* init, std::uint32_t delta) {
    return instanceOf(ctx)->tableObjects_[table]->grow(delta, init);
  }
  static void memoryInit(wasmops_ctx* ctx, std::uint32_t mem, std::uint32_t seg, std::uint32_t d, std::uint32_t s,
                         std::uint32_t n) {
    WASMOPS_NOTE_CALLER(ctx);
    Instance* inst = instanceOf(ctx);
    const auto& data = inst->module_->module().datas[seg];
    const std::uint64_t segSize = inst->droppedData_[seg] ? 0 : data.size;
    wasmops_memory* m = inst->memories_[mem];
    if (std::uint64_t{s} + n > segSize || std::uint64_t{d} + n > m->size) raise(WASMOPS_TRAP_MEMORY_OOB);
    if (n) std::memcpy(m->base + d, inst->module_->bytes().data() + data.dataOffset + s, n);
  }
  static void dataDrop(wasmops_ctx* ctx, std::uint32_t seg) { instanceOf(ctx)->droppedData_[seg] = true; }
  static void tableInit(wasmops_ctx* ctx, std::uint32_t table, std::uint32_t seg, std::uint32_t d, std::uint32_t s,
                        std::uint32_t n) {
    WASMOPS_NOTE_CALLER(ctx);
    Instance* inst = instanceOf(ctx);
    const auto& values = inst->elemValues_[seg];
    const std::uint64_t segSize = inst->droppedElem_[seg] ? 0 : values.size();
    wasmops_table* t = inst->tables_[table];
    if (std::uint64_t{s} + n > segSize || std::uint64_t{d} + n > t->size) raise(WASMOPS_TRAP_TABLE_OOB);
    for (std::uint32_t i = 0; i < n; ++i) t->elems[d + i] = values[s + i];
  }
  static void elemDrop(wasmops_ctx* ctx, std::uint32_t seg) { instanceOf(ctx)->droppedElem_[seg] = true; }
  static void callHost(void* h, const wasmops_val* args, wasmops_val* results) {
    auto* host = static_cast<HostFunction*>(static_cast<wasmops_host_func*>(h));
    bool failed = false;
    {
      auto err = host->fn(args, results);
      if (err) {
        tlTarget->message = std::move(*err);
        failed = true;
      }
    }  // nothing with a destructor is live past here: safe to longjmp
    if (failed) raise(WASMOPS_TRAP_HOST);
  }
};

static const wasmops_rt kServices = {
    RuntimeServices::trap,     RuntimeServices::memoryGrow, RuntimeServices::tableGrow,
    RuntimeServices::memoryInit, RuntimeServices::dataDrop, RuntimeServices::tableInit,
    RuntimeServices::elemDrop, RuntimeServices::callHost,
};

// ---------------------------------------------------------------- engine

namespace {

// The optimized tier splits by SplitPolicy{}; the fast tier keeps one unit,
// since tcc compiles a whole module in about the time of its pieces.
SplitPolicy defaultSplit(Tier tier) {
  SplitPolicy policy;
  if (tier == Tier::Fast) policy.maxUnits = 1;
  return policy;
}

Expected<void> writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return makeError(ErrorCode::Io, "cannot write " + path);
  return {};
}

// Emits the C units next to `soFile` (`<so>.c`, or `<so>.h` and `<so>.N.c`)
// and compiles them into it. The files stay on failure: the error names
// them, and a compile error is an emitter bug to report.
Expected<void> buildArtifact(const Compiler& compiler, const CompiledModule& cm,
                             const std::vector<std::uint32_t>& unitStarts, unsigned jobs, const std::string& soFile) {
  const bool split = unitStarts.size() > 1;
  const std::string header = soFile + ".h";
  std::vector<std::string> units;
  EmitSink sink{[&](const std::string& text) { return writeFile(header, text); },
                [&](std::size_t unit, const std::string& text) {
                  units.push_back(split ? fmt::format("{}.{}.c", soFile, unit) : soFile + ".c");
                  return writeFile(units.back(), text);
                }};
  WASMOPS_TRY_VOID(
      emitUnits(cm.module(), cm.bytes(), unitStarts, std::filesystem::path(header).filename().string(), sink));
  WASMOPS_TRY_VOID(compileUnits(compiler, units, soFile, jobs));
  std::error_code ec;
  for (const auto& f : units) {
    std::filesystem::remove(f, ec);
    std::filesystem::remove(f + ".o", ec);
    std::filesystem::remove(f + ".log", ec);
  }
  std::filesystem::remove(header, ec);
  std::filesystem::remove(soFile + ".log", ec);
  return {};
}

}  // namespace

CompiledModule::~CompiledModule() {
  if (handle_) ::dlclose(handle_);
}

Engine::Engine(EngineConfig config) : config_(std::move(config)), cache_(ArtifactCache::open(config_.cacheDir)) {}

Expected<std::shared_ptr<CompiledModule>> Engine::compile(std::span<const std::uint8_t> bytes, Lookup lookup) const {
  WASMOPS_TRY(auto compiler, findCompiler(config_.tier));
  if (config_.interruptible) {
    compiler.flags.emplace_back("-DWASMOPS_INTERRUPTIBLE=1");
    compiler.identity += " -DWASMOPS_INTERRUPTIBLE=1";
  }
  auto hashText = [](const std::string& text) {
    return sha256Hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  };
  auto cm = std::shared_ptr<CompiledModule>(new CompiledModule());
  cm->bytes_.assign(bytes.begin(), bytes.end());
  // Decoding first: the partition into units (part of the key) needs the
  // function sizes. Validation waits until an artifact has to be built: a
  // cached one was built from exactly these bytes after they validated.
  WASMOPS_TRY_ASSIGN(cm->module_, binary::decodeModule(bytes));
  const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  const auto unitStarts = partitionFunctions(cm->module_, config_.split.value_or(defaultSplit(config_.tier)), jobs);
  // Key: the wasm, the compiler (program, fingerprint, flags), the runtime
  // headers, the emitter version, the memory strategy (bounds checks),
  // interrupt checks and the number of units (no inlining across units).
  static const std::string headersHash = hashText(runtimeHeaderText() + simdHeaderText()).substr(0, 8);
  const std::string key = sha256Hex(bytes).substr(0, 40) + "-" + hashText(compiler.identity).substr(0, 8) + "-" +
                          headersHash +
                          fmt::format("-e{}-bounds{}-u{}", kEmitterVersion, config_.interruptible ? "-int" : "",
                                      unitStarts.size());
  std::optional<std::string> path = cache_.lookup(key);
  if (!path) {
    if (lookup == Lookup::CachedOnly) return makeError(ErrorCode::NotFound, "no cached artifact for this module and tier");
    auto verdict = validate::validateBinary(bytes);
    if (!verdict.ok()) return Unexpected(verdict.diagnostics.front().toError());
    cm->module_ = std::move(*verdict.module);
    WASMOPS_TRY_ASSIGN(path, cache_.getOrBuild(key, [&](const std::string& tmpSo) {
      return buildArtifact(compiler, *cm, unitStarts, jobs, tmpSo);
    }));
  }
  cm->artifactPath_ = *path;
  cm->handle_ = ::dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!cm->handle_) return makeError(ErrorCode::Internal, fmt::format("cannot load {}: {}", *path, ::dlerror()));
  cm->desc_ = static_cast<const wasmops_module_desc*>(::dlsym(cm->handle_, "wasmops_module"));
  if (!cm->desc_ || cm->desc_->abi_version != WASMOPS_ABI_VERSION)
    return makeError(ErrorCode::Internal, "artifact " + *path + " has no wasmops_module of this ABI version");
  for (const auto& t : cm->module_.types) cm->typeIds_.push_back(t.kind == binary::CompositeKind::Func ? canonicalTypeId(t.func) : 0);
  return cm;
}

// ---------------------------------------------------------------- store

void Store::interrupt() {
  interrupted_.store(true);
  std::atomic_ref<std::uintptr_t>(stackLimit_).store(UINTPTR_MAX, std::memory_order_relaxed);
}

Store::Store() = default;
Store::Store(Limits limits) : limits_(limits) {}
Store::~Store() = default;

Extern Store::hostFunction(binary::FuncType type, HostCallback fn) {
  auto h = std::make_unique<HostFunction>();
  h->rt = &kServices;
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

Extern Store::newMemory(const binary::Limits& limits) {
  auto mo = std::make_unique<MemoryObject>();
  mo->type = limits;
  std::uint64_t maxPages = limits.max ? *limits.max : 65536;
  if (limits_.maxMemoryBytes) maxPages = std::min<std::uint64_t>(maxPages, limits_.maxMemoryBytes >> 16);
  mo->m.max_pages = std::max<std::uint64_t>(maxPages, limits.min);
  mo->grow(static_cast<std::uint32_t>(limits.min));
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
  TrapTarget* previous = tlTarget;
  // The limit of the calling thread; nested entries set the same value.
  std::atomic_ref<std::uintptr_t>(stackLimit_).store(interrupted_.load() ? UINTPTR_MAX : threadStackLimit(),
                                                     std::memory_order_relaxed);
  tlTarget = &target;
  if (sigsetjmp(target.buf, 0) == 0) {
    entry(func.code, func.ctx, args.data(), out.results.data());
  } else {
    auto kind = static_cast<TrapKind>(target.code);
    out.trap = Trap{kind, target.message.empty() ? trapMessage(kind) : target.message, {}, {}};
    if (target.ctx && target.pc) {
      auto* inst = static_cast<Instance*>(target.ctx->instance);
      if (auto f = inst->functionAt(target.pc)) out.trap->function = inst->functionName(*f);
    }
    out.trap->backtrace = wasmBacktrace(target);
    // The fast tier traps inside helpers tcc did not inline: name the wasm caller.
    if (out.trap->function.empty() && !out.trap->backtrace.empty()) out.trap->function = out.trap->backtrace.front();
  }
  tlTarget = previous;
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
  for (const auto& mem : m.memories) I.memoryObjects_.push_back(newMemory(mem).memory);
  for (const auto& tab : m.tables) I.tableObjects_.push_back(newTable(tab.type).table);
  for (auto* mo : I.memoryObjects_) I.memories_.push_back(&mo->m);
  for (auto* to : I.tableObjects_) I.tables_.push_back(&to->t);
  for (auto* go : I.globalObjects_) I.globals_.push_back(&go->g);
  for (const auto& g : m.globals) {
    auto* go = newGlobal(g.type, evalConst(g.init, I.globals_, I.funcs_)).global;
    I.globalObjects_.push_back(go);
    I.globals_.push_back(&go->g);
  }
  I.ctx_.rt = &kServices;
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

// ---------------------------------------------------------------- instance

std::optional<Extern> Instance::exported(const std::string& name) const {
  const auto& m = module_->module();
  for (const auto& e : m.exports) {
    if (e.name != name) continue;
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case ExternKind::Func:
        x.func = &funcs_[e.index];
        x.funcType = m.funcType(*m.functionTypeIndex(e.index));
        break;
      case ExternKind::Memory: x.memory = memoryObjects_[e.index]; break;
      case ExternKind::Table: x.table = tableObjects_[e.index]; break;
      case ExternKind::Global: x.global = globalObjects_[e.index]; break;
      case ExternKind::Tag: return std::nullopt;
    }
    return x;
  }
  return std::nullopt;
}

tl::expected<CallOutcome, std::string> Instance::call(const std::string& name, const std::vector<wasmops_val>& args) {
  const auto& m = module_->module();
  for (const auto& e : m.exports) {
    if (e.name != name || e.kind != ExternKind::Func) continue;
    const auto ti = *m.functionTypeIndex(e.index);
    const auto& ft = *m.funcType(ti);
    if (args.size() != ft.params.size())
      return tl::unexpected(fmt::format("{} takes {} arguments, got {}", name, ft.params.size(), args.size()));
    return store_->call(module_->desc()->entries[ti], funcs_[e.index], ft, args);
  }
  return tl::unexpected("no exported function named '" + name + "'");
}

std::span<std::uint8_t> Instance::memoryBytes(const std::string& name) const {
  const wasmops_memory* m = exportedMemory(name);
  if (!m) return {};
  return {m->base, static_cast<std::size_t>(m->size)};
}

wasmops_memory* Instance::exportedMemory(const std::string& name) const {
  auto ext = exported(name);
  if (!ext || ext->kind != ExternKind::Memory) return nullptr;
  return &ext->memory->m;
}

std::optional<std::uint32_t> Instance::functionAt(const void* pc) const {
  // The function with the greatest start address not above pc. Generated
  // code keeps each function contiguous (-fno-reorder-blocks-and-partition).
  const auto* desc = module_->desc();
  const auto addr = reinterpret_cast<std::uintptr_t>(pc);
  std::optional<std::uint32_t> best;
  std::uintptr_t bestStart = 0;
  for (std::uint32_t d = 0; d < desc->num_defined; ++d) {
    const auto start = reinterpret_cast<std::uintptr_t>(desc->defined[d]);
    if (start <= addr && start >= bestStart) {
      bestStart = start;
      best = module_->module().importedFunctions + d;
    }
  }
  // Each unit's end marker follows its functions under tcc (which lays code
  // out in source order and puts helpers it did not inline after them): a
  // marker between that start and pc means pc is in such a helper, and the
  // function is left unnamed rather than guessed. cc may place a marker
  // elsewhere, but never inside a function, and it inlines those helpers.
  for (std::uint32_t u = 0; best && u < desc->num_units; ++u) {
    const auto end = reinterpret_cast<std::uintptr_t>(desc->code_ends[u]);
    if (end > bestStart && end <= addr) best.reset();
  }
  return best;
}

std::string Instance::functionName(std::uint32_t index) const {
  const auto& m = module_->module();
  for (const auto& e : m.exports)
    if (e.kind == ExternKind::Func && e.index == index) return e.name;
  for (const auto& c : m.customs)
    if (c.name == "name") {
      auto names = binary::readNameSection(c);
      if (const auto* n = names.functionName(index)) return *n;
    }
  return fmt::format("func[{}]", index);
}

}  // namespace wasmops::engine
