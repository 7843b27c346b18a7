#pragma once
// The Prometheus text exposition format, version 0.0.4
// (prometheus.io/docs/instrumenting/exposition_formats), which every
// Prometheus server and most collectors scrape.
#include <string>
#include <string_view>
#include <vector>

#include "ops/Metrics.h"

namespace wasmops::ops {

// The Content-Type of a scrape response.
inline constexpr std::string_view kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// Families sorted by name, each with # HELP and # TYPE, children sorted by
// label values; histograms as cumulative _bucket{le=...} series ending with
// le="+Inf", then _sum and _count. A family without children is left out
// (as the Go client does). Same registry contents, same bytes.
std::string renderPrometheusText(const MetricsRegistry& registry);
std::string renderPrometheusText(const std::vector<FamilySnapshot>& families);

// A label value with backslash, double quote and newline escaped.
std::string escapeLabelValue(std::string_view value);

// A sample value: shortest text that reads back as the same double; +Inf,
// -Inf and NaN spelt as Prometheus spells them.
std::string formatSampleValue(double value);

}  // namespace wasmops::ops
