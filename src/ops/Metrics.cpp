#include "ops/Metrics.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ops/Utf8.h"

namespace wasmops::ops {
namespace {

bool isMetricName(std::string_view s) {
  auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
  if (s.empty() || !first(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return first(c) || (c >= '0' && c <= '9'); });
}

bool isLabelName(std::string_view s) {
  auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !first(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return first(c) || (c >= '0' && c <= '9'); });
}

[[noreturn]] void labelCountMismatch(const std::string& family, std::size_t expected, std::size_t given) {
  std::fprintf(stderr, "wasmops: internal error: metric %s takes %zu label values, %zu given\n", family.c_str(),
               expected, given);
  std::abort();
}

Expected<std::vector<double>> checkBounds(std::vector<double> bounds) {
  if (!bounds.empty() && bounds.back() == INFINITY) bounds.pop_back();
  if (bounds.empty()) return makeError(ErrorCode::Usage, "a histogram needs at least one finite bucket bound");
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) return makeError(ErrorCode::Usage, "histogram bucket bounds must be finite");
    if (i > 0 && !(bounds[i - 1] < bounds[i]))
      return makeError(ErrorCode::Usage, "histogram bucket bounds must be strictly increasing");
  }
  return bounds;
}

}  // namespace

const std::vector<double>& latencyBucketsSeconds() {
  static const std::vector<double> bounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
  return bounds;
}

void Gauge::setCallback(std::function<double()> read) {
  std::lock_guard lock(callbackMutex_);
  callback_ = std::move(read);
}

double Gauge::value() const {
  std::lock_guard lock(callbackMutex_);
  return callback_ ? callback_() : value_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double v) {
  // The first bound >= v ("le"); NaN and values above every bound go to +Inf
  // (as the Go client does).
  auto below = [v](double bound) { return !(bound >= v); };
  std::size_t i = std::partition_point(bounds_.begin(), bounds_.end(), below) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulativeCounts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = running;
  }
  return counts;
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type, std::vector<std::string> labelNames)
    : name_(std::move(name)), help_(std::move(help)), type_(type), labelNames_(std::move(labelNames)) {}

template <typename Metric>
Metric& FamilyOf<Metric>::with(std::span<const std::string_view> values) {
  if (values.size() != labelNames().size()) labelCountMismatch(name(), labelNames().size(), values.size());
  {
    std::shared_lock lock(mutex_);
    if (auto it = children_.find(values); it != children_.end()) return *it->second;
  }
  std::vector<std::string> key;
  key.reserve(values.size());
  // Stored as valid UTF-8, which the exposition format requires.
  for (std::string_view v : values) key.push_back(toValidUtf8(v));
  std::unique_lock lock(mutex_);
  auto [it, added] = children_.try_emplace(std::move(key));
  if (added) it->second = newChild();
  return *it->second;
}

template <typename Metric>
FamilySnapshot FamilyOf<Metric>::snapshot() const {
  FamilySnapshot out{name(), help(), type(), labelNames(), {}, {}};
  describe(out);
  std::shared_lock lock(mutex_);
  out.samples.reserve(children_.size());
  for (const auto& [values, child] : children_) {
    MetricSample& sample = out.samples.emplace_back();
    sample.labelValues = values;
    fill(*child, sample);
  }
  return out;
}

template class FamilyOf<Counter>;
template class FamilyOf<Gauge>;
template class FamilyOf<Histogram>;

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> labelNames)
    : FamilyOf(std::move(name), std::move(help), MetricType::Counter, std::move(labelNames)) {}

void CounterFamily::fill(const Counter& child, MetricSample& sample) const {
  sample.value = static_cast<double>(child.value());
}

GaugeFamily::GaugeFamily(std::string name, std::string help, std::vector<std::string> labelNames)
    : FamilyOf(std::move(name), std::move(help), MetricType::Gauge, std::move(labelNames)) {}

void GaugeFamily::fill(const Gauge& child, MetricSample& sample) const { sample.value = child.value(); }

