#pragma once
// A call that runs on a stack of its own (a Boost.Context fiber with a guard
// page) and can pause at its deadline: when the store's deadline handler
// says Yield, the guest's fiber switches back to whoever resumed it, and
// goes on at the next resume(). Several CPU-bound guests can so share one
// thread fairly (time slicing). A store runs one task at a time.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "engine/Store.h"

namespace wasmops::engine {

struct TrapTarget;

class GuestTask {
 public:
  struct Options {
    std::size_t stackBytes = std::size_t{2} << 20;
  };
  // Nothing runs until the first resume().
  GuestTask(Instance& instance, std::string exportName, std::vector<wasmops_val> args, Options options);
  GuestTask(Instance& instance, std::string exportName, std::vector<wasmops_val> args)
      : GuestTask(instance, std::move(exportName), std::move(args), Options{}) {}
  // Any work that calls into guests of one store (a component export's call:
  // lowering, the core call, lifting); `body` keeps its own result, and
  // outcome() stays "not run yet". Traps of guest code on the fiber end
  // inside the calls `body` makes, as on a thread's own stack.
  GuestTask(std::function<void()> body, Options options);
  // A task that is still suspended is cancelled: resumed once more, it traps
  // out of the guest (no exception crosses guest frames).
  ~GuestTask();
  GuestTask(const GuestTask&) = delete;
  GuestTask& operator=(const GuestTask&) = delete;

  // Runs the call until it returns, traps, or yields; true once it is over.
  bool resume();
  bool finished() const { return finished_; }
  // The call's outcome once finished.
  const tl::expected<CallOutcome, std::string>& outcome() const { return outcome_; }
  std::uint64_t yields() const { return yields_; }

  // A suspended task is to end: at its next resume() the code that
  // suspended it sees cancelled() and traps out of the guest (the request's
  // deadline passed while a host function waited).
  void cancel() { cancelled_ = true; }

  // For the runtime (limit_reached) and host functions that wait (wasi:io
  // poll), on the task's own fiber: suspend() returns at the next resume();
  // then check cancelled().
  static GuestTask* current();
  void suspend();
  bool cancelled() const { return cancelled_; }

 private:
  struct Fiber;
  std::function<void()> body_;
  Options options_;
  std::unique_ptr<Fiber> fiber_;
  tl::expected<CallOutcome, std::string> outcome_;
  bool started_ = false, finished_ = false, cancelled_ = false;
  std::uint64_t yields_ = 0;
  std::uintptr_t stackLimit_ = 0;
  TrapTarget* innerTarget_ = nullptr;
};

}  // namespace wasmops::engine
