#include "engine/GuestTask.h"

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include <utility>
#include <vector>

#include "engine/TrapHandling.h"

namespace wasmops::engine {
namespace {

namespace ctx = boost::context;

thread_local GuestTask* tlCurrentTask = nullptr;

// Room left below the guest's limit on a fiber stack for host functions the
// guest calls and for the trap path, as on a thread's own stack.
constexpr std::uintptr_t kHostHeadroom = 256 * 1024;

// Fiber stacks (mmap, a guard page, munmap) reused per thread: mapping and
// unmapping one for each short task cost more than the task itself, and
// each munmap shoots down the TLBs of every core the process runs on.
// Up to kKeptStacks idle stacks per thread; their touched pages stay
// resident (at most what the deepest guest used).
class StackPool {
 public:
  static constexpr std::size_t kKeptStacks = 16;
  ~StackPool() {
    for (auto& [size, sc] : idle_) ctx::protected_fixedsize_stack(size).deallocate(sc);
  }
  // `size` as asked for (the stack_context records it with the guard page added).
  ctx::stack_context take(std::size_t size) {
    for (std::size_t i = idle_.size(); i-- > 0;) {
      if (idle_[i].first != size) continue;
      ctx::stack_context sc = idle_[i].second;
      idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(i));
      return sc;
    }
    return ctx::protected_fixedsize_stack(size).allocate();
  }
  void give(std::size_t size, ctx::stack_context& sc) {
    if (idle_.size() < kKeptStacks) {
      idle_.emplace_back(size, sc);
      return;
    }
    ctx::protected_fixedsize_stack(size).deallocate(sc);
  }

 private:
  std::vector<std::pair<std::size_t, ctx::stack_context>> idle_;
};

thread_local StackPool tlStackPool;

// A Boost.Context stack allocator over this thread's pool.
class PooledStack {
 public:
  explicit PooledStack(std::size_t size) : size_(size) {}
  ctx::stack_context allocate() { return tlStackPool.take(size_); }
  void deallocate(ctx::stack_context& sc) noexcept { tlStackPool.give(size_, sc); }

 private:
  std::size_t size_;
};

}  // namespace

struct GuestTask::Fiber {
  ctx::fiber self;    // the task, while it is not running
  ctx::fiber caller;  // resume()'s caller, while the task runs
};

GuestTask::GuestTask(Instance& instance, std::string exportName, std::vector<wasmops_val> args, Options options)
    : GuestTask(std::function<void()>{}, options) {
  body_ = [this, &instance, name = std::move(exportName), args = std::move(args)] { outcome_ = instance.call(name, args); };
}

GuestTask::GuestTask(std::function<void()> body, Options options)
    : body_(std::move(body)),
      options_(options),
      fiber_(std::make_unique<Fiber>()),
      outcome_(tl::unexpected(std::string("not run yet"))) {
  options_.stackBytes = std::max<std::size_t>(options_.stackBytes, 2 * kHostHeadroom);
}

GuestTask::~GuestTask() {
  if (started_ && !finished_) {
    cancelled_ = true;
    while (!resume()) {
    }
  }
}

GuestTask* GuestTask::current() { return tlCurrentTask; }

bool GuestTask::resume() {
  if (finished_) return true;
  if (!started_) {
    started_ = true;
    fiber_->self = ctx::fiber(std::allocator_arg, PooledStack(options_.stackBytes),
                              [this](ctx::fiber&& caller) {
                                fiber_->caller = std::move(caller);
                                char probe;
                                // The fiber began near the top of its stack.
                                stackLimit_ = reinterpret_cast<std::uintptr_t>(&probe) - options_.stackBytes + kHostHeadroom;
                                setFiberStackLimit(stackLimit_);
                                body_();
                                finished_ = true;
                                return std::move(fiber_->caller);
                              });
  }
  // This thread's trap target and stack limit belong to whoever runs: the
  // task's own while it runs, the caller's again when it pauses or ends.
  GuestTask* outerTask = tlCurrentTask;
  TrapTarget* outerTarget = tlTrapTarget;
  const std::uintptr_t outerLimit = fiberStackLimit();
  tlCurrentTask = this;
  tlTrapTarget = innerTarget_;
  if (stackLimit_) setFiberStackLimit(stackLimit_);
  fiber_->self = std::move(fiber_->self).resume();
  tlCurrentTask = outerTask;
  tlTrapTarget = outerTarget;
  setFiberStackLimit(outerLimit);
  return finished_;
}

void GuestTask::suspend() {
  ++yields_;
  innerTarget_ = tlTrapTarget;
  fiber_->caller = std::move(fiber_->caller).resume();
}

}  // namespace wasmops::engine