HistogramFamily::HistogramFamily(std::string name, std::string help, std::vector<std::string> labelNames,
                                 std::vector<double> bounds)
    : FamilyOf(std::move(name), std::move(help), MetricType::Histogram, std::move(labelNames)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::fill(const Histogram& child, MetricSample& sample) const {
  sample.cumulativeCounts = child.cumulativeCounts();
  sample.sum = child.sum();
}

Expected<void> MetricsRegistry::checkNew(std::string_view name, const std::vector<std::string>& labelNames,
                                         MetricType type) const {
  if (!isMetricName(name) || name.starts_with("__"))
    return makeError(ErrorCode::Usage, fmt::format("'{}' is not a valid metric name", name));
  for (std::size_t i = 0; i < labelNames.size(); ++i) {
    const std::string& label = labelNames[i];
    if (!isLabelName(label) || label.starts_with("__"))
      return makeError(ErrorCode::Usage, fmt::format("metric {}: '{}' is not a valid label name", name, label));
    if (type == MetricType::Histogram && label == "le")
      return makeError(ErrorCode::Usage, fmt::format("metric {}: a histogram cannot have a label named le", name));
    if (std::find(labelNames.begin(), labelNames.begin() + i, label) != labelNames.begin() + i)
      return makeError(ErrorCode::Usage, fmt::format("metric {}: label {} named twice", name, label));
  }
  if (families_.contains(name))
    return makeError(ErrorCode::Usage, fmt::format("metric {} is already registered", name));
  // A histogram also writes NAME_bucket, NAME_sum and NAME_count: a family of
  // one of those names would expose the same series twice in one scrape.
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (type == MetricType::Histogram && families_.contains(fmt::format("{}{}", name, suffix)))
      return makeError(ErrorCode::Usage,
                       fmt::format("metric {}: its series {}{} is already a metric", name, name, suffix));
    if (name.ends_with(suffix)) {
      auto base = families_.find(name.substr(0, name.size() - suffix.size()));
      if (base != families_.end() && base->second->type() == MetricType::Histogram)
        return makeError(ErrorCode::Usage, fmt::format("metric {} is a series of the histogram {}", name, base->first));
    }
  }
  return {};
}

template <typename Family>
Family* MetricsRegistry::add(std::unique_ptr<Family> family) {
  Family* raw = family.get();
  if (raw->labelNames().empty()) raw->with({});
  families_.emplace(raw->name(), std::move(family));
  return raw;
}

Expected<CounterFamily*> MetricsRegistry::counter(std::string_view name, std::string_view help,
                                                  std::vector<std::string> labelNames) {
  std::lock_guard lock(mutex_);
  WASMOPS_TRY_VOID(checkNew(name, labelNames, MetricType::Counter));
  return add(std::make_unique<CounterFamily>(std::string(name), toValidUtf8(help), std::move(labelNames)));
}

Expected<GaugeFamily*> MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                              std::vector<std::string> labelNames) {
  std::lock_guard lock(mutex_);
  WASMOPS_TRY_VOID(checkNew(name, labelNames, MetricType::Gauge));
  return add(std::make_unique<GaugeFamily>(std::string(name), toValidUtf8(help), std::move(labelNames)));
}

Expected<HistogramFamily*> MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                                      std::vector<std::string> labelNames,
                                                      std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  WASMOPS_TRY_VOID(checkNew(name, labelNames, MetricType::Histogram));
  WASMOPS_TRY(auto checked, checkBounds(std::move(bounds)));
  return add(std::make_unique<HistogramFamily>(std::string(name), toValidUtf8(help), std::move(labelNames),
                                               std::move(checked)));
}

std::vector<FamilySnapshot> MetricsRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<FamilySnapshot> out;
  out.reserve(families_.size());
  for (const auto& [name, family] : families_) out.push_back(family->snapshot());
  return out;
}

}  // namespace wasmops::ops
