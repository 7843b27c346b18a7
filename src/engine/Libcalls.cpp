#include "engine/Libcalls.h"

#include <atomic>
#include <cstring>
#include <optional>

#include "engine/GuestTask.h"
#include "engine/RuntimeObjects.h"
#include "engine/Store.h"
#include "engine/TrapHandling.h"

namespace wasmops::engine {
namespace {

// Services called straight from generated code note where they were called
// from, so a trap can name the wasm function.
#define WASMOPS_NOTE_CALLER(ctxv)                         \
  do {                                                    \
    tlTrapTarget->ctx = (ctxv);                               \
    tlTrapTarget->pc = __builtin_return_address(0);           \
  } while (0)

Instance* instanceOf(wasmops_ctx* ctx) { return static_cast<Instance*>(ctx->instance); }

}  // namespace

struct RuntimeServices {
  // Raises a trap of guest code whose nearest wasm frame returns to `pc`.
  [[noreturn]] static void trapAt(wasmops_ctx* ctx, int code, const void* pc) {
    tlTrapTarget->ctx = ctx;
    tlTrapTarget->pc = pc;
    captureTrapFrames(*tlTrapTarget);
    raiseTrap(code);
  }
  // Stack exhaustion and interrupts come through limitReached, not here.
  __attribute__((noreturn, noinline)) static void trap(wasmops_ctx* ctx, int code) {
    trapAt(ctx, code, __builtin_return_address(0));
  }
  // The stack check of a function entry or loop header failed.
  __attribute__((noinline)) static void limitReached(wasmops_ctx* ctx) {
    const void* pc = __builtin_return_address(0);
    Store& store = *instanceOf(ctx)->store_;
    std::atomic_ref<std::uintptr_t> limit(store.stackLimit_);
    if (limit.load(std::memory_order_relaxed) != UINTPTR_MAX) trapAt(ctx, WASMOPS_TRAP_STACK_EXHAUSTED, pc);
    if (store.interrupted_.load()) trapAt(ctx, WASMOPS_TRAP_INTERRUPTED, pc);
    if (!store.deadlinePassed()) {
      // A deadline that was moved after the timer fired: go on.
      limit.store(threadStackLimit(), std::memory_order_relaxed);
      return;
    }
    using Action = Store::DeadlineAction;
    const Action action = store.deadlineHandler_ ? store.deadlineHandler_(store) : Action::trap();
    if (action.kind == Action::Kind::Trap) {
      tlTrapTarget->message = "deadline reached";
      trapAt(ctx, WASMOPS_TRAP_INTERRUPTED, pc);
    }
    // A yield pauses a GuestTask here; a call not made through one cannot
    // pause and goes on. Either way the next slice starts now.
    GuestTask* task = action.kind == Action::Kind::Yield ? GuestTask::current() : nullptr;
    if (task) {
      store.clearDeadline();  // no deadline runs out while paused
      task->suspend();        // back here when resumed
      if (task->cancelled()) {
        tlTrapTarget->message = "cancelled";
        trapAt(ctx, WASMOPS_TRAP_INTERRUPTED, pc);
      }
    }
    store.setEpochDeadline(action.ticks);
    limit.store(store.entryStackLimit(), std::memory_order_relaxed);
    // The check that sent us here may also have been a real exhaustion.
    char probe;
    if (reinterpret_cast<std::uintptr_t>(&probe) < threadStackLimit()) trapAt(ctx, WASMOPS_TRAP_STACK_EXHAUSTED, pc);
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
    if (std::uint64_t{s} + n > segSize || std::uint64_t{d} + n > m->size) raiseTrap(WASMOPS_TRAP_MEMORY_OOB);
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
    if (std::uint64_t{s} + n > segSize || std::uint64_t{d} + n > t->size) raiseTrap(WASMOPS_TRAP_TABLE_OOB);
    for (std::uint32_t i = 0; i < n; ++i) t->elems[d + i] = values[s + i];
  }
  static void elemDrop(wasmops_ctx* ctx, std::uint32_t seg) { instanceOf(ctx)->droppedElem_[seg] = true; }
  static void callHost(void* h, const wasmops_val* args, wasmops_val* results) {
    auto* host = static_cast<HostFunction*>(static_cast<wasmops_host_func*>(h));
    bool failed = false;
    {
      auto err = host->fn(args, results);
      if (err) {
        tlTrapTarget->message = std::move(*err);
        failed = true;
      }
    }  // nothing with a destructor is live past here: safe to longjmp
    if (failed) raiseTrap(WASMOPS_TRAP_HOST);
  }
};

const wasmops_rt kServices = {
    RuntimeServices::trap,       RuntimeServices::memoryGrow, RuntimeServices::tableGrow,
    RuntimeServices::memoryInit, RuntimeServices::dataDrop,   RuntimeServices::tableInit,
    RuntimeServices::elemDrop,   RuntimeServices::callHost,   RuntimeServices::limitReached,
};

const wasmops_rt* runtimeServices() { return &kServices; }

}  // namespace wasmops::engine
