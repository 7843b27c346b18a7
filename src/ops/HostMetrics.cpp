#include "ops/HostMetrics.h"

namespace wasmops::ops {

std::string_view rejectReasonLabel(RejectReason reason) {
  switch (reason) {
    case RejectReason::QueueFull: return "queue_full";
    case RejectReason::BadRequest: return "bad_request";
    case RejectReason::HeaderTooLarge: return "header_too_large";
    case RejectReason::BodyTooLarge: return "body_too_large";
    case RejectReason::Timeout: return "timeout";
    case RejectReason::TooManyConnections: return "too_many_connections";
    case RejectReason::NoRoute: return "no_route";
  }
  return "unknown";
}

Expected<HostMetrics> HostMetrics::create(MetricsRegistry& registry, std::string_view version) {
  using namespace host_metric;
  WASMOPS_TRY(CounterFamily * requests,
              registry.counter(kHttpRequests, "HTTP requests answered by a component, by response status.",
                               {"component", "route", "status"}));
  WASMOPS_TRY(HistogramFamily * duration,
              registry.histogram(kHttpRequestDuration,
                                 "Time from a request's arrival until its response was ready to send, in seconds.",
                                 {"component", "route"}));
  WASMOPS_TRY(HistogramFamily * instantiation,
              registry.histogram(kInstantiationDuration, "Time to make a guest instance ready to run, in seconds.",
                                 {"component"}));
  WASMOPS_TRY(GaugeFamily * active, registry.gauge(kActiveInstances, "Guest instances running a request now."));
  WASMOPS_TRY(GaugeFamily * queue,
              registry.gauge(kRequestQueueDepth, "Requests accepted and waiting for a free instance."));
  WASMOPS_TRY(CounterFamily * traps,
              registry.counter(kGuestTraps, "Requests whose guest trapped (not counting timeouts and memory kills).",
                               {"component"}));
  WASMOPS_TRY(CounterFamily * timeouts,
              registry.counter(kGuestTimeouts, "Guests stopped at their deadline.", {"component"}));
  WASMOPS_TRY(CounterFamily * memoryKills,
              registry.counter(kGuestMemoryLimitKills, "Guests stopped for going over their memory limit.",
                               {"component"}));
  WASMOPS_TRY(GaugeFamily * memory,
              registry.gauge(kGuestMemoryBytes, "Linear memory of the component's most recently finished instance, in bytes.",
                             {"component"}));
  WASMOPS_TRY(CounterFamily * bytes,
              registry.counter(kHttpRequestBytes, "HTTP body bytes received (in) and sent (out).", {"direction"}));
  WASMOPS_TRY(CounterFamily * rejectedFamily,
              registry.counter(kHttpRejected, "Requests answered by the host without running a component, by reason.",
                               {"reason"}));
  WASMOPS_TRY(CounterFamily * outbound,
              registry.counter(kOutboundRequests,
                               "Outbound HTTP requests of wasi:http components: answered (ok), refused by "
                               "allowed_outbound_hosts (denied), or without a response (error).",
                               {"component", "outcome"}));
  WASMOPS_TRY(GaugeFamily * buildInfo,
              registry.gauge(kBuildInfo, "Always 1; the version label says which wasmops serves.", {"version"}));
  buildInfo->with({version}).set(1);

  std::array<Counter*, kRejectReasonCount> byReason{};
  for (std::size_t i = 0; i < kRejectReasonCount; ++i)
    byReason[i] = &rejectedFamily->with({rejectReasonLabel(static_cast<RejectReason>(i))});

  return HostMetrics{
      .httpRequests = *requests,
      .httpRequestDuration = *duration,
      .instantiationDuration = *instantiation,
      .activeInstances = active->with({}),
      .requestQueueDepth = queue->with({}),
      .guestTraps = *traps,
      .guestTimeouts = *timeouts,
      .guestMemoryLimitKills = *memoryKills,
      .guestMemoryBytes = *memory,
      .requestBytesIn = bytes->with({"in"}),
      .requestBytesOut = bytes->with({"out"}),
      .rejectedByReason = byReason,
      .outboundRequests = *outbound,
  };
}

}  // namespace wasmops::ops
