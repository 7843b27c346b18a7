#pragma once
// How many guests run at once: up to `maxActive`; beyond that a bounded
// queue, in arrival order; beyond that the host answers 503 with
// Retry-After (backpressure rather than unbounded memory). Thread-safe:
// requests arrive on every event loop.
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace wasmops::http {

class Admission {
 public:
  Admission(std::size_t maxActive, std::size_t maxQueued) : maxActive_(maxActive), maxQueued_(maxQueued) {}

  enum class Verdict { Run, Queued, Rejected };
  // Run: the caller may start now (and must call release() when done).
  // Queued: `whenAdmitted` is called later, from the releasing thread (it
  // must hand over to its own loop), and owns a slot as Run does.
  Verdict admit(std::function<void()> whenAdmitted);
  void release();

  std::size_t active() const;
  std::size_t queued() const;

 private:
  mutable std::mutex mu_;
  std::size_t maxActive_, maxQueued_;
  std::size_t active_ = 0;
  std::deque<std::function<void()>> waiting_;
};

}  // namespace wasmops::http
