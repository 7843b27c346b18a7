#pragma once
// One request's guest, whichever executor runs it: started for the request
// (a fresh instance), stepped in time slices on the connection's loop so a
// CPU-bound guest shares its thread with the server, then finished into a
// response. HttpComponent is the template an executor made when the
// application loaded; AppHost sees only these two types.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
  // Outbound HTTP requests (wasi:http/outgoing-handler): answered, refused
  // by allowed_outbound_hosts, failed (no response, or cut off by the end of the request).
  std::uint32_t outboundOk = 0, outboundDenied = 0, outboundFailed = 0;
};

class GuestRun {
 public:
  virtual ~GuestRun() = default;
  // Runs the guest for up to one time slice; true once it is over.
  virtual bool step() = 0;
  // After step() returned false: nullopt when the guest only ended its time
  // slice (step it again soon). Otherwise it waits for something outside
  // it (an outbound response, a clock): step it again once `wake` was
  // called (once or more, on any thread) or at the time returned (at the
  // latest its deadline), whichever comes first.
  virtual std::optional<std::chrono::steady_clock::time_point> waitingUntil(const std::function<void()>& wake) {
    (void)wake;
    return std::nullopt;
  }
  // After step() returned false: the response to send now, while the guest
  // goes on writing its body into Response::stream (a wasi:http guest that
  // set its response-outparam); nullopt until then, and after it gave one.
  // finish() then says how the guest ended; its response is not sent again.
  virtual std::optional<Response> streamingResponse() { return std::nullopt; }
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
  // Whether start() takes a request body still arriving (Request::bodyStream);
  // otherwise the host reads all of it into Request::body first.
  virtual bool streamsRequestBody() const { return false; }
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
  std::chrono::steady_clock::time_point deadline() const { return deadline_; }
  // A guest that waits in a host call when the deadline passes is ended by
  // its executor, not by the store's handler.
  void markTimedOut() { timedOut_ = true; }

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
