#pragma once
// The HTTP host's access log: one JSON object per request, on one line.
//
//   {"time":"2024-05-01T12:34:56.789Z","request_id":"…","method":"GET",
//    "path":"/hello?x=1","route":"/hello","component":"hello","status":200,
//    "duration_ms":1.234,"bytes_in":0,"bytes_out":13,"client":"10.0.0.7:51234"}
//
// Keys always appear in that order; "client" only when known. Strings are
// JSON-escaped, and bytes that are not UTF-8 (a request path may hold any)
// become U+FFFD, so every line parses.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Error.h"
#include "ops/LogSink.h"

namespace wasmops::ops {

struct AccessRecord {
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  std::string_view requestId;
  std::string_view method;
  std::string_view path;       // as requested, query included
  std::string_view route;      // the matched route as written in the manifest; empty when none matched
  std::string_view component;  // empty when no component ran
  int status = 0;
  std::chrono::nanoseconds duration{0};  // logged as duration_ms with microsecond precision
  std::uint64_t bytesIn = 0;             // request body
  std::uint64_t bytesOut = 0;            // response body
  std::string_view client;               // "address:port"; left out when empty
};

// The record's line, '\n' included.
std::string formatAccessRecord(const AccessRecord& record);

class AccessLog {
 public:
  // `sink` must outlive the log.
  explicit AccessLog(const LogSink& sink) : sink_(sink) {}
  // One line, one write(2). Thread-safe.
  Expected<void> write(const AccessRecord& record) const;

 private:
  const LogSink& sink_;
};

}  // namespace wasmops::ops
