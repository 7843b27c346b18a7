#pragma once
// The metrics of the HTTP host (`wasmops up`): one list of names shared by
// the host, which counts, and the example dashboard
// (examples/observability/grafana-dashboard.json), which reads them.
#include <array>
#include <string_view>

#include "base/Error.h"
#include "ops/Metrics.h"

namespace wasmops::ops {

namespace host_metric {
inline constexpr std::string_view kHttpRequests = "wasmops_http_requests_total";
inline constexpr std::string_view kHttpRequestDuration = "wasmops_http_request_duration_seconds";
inline constexpr std::string_view kInstantiationDuration = "wasmops_instantiation_duration_seconds";
inline constexpr std::string_view kActiveInstances = "wasmops_active_instances";
inline constexpr std::string_view kRequestQueueDepth = "wasmops_request_queue_depth";
inline constexpr std::string_view kGuestTraps = "wasmops_guest_traps_total";
inline constexpr std::string_view kGuestTimeouts = "wasmops_guest_timeouts_total";
inline constexpr std::string_view kGuestMemoryLimitKills = "wasmops_guest_memory_limit_kills_total";
inline constexpr std::string_view kGuestMemoryBytes = "wasmops_guest_memory_bytes";
inline constexpr std::string_view kHttpRequestBytes = "wasmops_http_request_bytes_total";
inline constexpr std::string_view kHttpRejected = "wasmops_http_rejected_total";
inline constexpr std::string_view kOutboundRequests = "wasmops_outbound_requests_total";
inline constexpr std::string_view kBuildInfo = "wasmops_build_info";
}  // namespace host_metric

// Why the host answered a request without running a component
// (the `reason` label of wasmops_http_rejected_total).
enum class RejectReason { QueueFull, BadRequest, HeaderTooLarge, BodyTooLarge, Timeout, TooManyConnections, NoRoute };
inline constexpr std::size_t kRejectReasonCount = 7;
std::string_view rejectReasonLabel(RejectReason reason);  // "queue_full", ...

// The families, registered on one registry. Labelled families hand out
// children with with(); the rest are the children themselves. Every reject
// reason and both byte directions exist from the start (exported as 0).
struct HostMetrics {
  CounterFamily& httpRequests;               // {component, route, status}
  HistogramFamily& httpRequestDuration;      // {component, route}, seconds
  HistogramFamily& instantiationDuration;    // {component}, seconds
  Gauge& activeInstances;
  Gauge& requestQueueDepth;
  CounterFamily& guestTraps;                 // {component}
  CounterFamily& guestTimeouts;              // {component}
  CounterFamily& guestMemoryLimitKills;      // {component}
  GaugeFamily& guestMemoryBytes;             // {component}: the last finished instance's linear memory
  Counter& requestBytesIn;                   // wasmops_http_request_bytes_total{direction="in"}
  Counter& requestBytesOut;                  // {direction="out"}
  std::array<Counter*, kRejectReasonCount> rejectedByReason;
  CounterFamily& outboundRequests;  // {component, outcome="ok|denied|error"}

  Counter& rejected(RejectReason reason) const { return *rejectedByReason[static_cast<std::size_t>(reason)]; }

  // Registers every family on `registry` (which must outlive the result) and
  // sets wasmops_build_info{version=`version`} to 1. Fails only if one of
  // the names is already registered there.
  static Expected<HostMetrics> create(MetricsRegistry& registry, std::string_view version);
};

}  // namespace wasmops::ops
