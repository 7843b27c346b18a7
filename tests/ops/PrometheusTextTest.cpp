#include "ops/PrometheusText.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace wasmops::ops {
namespace {

// A small registry of every kind, and its exposition byte for byte.
TEST(PrometheusText, GoldenExposition) {
  MetricsRegistry r;
  auto requests = r.counter("app_requests_total", "Requests, by \"route\".\nSecond line \\ end", {"route", "status"});
  auto temperature = r.gauge("app_temperature", "A gauge without labels.");
  auto latency = r.histogram("app_latency_seconds", "Latency.", {"op"}, {0.005, 0.5, 2});
  auto plain = r.histogram("app_plain_seconds", "Nothing observed yet.", {}, {1});
  auto unused = r.counter("app_unused_total", "Labelled, no child yet: left out.", {"x"});
  ASSERT_TRUE(requests && temperature && latency && plain && unused);
  (*requests)->with({"/b \"q\"\n\\", "500"}).inc();
  (*requests)->with({"/a", "200"}).inc(3);
  (*temperature)->with({}).set(-1.5);
  (*latency)->with({"get"}).observe(0.25);
  (*latency)->with({"get"}).observe(0.5);
  (*latency)->with({"get"}).observe(10);

  const std::string expected =
      "# HELP app_latency_seconds Latency.\n"
      "# TYPE app_latency_seconds histogram\n"
      "app_latency_seconds_bucket{op=\"get\",le=\"0.005\"} 0\n"
      "app_latency_seconds_bucket{op=\"get\",le=\"0.5\"} 2\n"
      "app_latency_seconds_bucket{op=\"get\",le=\"2\"} 2\n"
      "app_latency_seconds_bucket{op=\"get\",le=\"+Inf\"} 3\n"
      "app_latency_seconds_sum{op=\"get\"} 10.75\n"
      "app_latency_seconds_count{op=\"get\"} 3\n"
      "# HELP app_plain_seconds Nothing observed yet.\n"
      "# TYPE app_plain_seconds histogram\n"
      "app_plain_seconds_bucket{le=\"1\"} 0\n"
      "app_plain_seconds_bucket{le=\"+Inf\"} 0\n"
      "app_plain_seconds_sum 0\n"
      "app_plain_seconds_count 0\n"
      "# HELP app_requests_total Requests, by \"route\".\\nSecond line \\\\ end\n"
      "# TYPE app_requests_total counter\n"
      "app_requests_total{route=\"/a\",status=\"200\"} 3\n"
      "app_requests_total{route=\"/b \\\"q\\\"\\n\\\\\",status=\"500\"} 1\n"
      "# HELP app_temperature A gauge without labels.\n"
      "# TYPE app_temperature gauge\n"
      "app_temperature -1.5\n";
  EXPECT_EQ(renderPrometheusText(r), expected);
  EXPECT_EQ(renderPrometheusText(r), renderPrometheusText(r.snapshot()));  // same contents, same bytes
}

TEST(PrometheusText, EmptyRegistryIsEmptyText) {
  MetricsRegistry r;
  EXPECT_EQ(renderPrometheusText(r), "");
}

TEST(PrometheusText, HistogramCountEqualsInfBucket) {
  MetricsRegistry r;
  auto h = r.histogram("h_seconds", "h");
  ASSERT_TRUE(h);
  for (double v : {0.00001, 0.003, 0.2, 7.0, 99.0}) (*h)->with({}).observe(v);
  std::string text = renderPrometheusText(r);
  EXPECT_NE(text.find("h_seconds_bucket{le=\"5e-05\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_seconds_bucket{le=\"10\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_seconds_bucket{le=\"+Inf\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_seconds_count 5\n"), std::string::npos) << text;
  // One bucket line per bound plus +Inf.
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = text.find("h_seconds_bucket{", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, latencyBucketsSeconds().size() + 1);
}

TEST(PrometheusText, LabelEscaping) {
  EXPECT_EQ(escapeLabelValue("plain /path?x=1"), "plain /path?x=1");
  EXPECT_EQ(escapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(escapeLabelValue("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escapeLabelValue("two\nlines"), "two\\nlines");
  EXPECT_EQ(escapeLabelValue("tab\tand\rcr"), "tab\tand\rcr");  // only \, " and newline are escaped
  EXPECT_EQ(escapeLabelValue("\xE2\x82\xAC"), "\xE2\x82\xAC");
  EXPECT_EQ(escapeLabelValue(""), "");
}

TEST(PrometheusText, SampleValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(formatSampleValue(inf), "+Inf");
  EXPECT_EQ(formatSampleValue(-inf), "-Inf");
  EXPECT_EQ(formatSampleValue(std::nan("")), "NaN");
  EXPECT_EQ(formatSampleValue(-std::nan("")), "NaN");
  EXPECT_EQ(formatSampleValue(0), "0");
  EXPECT_EQ(formatSampleValue(1), "1");
  EXPECT_EQ(formatSampleValue(42), "42");
  EXPECT_EQ(formatSampleValue(-7), "-7");
  EXPECT_EQ(formatSampleValue(1234567), "1234567");  // integers as integers, no ".0" or exponent
  EXPECT_EQ(formatSampleValue(9007199254740992.0), "9007199254740992");
  EXPECT_EQ(formatSampleValue(0.1), "0.1");
  EXPECT_EQ(formatSampleValue(0.25), "0.25");
  EXPECT_EQ(formatSampleValue(-1.5), "-1.5");
  EXPECT_EQ(formatSampleValue(0.00005), "5e-05");
  EXPECT_EQ(formatSampleValue(1e-9), "1e-09");
  EXPECT_EQ(formatSampleValue(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(formatSampleValue(1e300), "1e+300");
}

// Shortest text that reads back as the very same double.
TEST(PrometheusText, SampleValuesRoundTrip) {
  for (double v : {0.1, 0.2 + 0.1, 1.0 / 3, 2.0 / 3, 1e-300, 5e-324, 1.7976931348623157e308, 123456.789, 0.000123,
                   3.0e15, 18446744073709551615.0, -2.5e-7}) {
    std::string text = formatSampleValue(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
    EXPECT_EQ(text.find(' '), std::string::npos) << text;
  }
}

TEST(PrometheusText, ContentTypeIsTextFormat004) {
  EXPECT_EQ(kPrometheusTextContentType, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace
}  // namespace wasmops::ops
