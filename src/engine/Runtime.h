#pragma once
// The runtime: compiled modules, stores and instances. A Store is used by
// one thread at a time (as in wasmtime); different threads use different
// stores, so many instances run on many threads at once.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "binary/Module.h"
#include "engine/ArtifactCache.h"
#include "engine/CEmitter.h"
#include "engine/Compiler.h"
#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

enum class TrapKind {
  Unreachable = WASMOPS_TRAP_UNREACHABLE,
  MemoryOutOfBounds = WASMOPS_TRAP_MEMORY_OOB,
  TableOutOfBounds = WASMOPS_TRAP_TABLE_OOB,
  IntegerDivideByZero = WASMOPS_TRAP_INT_DIV_ZERO,
  IntegerOverflow = WASMOPS_TRAP_INT_OVERFLOW,
  InvalidConversion = WASMOPS_TRAP_INVALID_CONVERSION,
  UninitializedElement = WASMOPS_TRAP_INDIRECT_NULL,
  IndirectCallTypeMismatch = WASMOPS_TRAP_INDIRECT_TYPE,
  CallStackExhausted = WASMOPS_TRAP_STACK_EXHAUSTED,
  HostError = WASMOPS_TRAP_HOST,
  UndefinedElement = WASMOPS_TRAP_UNDEFINED_ELEMENT,
  Interrupted = WASMOPS_TRAP_INTERRUPTED,  // Store::interrupt (a timeout)
};

// The spec's wording ("integer divide by zero", ...).
const char* trapMessage(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;
  std::string function;  // the wasm function that trapped, when known
  // Wasm functions on the stack, innermost first, as far as the native
  // frames could be unwound (the optimized tier's have unwind tables).
  std::vector<std::string> backtrace;
};

// A canonical id per function signature for the whole process, so that
// call_indirect across modules compares types correctly.
std::uint32_t canonicalTypeId(const binary::FuncType& type);

class CompiledModule {
 public:
  ~CompiledModule();
  const binary::Module& module() const { return module_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  const wasmops_module_desc* desc() const { return desc_; }
  const std::vector<std::uint32_t>& typeIds() const { return typeIds_; }
  const std::string& artifactPath() const { return artifactPath_; }

 private:
  friend class Engine;
  binary::Module module_;
  std::vector<std::uint8_t> bytes_;
  void* handle_ = nullptr;
  const wasmops_module_desc* desc_ = nullptr;
  std::vector<std::uint32_t> typeIds_;
  std::string artifactPath_;
};

struct EngineConfig {
  Tier tier = Tier::Fast;
  std::string cacheDir;  // empty: default under $XDG_CACHE_HOME
  // Loop headers check for Store::interrupt, so that a guest spinning in a
  // loop without calls can be stopped (timeouts). Costs a load per iteration.
  bool interruptible = false;
  // Translation units per module; unset: the tier's default (the optimized
  // tier splits by SplitPolicy{}, the fast tier keeps one unit: tcc compiles
  // a whole module in about the time of its pieces, docs/perf.md). Tests set
  // it to force small units.
  std::optional<SplitPolicy> split = std::nullopt;
};

class Engine {
 public:
  explicit Engine(EngineConfig config);
  enum class Lookup { BuildIfMissing, CachedOnly };
  // Loads the cached artifact for these bytes (decoding only: they validated
  // when it was built), or validates, compiles and caches them. CachedOnly:
  // NotFound instead of compiling.
  Expected<std::shared_ptr<CompiledModule>> compile(std::span<const std::uint8_t> bytes,
                                                    Lookup lookup = Lookup::BuildIfMissing) const;
  const EngineConfig& config() const { return config_; }
  const ArtifactCache& cache() const { return cache_; }

