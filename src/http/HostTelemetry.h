#pragma once
// The HostObserver `wasmops up` uses: each finished request counted in the
// Prometheus metrics (ops/HostMetrics.h), written to the access log, and
// its guest's stderr logged line by line with the request id.
#include <optional>

#include "http/AppHost.h"
#include "ops/AccessLog.h"
#include "ops/GuestLog.h"
#include "ops/HostMetrics.h"

namespace wasmops::http {

class HostTelemetry final : public HostObserver {
 public:
  // Null sinks turn that log off. Every argument must outlive this object.
  HostTelemetry(const ops::HostMetrics& metrics, const ops::LogSink* accessLog, const ops::LogSink* guestLog,
                ops::GuestLogLimits guestLimits = {});

  void completed(const RequestRecord& record) override;
  void rejected(Rejection why) override;
  void queueChanged(std::size_t active, std::size_t queued) override;

 private:
  const ops::HostMetrics& metrics_;
  std::optional<ops::AccessLog> access_;
  const ops::LogSink* guestSink_;
  ops::GuestLogLimits guestLimits_;
};

}  // namespace wasmops::http
