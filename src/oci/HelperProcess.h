#pragma once
// Runs a short-lived helper program (a docker-credential-* binary) with
// posix_spawnp: writes `input` to its stdin, collects stdout and stderr,
// waits for it. Every pipe and the child are owned by RAII objects, so an
// early return never leaks a descriptor or a zombie; a helper that outlives
// the timeout is killed.
#include <chrono>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::oci {

struct HelperResult {
  int exitStatus = 0;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

// NotFound when `program` is not on PATH; Io for other spawn failures.
// Output beyond 1 MiB per stream is an error (LimitExceeded).
Expected<HelperResult> runHelper(const std::string& program, const std::vector<std::string>& args,
                                 const std::string& input,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace wasmops::oci
