#pragma once
// The HTTP/1.1 server (Boost.Beast over Asio; the only file that sees them
// is Server.cpp). One event loop per worker thread; a connection lives on
// one loop for its whole life, so its requests, its guest's time slices
// and its response never change threads. Keep-alive and pipelining (the
// next request is read once the response to the last one is written);
// limits on header and body size, connections, and slow clients; graceful
// stop (no new connections, idle ones closed, in-flight requests finish
// within the drain timeout).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/Error.h"
#include "http/HttpMessage.h"

namespace wasmops::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:3000";  // "HOST:PORT", "[::1]:PORT"; port 0: any free port
  unsigned threads = 0;                   // event loops; 0: one per core
  std::size_t maxHeaderBytes = 32 * 1024;           // 431 past it
  std::size_t maxBodyBytes = 16ull * 1024 * 1024;   // 413 past it
  std::size_t maxConnections = 10'000;              // further connections are closed at once
  std::chrono::milliseconds requestTimeout{10'000}; // to receive one request once it began (slow clients)
  std::chrono::milliseconds idleTimeout{60'000};    // a keep-alive connection with no request
  std::string serverName = "wasmops";
  std::string tlsCert, tlsKey;  // PEM files; both set: HTTPS only (TLS 1.2 and later)
};

// Why the server answered or dropped a connection itself.
// QueueFull and NoRoute come from the handler (AppHost), the rest from the server.
enum class Rejection { BadRequest, HeaderTooLarge, BodyTooLarge, Timeout, TooManyConnections, QueueFull, NoRoute };
const char* toString(Rejection r);

// Where a handler's continuation runs: the connection's own loop.
class EventLoop {
 public:
  virtual ~EventLoop() = default;
  // From any thread.
  virtual void post(std::function<void()> work) = 0;
  // `work` runs on the loop at `when` (or as soon after as it can), or at
  // once when the returned function is called (from the loop's thread) to
  // cancel the wait: a timer no longer needed does not hold its work until
  // then. If the loop stops first, `work` is destroyed without running.
  // From the loop's thread.
  virtual std::function<void()> postAt(std::chrono::steady_clock::time_point when, std::function<void()> work) {
    (void)when;
    post(std::move(work));
    return [] {};
  }
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on the connection's loop; calls `respond` exactly once, on that
  // same loop (now, or later through `loop.post`).
  virtual void handle(Request request, EventLoop& loop, std::function<void(Response)> respond) = 0;
  virtual void rejected(Rejection) {}
};

class Server {
 public:
  // Binds the listener (errors: the address is taken, malformed, ...);
  // serves nothing until run().
  static Expected<std::unique_ptr<Server>> create(const ServerOptions& options, RequestHandler& handler);
  virtual ~Server() = default;
  // "127.0.0.1:3000", with the port the kernel chose for port 0.
  virtual std::string boundAddress() const = 0;
  virtual bool tls() const = 0;
  // Runs the loops on their threads; returns once stopped.
  virtual void run() = 0;
  // From any thread: stop accepting, close idle connections, let requests
  // in flight finish for up to `drain`, then stop. run() returns after.
  virtual void stop(std::chrono::milliseconds drain) = 0;
  virtual std::size_t openConnections() const = 0;
};

}  // namespace wasmops::http
