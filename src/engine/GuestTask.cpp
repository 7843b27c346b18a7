#include "engine/GuestTask.h"

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "engine/TrapHandling.h"

namespace wasmops::engine {
namespace {

namespace ctx = boost::context;

thread_local GuestTask* tlCurrentTask = nullptr;

// Room left below the guest's limit on a fiber stack for host functions the
// guest calls and for the trap path, as on a thread's own stack.
constexpr std::uintptr_t kHostHeadroom = 256 * 1024;

}  // namespace

struct GuestTask::Fiber {
  ctx::fiber self;    // the task, while it is not running
  ctx::fiber caller;  // resume()'s caller, while the task runs
};

GuestTask::GuestTask(Instance& instance, std::string exportName, std::vector<wasmops_val> args, Options options)
    : instance_(instance),
      name_(std::move(exportName)),
      args_(std::move(args)),
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
    fiber_->self = ctx::fiber(std::allocator_arg, ctx::protected_fixedsize_stack(options_.stackBytes),
                              [this](ctx::fiber&& caller) {
                                fiber_->caller = std::move(caller);
                                char probe;
                                // The fiber began near the top of its stack.
                                stackLimit_ = reinterpret_cast<std::uintptr_t>(&probe) - options_.stackBytes + kHostHeadroom;
                                setFiberStackLimit(stackLimit_);
                                outcome_ = instance_.call(name_, args_);
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