 private:
  EngineConfig config_;
  mutable ArtifactCache cache_;
};

class Instance;
struct TrapTarget;
struct MemoryObject;
struct TableObject;
struct GlobalObject;
struct HostFunction;

// Something an import can be satisfied with.
struct Extern {
  binary::ExternKind kind = binary::ExternKind::Func;
  const wasmops_funcref* func = nullptr;
  const binary::FuncType* funcType = nullptr;
  MemoryObject* memory = nullptr;
  TableObject* table = nullptr;
  GlobalObject* global = nullptr;
  HostFunction* host = nullptr;  // kind == Func, a host function
};

using HostCallback = std::function<std::optional<std::string>(const wasmops_val* args, wasmops_val* results)>;

struct CallOutcome {
  std::optional<Trap> trap;
  std::vector<wasmops_val> results;
};

class Store {
 public:
  struct Limits {
    std::uint64_t maxMemoryBytes = 0;  // per memory; 0 = as declared
  };
  Store();
  explicit Store(Limits limits);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Extern hostFunction(binary::FuncType type, HostCallback fn);
  Extern newMemory(const binary::Limits& limits);
  Extern newTable(const binary::TableType& type, void* init = nullptr);
  Extern newGlobal(const binary::GlobalType& type, wasmops_val value);

  // Resolves imports with `resolve`; errors: "unknown import",
  // "incompatible import type" (Invalid), or a trap during instantiation.
  using Resolver = std::function<std::optional<Extern>(const std::string& module, const std::string& name)>;
  struct InstantiateError {
    bool link = false;  // unknown or incompatible import
    std::string message;
    std::optional<Trap> trap;
  };
  tl::expected<Instance*, InstantiateError> instantiate(std::shared_ptr<CompiledModule> module, const Resolver& resolve);

  // Calls `func` (type `type`), with traps caught.
  CallOutcome call(wasmops_entry_fn entry, const wasmops_funcref& func, const binary::FuncType& type,
                   const std::vector<wasmops_val>& args);

  std::uintptr_t* stackLimit() { return &stackLimit_; }
  // From any thread: the guest running in this store traps with
  // TrapKind::Interrupted at its next function entry (or loop header, in
  // code compiled interruptible), and so does every later call.
  void interrupt();
  const Limits& limits() const { return limits_; }

 private:
  friend class Instance;
  Limits limits_;
  std::vector<std::string> wasmBacktrace(const TrapTarget& target) const;
  std::uintptr_t stackLimit_ = 0;
  std::atomic<bool> interrupted_{false};
  std::vector<std::unique_ptr<MemoryObject>> memories_;
  std::vector<std::unique_ptr<TableObject>> tables_;
  std::vector<std::unique_ptr<GlobalObject>> globals_;
  std::vector<std::unique_ptr<HostFunction>> hostFuncs_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::vector<std::shared_ptr<CompiledModule>> modules_;
};

class Instance {
 public:
  std::optional<Extern> exported(const std::string& name) const;
  // Calls an exported function by name.
  tl::expected<CallOutcome, std::string> call(const std::string& name, const std::vector<wasmops_val>& args);
  const CompiledModule& module() const { return *module_; }
  wasmops_ctx* ctx() { return &ctx_; }
  // Bytes of an exported memory; empty if there is none of that name.
  std::span<std::uint8_t> memoryBytes(const std::string& name) const;
  // The live memory record of an exported memory (base and size follow
  // memory.grow), for hosts that read guest memory during calls.
  wasmops_memory* exportedMemory(const std::string& name) const;
  // Name of function `index` for messages: export, name section, or func[N].
  std::string functionName(std::uint32_t index) const;
  // Index of the defined function whose code contains `pc`, if any.
  std::optional<std::uint32_t> functionAt(const void* pc) const;

 private:
  friend class Store;
  friend struct RuntimeServices;
  Store* store_ = nullptr;
  std::shared_ptr<CompiledModule> module_;
  wasmops_ctx ctx_{};
  std::vector<wasmops_memory*> memories_;
  std::vector<wasmops_table*> tables_;
  std::vector<wasmops_global*> globals_;
  std::vector<wasmops_funcref> funcs_;
  std::vector<MemoryObject*> memoryObjects_;
  std::vector<TableObject*> tableObjects_;
  std::vector<GlobalObject*> globalObjects_;
  std::vector<bool> droppedData_, droppedElem_;
  std::vector<std::vector<void*>> elemValues_;  // evaluated element segments
};

}  // namespace wasmops::engine
