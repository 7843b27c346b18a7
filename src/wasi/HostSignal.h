#pragma once
// Something the host completes on another thread (an outbound HTTP
// response), which a guest waits for through a wasi:io pollable; and what a
// guest suspended in pollable.block or poll waits for, so that whoever
// resumes its engine::GuestTask can wait for the same instead of resuming
// it over and over.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace wasmops::wasi {

class HostSignal {
 public:
  virtual ~HostSignal() = default;
  // From any thread.
  virtual bool ready() const = 0;
  // Calls `fn` once the signal is ready: now, on this thread, if it is
  // already; else on the thread that makes it ready.
  virtual void whenReady(std::function<void()> fn) = 0;
};

// A guest on a GuestTask suspended in pollable.block or poll: resume it
// when one of `signals` is ready or at `until` (a pollable's monotonic
// deadline), whichever comes first; `soon` when it also waits for a host
// fd, which nothing signals (resume it soon and let it look again).
struct GuestWait {
  std::vector<std::shared_ptr<HostSignal>> signals;
  std::optional<std::chrono::steady_clock::time_point> until;
  bool soon = false;
};

}  // namespace wasmops::wasi
