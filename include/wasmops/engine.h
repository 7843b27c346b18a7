#pragma once
// wasmops embedding API: compile WebAssembly 2.0 modules to native code,
// instantiate them with host functions, call their exports. Example and
// rules in docs/embedding.md.
//
// Threading: an Engine may be shared by threads; a Store (and the instances
// in it) is used by one thread at a time; use one Store per thread.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wasmops::engine {
class Engine;
class CompiledModule;
class Store;
class Instance;
struct Extern;
}  // namespace wasmops::engine

namespace wasmops::embed {

enum class ValueType : std::uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

// A wasm value. v128: the 16 bytes in memory order (lane 0 first). ExternRef:
// any pointer of the host's, handed to the guest and back unchanged (null is
// ref.null extern). FuncRef: an opaque handle a call returned (a function of
// an instance of the same store), or null; pass it back, do not make one.
struct Value {
  ValueType type = ValueType::I32;
  union {
    std::int32_t i32;
    std::int64_t i64;
    float f32;
    double f64;
    std::array<std::uint8_t, 16> v128;
    void* ref;
  };
  Value() : v128{} {}
  static Value fromV128(const std::array<std::uint8_t, 16>& v) { Value x; x.type = ValueType::V128; x.v128 = v; return x; }
  static Value fromExternRef(void* p) { Value x; x.type = ValueType::ExternRef; x.ref = p; return x; }
  static Value nullFuncRef() { Value x; x.type = ValueType::FuncRef; x.ref = nullptr; return x; }
  static Value fromI32(std::int32_t v) { Value x; x.type = ValueType::I32; x.i32 = v; return x; }
  static Value fromI64(std::int64_t v) { Value x; x.type = ValueType::I64; x.i64 = v; return x; }
  static Value fromF32(float v) { Value x; x.type = ValueType::F32; x.f32 = v; return x; }
  static Value fromF64(double v) { Value x; x.type = ValueType::F64; x.f64 = v; return x; }
};

// A value or a message saying why not.
template <typename T>
struct Result {
  std::optional<T> value;
  std::string error;
  explicit operator bool() const { return value.has_value(); }
  T& operator*() { return *value; }
  T* operator->() { return &*value; }
};

struct Trap {
  std::string message;   // the spec's wording: "integer divide by zero", ...
  std::string function;  // the wasm function, when known
};

struct CallResult {
  std::vector<Value> results;
  std::optional<Trap> trap;  // set when the call trapped
  std::string error;         // set when the call could not be made (no such export, wrong arguments)
  bool ok() const { return !trap && error.empty(); }
};

// Auto: the artifact cache's optimized code when it has it; otherwise fast
// code now, while the optimized code is built on one background thread
// (lowest priority) for the next compile of the same module.
enum class Tier : std::uint8_t { Fast, Optimized, Auto };

class Module {
 public:
  std::shared_ptr<engine::CompiledModule> impl;
};

// The pool of linear memories each compiled module keeps for its instances
// (its data as a copy-on-write image in guard-page reservations;
// docs/embedding.md). Process-wide; applies to memories acquired or
// released after the call.
struct MemoryPoolConfig {
  std::size_t maxLive = 10'000;  // memories of one module alive at once; one more is an instantiation error
  std::size_t maxIdle = 64;      // released memories kept for reuse, per module
  // Of a released memory, pages within this many first bytes that its
  // instance wrote are copied back from the image and stay resident (the
  // next instance takes no page faults there); the rest are dropped. Each
  // idle memory may hold this much. 0: drop every page.
  std::size_t keepResidentBytes = 128 * 1024;
};
void setMemoryPool(const MemoryPoolConfig& config);
MemoryPoolConfig memoryPool();

class Engine {
 public:
  // cacheDir empty: $XDG_CACHE_HOME/wasmops/artifacts.
  explicit Engine(Tier tier = Tier::Fast, std::string cacheDir = {});
  ~Engine();
  // Validates, compiles (or loads from the artifact cache) and loads.
  Result<Module> compile(std::span<const std::uint8_t> wasm) const;

 private:
  std::unique_ptr<engine::Engine> impl_;
  Tier tier_;
  std::string cacheDir_;
};

// A call that can pause: it runs on a stack of its own, and when its store
// has a time slice (Store::setTimeSlice) it pauses at the end of each slice
// and goes on at the next resume(), so that CPU-bound calls share a thread.
// One task per store at a time. Destroying a paused task cancels the call.
class Task {
 public:
  Task();
  ~Task();
  Task(Task&&) noexcept;
  Task& operator=(Task&&) noexcept;
  // Runs until the call returns, traps or pauses; true once it is over.
  bool resume();
  // Once over: results, a trap, or why the call could not be made.
  CallResult result() const;

 private:
  friend class Instance;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Instance {
 public:
  CallResult call(const std::string& exportName, const std::vector<Value>& args);
  // The same call as a Task: nothing runs until its first resume().
  Task start(const std::string& exportName, const std::vector<Value>& args);
  // The bytes of an exported memory (valid until the next call that may grow it).
  std::span<std::uint8_t> memory(const std::string& exportName);
  engine::Instance* impl = nullptr;
};

// A host function: reads args, writes results; returning a message traps.
using HostFunction = std::function<std::optional<std::string>(std::span<const Value> args, std::span<Value> results)>;

class Store {
 public:
  // maxMemoryBytes: limit for each linear memory (0: as the module declares).
  explicit Store(std::uint64_t maxMemoryBytes = 0);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Makes `fn` importable as module.name with this signature.
  void defineFunction(const std::string& module, const std::string& name, std::vector<ValueType> params,
                      std::vector<ValueType> results, HostFunction fn);
  // Makes every export of `instance` importable under module name `module`.
  void defineInstance(const std::string& module, const Instance& instance);
  // Links the module's imports against what was defined, runs segments and start.
  Result<Instance> instantiate(const Module& module);

  // Deadlines (epochs, 1 ms ticks): a call still running `fromNow` later
  // traps with "deadline reached" at its next function entry or loop
  // header, unless the handler, run on the guest's thread at that moment,
  // returns more time. Calls made after the deadline trap at once until it
  // is set again or cleared.
  void setDeadline(std::chrono::nanoseconds fromNow);
  void clearDeadline();
  void onDeadline(std::function<std::optional<std::chrono::nanoseconds>()> handler);
  // Time slicing for Tasks: each pauses after `slice` of running (a call
  // made with Instance::call instead goes on). Replaces onDeadline's handler.
  void setTimeSlice(std::chrono::nanoseconds slice);
  // From any thread: the running call traps ("interrupted"), and so does
  // every later call in this store.
  void interrupt();

  // For wasmops' own host layers (WASI, HTTP): the underlying store, and
  // imports made of its objects.
  engine::Store& engineStore();
  void defineExtern(const std::string& module, const std::string& name, const engine::Extern& ext);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmops::embed
