#pragma once
// The one place wasmops starts other programs (compilers, credential helpers,
// its own background compile): posix_spawnp, every descriptor and the child
// owned by RAII objects so no early return leaks a pipe or a zombie, limits
// applied to the child, a deadline after which it is killed.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops {

struct ProcessLimits {
  std::uint64_t cpuSeconds = 0;          // RLIMIT_CPU; 0 = unlimited
  std::uint64_t addressSpaceBytes = 0;   // RLIMIT_AS; 0 = unlimited
  std::chrono::milliseconds timeout{0};  // wall clock; 0 = none (SIGKILL when over)
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH
  ProcessLimits limits;
  // Where stdout and stderr go: a file (created or truncated; both streams),
  // or, when empty, captured into ProcessResult::out / err.
  std::string outputPath;
  std::size_t maxCapture = 1u << 20;  // per stream; more is LimitExceeded
  std::string input;                  // written to stdin (empty: stdin is /dev/null)
  int niceness = 0;                   // added to the child's priority (19: lowest)
  // When set and it becomes true, the child is killed and the result says
  // `cancelled` (a background compile at exit).
  const std::atomic<bool>* cancel = nullptr;
};

struct ProcessResult {
  int exitCode = -1;  // when it exited
  int signal = 0;     // when a signal ended it
  bool timedOut = false;
  bool cancelled = false;
  std::string out, err;  // captured output
  bool ok() const { return exitCode == 0 && signal == 0 && !timedOut && !cancelled; }
  // The shell's convention: the exit code, or 128 + signal.
  int status() const { return signal ? 128 + signal : exitCode; }
};

// NotFound when argv[0] is not on PATH; Io for other spawn failures.
Expected<ProcessResult> runProcess(const ProcessSpec& spec);

struct DetachedSpec {
  std::vector<std::string> argv;
  int niceness = 19;  // a background job must not compete with the foreground
};

// Starts argv in a session of its own with stdio on /dev/null, and does not
// wait for it: it outlives this process. While this process lives, a thread
// reaps it, so it never lingers as a zombie.
Expected<void> startDetached(const DetachedSpec& spec);

}  // namespace wasmops
