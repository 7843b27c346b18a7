#include "ops/PrometheusText.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace wasmops::ops {
namespace {

// HELP text escapes backslash and newline only (a quote is literal there).
std::string escapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

const char* typeName(MetricType type) {
  switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
  }
  return "untyped";
}

// `{a="x",b="y"}` (with `extraName="extraValue"` last when given), or
// nothing when there are no labels at all.
void appendLabels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                  std::string_view extraName = {}, std::string_view extraValue = {}) {
  if (names.empty() && extraName.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{}=\"{}\"", names[i], escapeLabelValue(values[i]));
  }
  if (!extraName.empty()) {
    if (!names.empty()) out += ',';
    fmt::format_to(std::back_inserter(out), "{}=\"{}\"", extraName, extraValue);
  }
  out += '}';
}

void appendSample(std::string& out, std::string_view name, std::string_view suffix, const FamilySnapshot& family,
                  const MetricSample& sample, double value, std::string_view extraName = {},
                  std::string_view extraValue = {}) {
  out += name;
  out += suffix;
  appendLabels(out, family.labelNames, sample.labelValues, extraName, extraValue);
  out += ' ';
  out += formatSampleValue(value);
  out += '\n';
}

void appendFamily(std::string& out, const FamilySnapshot& family) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", family.name, escapeHelp(family.help),
                 family.name, typeName(family.type));
  for (const MetricSample& sample : family.samples) {
    if (family.type != MetricType::Histogram) {
      appendSample(out, family.name, "", family, sample, sample.value);
      continue;
    }
    for (std::size_t i = 0; i < sample.cumulativeCounts.size(); ++i) {
      std::string le = i < family.bounds.size() ? formatSampleValue(family.bounds[i]) : "+Inf";
      appendSample(out, family.name, "_bucket", family, sample, static_cast<double>(sample.cumulativeCounts[i]),
                   "le", le);
    }
    appendSample(out, family.name, "_sum", family, sample, sample.sum);
    std::uint64_t count = sample.cumulativeCounts.empty() ? 0 : sample.cumulativeCounts.back();
    appendSample(out, family.name, "_count", family, sample, static_cast<double>(count));
  }
}

}  // namespace

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string formatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string renderPrometheusText(const std::vector<FamilySnapshot>& families) {
  std::string out;
  for (const FamilySnapshot& family : families) {
    if (!family.samples.empty()) appendFamily(out, family);
  }
  return out;
}

std::string renderPrometheusText(const MetricsRegistry& registry) { return renderPrometheusText(registry.snapshot()); }

}  // namespace wasmops::ops
