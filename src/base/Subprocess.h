#pragma once
// Runs a program with posix_spawn under resource limits and a deadline.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops {

struct ProcessLimits {
  std::uint64_t cpuSeconds = 0;         // RLIMIT_CPU; 0 = unlimited
  std::uint64_t addressSpaceBytes = 0;  // RLIMIT_AS; 0 = unlimited
  std::chrono::milliseconds timeout{0}; // wall clock; 0 = none (SIGKILL when over)
};

struct ProcessResult {
  int exitCode = -1;  // when it exited
  int signal = 0;     // when a signal ended it
  bool timedOut = false;
  bool ok() const { return exitCode == 0 && signal == 0 && !timedOut; }
};

// stdout and stderr of the child go to `outputPath` (created/truncated);
// stdin is /dev/null.
Expected<ProcessResult> runProcess(const std::vector<std::string>& argv, const std::string& outputPath,
                                   const ProcessLimits& limits);

}  // namespace wasmops
