#pragma once
// Timestamps of log records.
#include <chrono>
#include <string>

namespace wasmops::ops {

// RFC 3339 in UTC with milliseconds: "2024-05-01T12:34:56.789Z".
std::string formatRfc3339Millis(std::chrono::system_clock::time_point time);

}  // namespace wasmops::ops
