#pragma once
// One request's guest, whichever executor runs it: started for the request
// (a fresh instance), stepped in time slices on the connection's loop so a
// CPU-bound guest shares its thread with the server, then finished into a
// response. HttpComponent is the template an executor made when the
// application loaded; AppHost sees only these two types.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "app/RouteTable.h"
#include "base/Error.h"
#include "engine/Store.h"
#include "http/HttpMessage.h"

namespace wasmops::http {

struct GuestLimits {
  std::chrono::milliseconds deadline{30'000};      // per request: 504 after it
  std::chrono::microseconds timeSlice{2'000};      // a guest yields its thread this often
  std::uint64_t maxMemoryBytes = 128ull << 20;     // per instance: 500 past it
  std::size_t maxResponseBytes = 64ull << 20;      // the guest's stdout
  std::size_t maxStderrBytes = 64 * 1024;          // kept for the log; the rest is dropped
};

// How a request's guest ended.
struct GuestOutcome {
  enum class Kind { Ok, Trap, Timeout, MemoryLimit, ExitCode, BadResponse, ResponseTooLarge, StartFailed };
  Kind kind = Kind::Ok;
  Response response;          // Ok: the guest's; otherwise the host's error response
  std::string detail;         // for the log: the trap, the parse error, ...
  std::string stderrOutput;   // what the guest wrote to stderr (capped)
  bool stderrTruncated = false;
  std::chrono::nanoseconds instantiation{0};
  std::uint64_t memoryBytes = 0;  // the guest's memory at the end
  std::uint64_t yields = 0;
};

class GuestRun {
 public:
  virtual ~GuestRun() = default;
  // Runs the guest for up to one time slice; true once it is over.
  virtual bool step() = 0;
  // Once step() returned true.
  virtual GuestOutcome finish() = 0;
};

class HttpComponent {
 public:
  virtual ~HttpComponent() = default;
  // Instantiates the component for `request` (whose body it takes) and
  // prepares the call; nothing runs until step(). Errors are host
  // failures (a missing files folder, out of memory pools).
  virtual Expected<std::unique_ptr<GuestRun>> start(Request& request, const app::RouteMatch& match,
                                                    const GuestLimits& limits) const = 0;
};

// A request's time on a guest's store, for both executors: the guest yields
// its thread at the end of each time slice (the caller resumes it after
// other work on this thread) and traps past the request's deadline. A guest
// whose memory.grow was refused at the limit is ended at the next slice too
// (as wasmtime's ResourceLimiter can trap on a refused grow): a program that
// keeps retrying its allocation would otherwise hold its slot until the
// deadline.
class RequestClock {
 public:
  explicit RequestClock(const GuestLimits& limits);
  // Installs the deadline handler; `this` must outlive the store's calls.
  void arm(engine::Store& store);
  bool timedOut() const { return timedOut_; }

 private:
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::microseconds slice_;
  std::chrono::milliseconds limit_;
  bool timedOut_ = false;
};

// The host's own error response for a guest that failed: the status, what
// went wrong in a word, and the request id to find its log line by.
Response guestErrorResponse(int status, const std::string& requestId, std::string_view what);

}  // namespace wasmops::http
