#include "http/HostTelemetry.h"

#include <chrono>
#include <string>

#include <spdlog/spdlog.h>

namespace wasmops::http {

namespace {

ops::RejectReason reasonFor(Rejection why) {
  switch (why) {
    case Rejection::BadRequest: return ops::RejectReason::BadRequest;
    case Rejection::HeaderTooLarge: return ops::RejectReason::HeaderTooLarge;
    case Rejection::BodyTooLarge: return ops::RejectReason::BodyTooLarge;
    case Rejection::Timeout: return ops::RejectReason::Timeout;
    case Rejection::TooManyConnections: return ops::RejectReason::TooManyConnections;
    case Rejection::QueueFull: return ops::RejectReason::QueueFull;
    case Rejection::NoRoute: return ops::RejectReason::NoRoute;
  }
  return ops::RejectReason::BadRequest;
}

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

HostTelemetry::HostTelemetry(const ops::HostMetrics& metrics, const ops::LogSink* accessLog,
                             const ops::LogSink* guestLog, ops::GuestLogLimits guestLimits)
    : metrics_(metrics), guestSink_(guestLog), guestLimits_(guestLimits) {
  if (accessLog) access_.emplace(*accessLog);
}

void HostTelemetry::completed(const RequestRecord& rec) {
  metrics_.requestBytesIn.inc(rec.bytesIn);
  metrics_.requestBytesOut.inc(rec.bytesOut);
  if (const GuestOutcome* guest = rec.guest) {
    const std::string status = std::to_string(rec.status);
    metrics_.httpRequests.with({rec.component, rec.route, status}).inc();
    metrics_.httpRequestDuration.with({rec.component, rec.route}).observe(seconds(rec.duration));
    if (guest->instantiation.count() > 0)
      metrics_.instantiationDuration.with({rec.component}).observe(seconds(guest->instantiation));
    if (guest->memoryBytes > 0)
      metrics_.guestMemoryBytes.with({rec.component}).set(static_cast<double>(guest->memoryBytes));
    if (guest->outboundOk) metrics_.outboundRequests.with({rec.component, "ok"}).inc(guest->outboundOk);
    if (guest->outboundDenied) metrics_.outboundRequests.with({rec.component, "denied"}).inc(guest->outboundDenied);
    if (guest->outboundFailed) metrics_.outboundRequests.with({rec.component, "error"}).inc(guest->outboundFailed);
    switch (guest->kind) {
      case GuestOutcome::Kind::Trap: metrics_.guestTraps.with({rec.component}).inc(); break;
      case GuestOutcome::Kind::Timeout: metrics_.guestTimeouts.with({rec.component}).inc(); break;
      case GuestOutcome::Kind::MemoryLimit: metrics_.guestMemoryLimitKills.with({rec.component}).inc(); break;
      default: break;
    }
    if (guest->kind != GuestOutcome::Kind::Ok || !guest->detail.empty())
      spdlog::warn("request {} to component '{}': {} ({})", rec.request->requestId, rec.component,
                       rec.status, guest->detail);
    if (guestSink_ && !guest->stderrOutput.empty()) {
      ops::GuestLog log(*guestSink_, rec.component, rec.request->requestId, guestLimits_);
      log.append(guest->stderrOutput);
      if (guest->stderrTruncated) log.append("\n[wasmops: the guest's stderr was cut at the host's limit]\n");
      (void)log.finish();  // a full disk must not fail the request
    }
  }
  if (access_) {
    ops::AccessRecord a;
    a.requestId = rec.request->requestId;
    a.method = rec.request->method;
    a.path = rec.request->target;
    a.route = rec.route;
    a.component = rec.guest ? std::string_view(rec.component) : std::string_view();
    a.status = rec.status;
    a.duration = rec.duration;
    a.bytesIn = rec.bytesIn;
    a.bytesOut = rec.bytesOut;
    a.client = rec.request->clientAddress;
    (void)access_->write(a);
  }
}

void HostTelemetry::rejected(Rejection why) { metrics_.rejected(reasonFor(why)).inc(); }

void HostTelemetry::queueChanged(std::size_t active, std::size_t queued) {
  metrics_.activeInstances.set(static_cast<double>(active));
  metrics_.requestQueueDepth.set(static_cast<double>(queued));
}

}  // namespace wasmops::http
