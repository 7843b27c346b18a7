#include "ops/HostMetrics.h"

#include <gtest/gtest.h>

#include <set>

#include "ops/PrometheusText.h"

namespace wasmops::ops {
namespace {

TEST(HostMetrics, RegistersEveryNameOnce) {
  MetricsRegistry registry;
  auto metrics = HostMetrics::create(registry, "1.2.3");
  ASSERT_TRUE(metrics) << metrics.error().message;
  std::set<std::string> names;
  for (const auto& f : registry.snapshot()) names.insert(f.name);
  using namespace host_metric;
  std::set<std::string> expected;
  for (std::string_view n : {kHttpRequests, kHttpRequestDuration, kInstantiationDuration, kActiveInstances,
                             kRequestQueueDepth, kGuestTraps, kGuestTimeouts, kGuestMemoryLimitKills, kGuestMemoryBytes,
                             kHttpRequestBytes, kHttpRejected, kOutboundRequests, kBuildInfo})
    expected.emplace(n);
  EXPECT_EQ(names, expected);
  // A second set on the same registry: the names are taken.
  auto again = HostMetrics::create(registry, "1.2.3");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "metric wasmops_http_requests_total is already registered");
}

TEST(HostMetrics, StartsWithZerosAndBuildInfo) {
  MetricsRegistry registry;
  auto metrics = HostMetrics::create(registry, "0.1.0");
  ASSERT_TRUE(metrics);
  std::string text = renderPrometheusText(registry);
  for (std::string_view line : {
           "wasmops_build_info{version=\"0.1.0\"} 1\n",
           "wasmops_active_instances 0\n",
           "wasmops_request_queue_depth 0\n",
           "wasmops_http_request_bytes_total{direction=\"in\"} 0\n",
           "wasmops_http_request_bytes_total{direction=\"out\"} 0\n",
           "wasmops_http_rejected_total{reason=\"bad_request\"} 0\n",
           "wasmops_http_rejected_total{reason=\"body_too_large\"} 0\n",
           "wasmops_http_rejected_total{reason=\"header_too_large\"} 0\n",
           "wasmops_http_rejected_total{reason=\"no_route\"} 0\n",
           "wasmops_http_rejected_total{reason=\"queue_full\"} 0\n",
           "wasmops_http_rejected_total{reason=\"timeout\"} 0\n",
           "wasmops_http_rejected_total{reason=\"too_many_connections\"} 0\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  // Labelled families have no children before the first request: left out
  // whole, # HELP and # TYPE included.
  EXPECT_EQ(text.find("wasmops_http_requests_total"), std::string::npos);
  EXPECT_EQ(text.find("wasmops_http_request_duration_seconds"), std::string::npos);
  EXPECT_EQ(text.find("wasmops_guest_traps_total"), std::string::npos);
}

TEST(HostMetrics, ChildrenAreTheRegistrysOwn) {
  MetricsRegistry registry;
  auto m = HostMetrics::create(registry, "v");
  ASSERT_TRUE(m);
  m->rejected(RejectReason::NoRoute).inc();
  m->rejected(RejectReason::NoRoute).inc();
  m->rejected(RejectReason::QueueFull).inc();
  m->requestBytesIn.inc(5);
  m->activeInstances.set(3);
  m->httpRequests.with({"hello", "/hello", "200"}).inc();
  m->httpRequestDuration.with({"hello", "/hello"}).observe(0.002);
  std::string text = renderPrometheusText(registry);
  EXPECT_NE(text.find("wasmops_http_rejected_total{reason=\"no_route\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wasmops_http_rejected_total{reason=\"queue_full\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wasmops_http_request_bytes_total{direction=\"in\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wasmops_active_instances 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wasmops_http_requests_total{component=\"hello\",route=\"/hello\",status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("wasmops_http_request_duration_seconds_bucket{component=\"hello\",route=\"/hello\",le=\"0.0025\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("wasmops_http_request_duration_seconds_bucket{component=\"hello\",route=\"/hello\",le=\"0.001\"} 0\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("wasmops_http_request_duration_seconds_count{component=\"hello\",route=\"/hello\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(HostMetrics, RejectReasonLabels) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    std::string_view label = rejectReasonLabel(static_cast<RejectReason>(i));
    EXPECT_NE(label, "unknown") << i;
    seen.insert(label);
  }
  EXPECT_EQ(seen.size(), kRejectReasonCount);  // all different
  EXPECT_EQ(rejectReasonLabel(RejectReason::QueueFull), "queue_full");
  EXPECT_EQ(rejectReasonLabel(RejectReason::NoRoute), "no_route");
  EXPECT_EQ(rejectReasonLabel(RejectReason::TooManyConnections), "too_many_connections");
  // The count covers the enum: its last value is the last index.
  EXPECT_EQ(static_cast<std::size_t>(RejectReason::NoRoute), kRejectReasonCount - 1);
}

}  // namespace
}  // namespace wasmops::ops
