#pragma once
// The admin listener's handler (`wasmops up --admin ADDR`): liveness at
// /healthz, readiness at /readyz (503 once the host drains), and the
// Prometheus text exposition at /metrics. Kept on its own listener so a
// scrape or a probe never waits behind application traffic.
#include <atomic>

#include "http/Server.h"
#include "ops/Metrics.h"

namespace wasmops::http {

class AdminEndpoint final : public RequestHandler {
 public:
  // Both must outlive this object.
  AdminEndpoint(const ops::MetricsRegistry& registry, const std::atomic<bool>& ready)
      : registry_(registry), ready_(ready) {}
  void handle(Request request, EventLoop& loop, std::function<void(Response)> respond) override;

 private:
  const ops::MetricsRegistry& registry_;
  const std::atomic<bool>& ready_;
};

}  // namespace wasmops::http
