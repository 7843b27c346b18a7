#pragma once
// Stores and instances: the objects a running module lives in. A Store is
// used by one thread at a time (as in wasmtime); different threads use
// different stores, so many instances run on many threads at once.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <typeinfo>
#include <vector>

#include <tl/expected.hpp>

#include "binary/Module.h"
#include "engine/CompiledModule.h"
#include "engine/DeadlineTimer.h"
#include "engine/HostCallback.h"
#include "engine/Trap.h"
#include "engine/TrapHandling.h"
#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

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


struct CallOutcome {
  std::optional<Trap> trap;
  std::vector<wasmops_val> results;
};

class Store final : public DeadlineTarget, public FaultOwner {
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

  // The store whose guest code runs on this thread (or on the guest task
  // this thread runs), from inside a host function it called; null outside
  // guest calls. With hostData(), host functions defined once find the
  // objects of the instance that calls them.
  static Store* current();
  // What the embedder keeps for this store's instances (not owned), one
  // object per type: the WASI host, the application's services, ... Typed,
  // so that a host never reads another host's objects as its own.
  template <typename T>
  void setHostData(T* data) {
    for (auto& [type, ptr] : hostData_)
      if (*type == typeid(T)) {
        ptr = data;
        return;
      }
    hostData_.emplace_back(&typeid(T), data);
  }
  template <typename T>
  T* hostData() const {
    for (const auto& [type, ptr] : hostData_)
      if (*type == typeid(T)) return static_cast<T*>(ptr);
    return nullptr;
  }
  // A memory showing `image` copy-on-write, from the image's pool.
  Expected<Extern> newMemory(const binary::Limits& limits, std::shared_ptr<MemoryImage> image);
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
  // TrapKind::Interrupted at its next function entry or loop header, and so
  // does every later call.
  void interrupt();

  // Epoch deadlines (engine/DeadlineTimer.h): at the first function entry or
  // loop header after the deadline, the guest traps with
  // TrapKind::Interrupted, unless the deadline handler says to go on.
  void setEpochDeadline(std::uint64_t ticksFromNow);  // in EpochClock ticks
  void setDeadline(std::chrono::nanoseconds fromNow);
  void clearDeadline();
  // What to do when the deadline has passed: trap; go on for `ticks` more
  // (the new deadline is now + ticks); or yield: a GuestTask pauses here and
  // goes on for `ticks` once resumed (a call not made through a GuestTask
  // cannot pause, and goes on).
  struct DeadlineAction {
    enum class Kind { Trap, Continue, Yield } kind = Kind::Trap;
    std::uint64_t ticks = 0;
    static DeadlineAction trap() { return {}; }
    static DeadlineAction continueFor(std::uint64_t ticks) { return {Kind::Continue, ticks}; }
    static DeadlineAction yieldFor(std::uint64_t ticks) { return {Kind::Yield, ticks}; }
  };
  // Runs on the guest's thread when the deadline has passed.
  using DeadlineHandler = std::function<DeadlineAction(Store&)>;
  void onDeadline(DeadlineHandler handler) { deadlineHandler_ = std::move(handler); }
  std::uint64_t epochDeadline() const { return deadline_.load(); }
  // The timer thread's signal: the deadline has passed.
  void deadlineReached() override;
  // For the fault handler (async-signal-safe: reads only): whether `addr`
  // is in one of this store's memory reservations and `pc` in code of one
  // of its modules.
  bool ownsGuestFault(std::uintptr_t addr, std::uintptr_t pc) const override;
  const Limits& limits() const { return limits_; }
  // Whether a memory.grow failed because of Limits::maxMemoryBytes (and
  // would have succeeded without it): hosts report a memory-limit kill.
  bool memoryLimitReached() const;

 private:
  friend class Instance;
  Limits limits_;
  std::vector<std::pair<const std::type_info*, void*>> hostData_;
  std::vector<std::string> wasmBacktrace(const TrapTarget& target) const;
  friend struct RuntimeServices;
  bool deadlinePassed() const;
  void armDeadline(std::uint64_t epoch);
  std::unique_ptr<MemoryObject> memoryObject(const binary::Limits& limits) const;  // limits applied, nothing mapped
  // What the stack check compares against: the thread's limit, or
  // UINTPTR_MAX when the guest must stop (interrupt, deadline).
  std::uintptr_t entryStackLimit() const;
  std::uintptr_t stackLimit_ = 0;
  std::atomic<bool> interrupted_{false};
  std::atomic<std::uint64_t> deadline_{0};  // 0: none
  DeadlineHandler deadlineHandler_;
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
