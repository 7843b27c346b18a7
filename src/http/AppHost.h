#pragma once
// Serves an Application: routes each request, admits it (Admission), runs
// its guest in a fresh instance on the connection's loop in time slices,
// and turns the outcome into the response. Every finished request is
// reported to the HostObserver (metrics, access log, guest stderr).
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "http/Admission.h"
#include "http/Application.h"
#include "http/Server.h"
#include "http/WagiExecutor.h"

namespace wasmops::http {

// What one request did, for metrics and logs.
struct RequestRecord {
  const Request* request = nullptr;  // method, path, ids; the body is gone
  std::string route;                 // the matched route as written, or "" (404, rejected)
  std::string component;             // or ""
  int status = 0;
  std::chrono::nanoseconds duration{0};
  std::size_t bytesIn = 0, bytesOut = 0;
  const GuestOutcome* guest = nullptr;  // null when no guest ran
};

class HostObserver {
 public:
  virtual ~HostObserver() = default;
  virtual void completed(const RequestRecord&) {}
  virtual void rejected(Rejection) {}
  virtual void queueChanged(std::size_t active, std::size_t queued) { (void)active, (void)queued; }
};

struct HostOptions {
  GuestLimits limits;
  std::size_t maxActive = 1000;   // guests at once
  std::size_t maxQueued = 1000;   // waiting requests beyond that (503 after)
};

class AppHost final : public RequestHandler {
 public:
  AppHost(std::shared_ptr<const Application> app, HostOptions options, HostObserver& observer);
  void handle(Request request, EventLoop& loop, std::function<void(Response)> respond) override;
  void rejected(Rejection why) override { observer_.rejected(why); }
  const Admission& admission() const { return admission_; }

 private:
  struct Exchange;
  struct Resumption;
  void readWholeBody(std::shared_ptr<Exchange> x);
  void admit(std::shared_ptr<Exchange> x);
  void runGuest(std::shared_ptr<Exchange> x);
  void stepGuest(std::shared_ptr<Exchange> x);
  void finish(Exchange& x, Response response, const GuestOutcome* outcome);

  std::shared_ptr<const Application> app_;
  HostOptions options_;
  HostObserver& observer_;
  Admission admission_;
};

}  // namespace wasmops::http
