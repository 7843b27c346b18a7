#pragma once
// Prometheus metrics: a registry of metric families (counter, gauge,
// histogram), each with a help text and a fixed list of label names; a family
// hands out one child per set of label values.
//
// Hot path: a child is created once (under the family's lock) and its address
// never changes while the registry lives, so callers look it up once and keep
// the reference. Counting on a child is a few relaxed atomic operations, no
// lock: scrapes read values that are each exact but not one consistent
// snapshot across children (as in every Prometheus client).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::ops {

static_assert(std::atomic<double>::is_always_lock_free && std::atomic<std::uint64_t>::is_always_lock_free,
              "metric updates must not take a lock");

enum class MetricType { Counter, Gauge, Histogram };

// Bucket upper bounds for latencies in seconds: 50 µs to 10 s, roughly 1-2.5-5
// per decade (an instantiation is microseconds, a slow request seconds).
const std::vector<double>& latencyBucketsSeconds();

// Children are 64-byte aligned so that two hot counters never share a cache
// line between threads.

// A count that only goes up.
class alignas(64) Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down, or one read at scrape time from a callback.
class alignas(64) Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double d = 1) { value_.fetch_add(d, std::memory_order_relaxed); }
  void dec(double d = 1) { value_.fetch_sub(d, std::memory_order_relaxed); }
  // From now on value() (and so each scrape) calls `read` instead of using
  // what set/inc/dec stored; an empty function goes back to the stored value.
  // `read` runs on the scraping thread: it must be thread-safe, and stay
  // callable until replaced (clear it before what it reads goes away).
  void setCallback(std::function<double()> read);
  double value() const;

 private:
  std::atomic<double> value_{0};
  mutable std::mutex callbackMutex_;  // scrapes and setCallback only, never set/inc/dec
  std::function<double()> callback_;
};

// Observations counted into buckets with fixed upper bounds ("le").
class alignas(64) Histogram {
 public:
  explicit Histogram(std::span<const double> bounds);
  void observe(double v);
  // Counts per bucket, cumulative ("le" semantics), one per bound then +Inf.
  std::vector<std::uint64_t> cumulativeCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::span<const double> bounds_;  // owned by the family
  // Per bucket, not cumulative: an observation touches one bucket. The
  // count is the sum of the buckets, so _count always equals the +Inf bucket.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
};

// One child as a scrape sees it.
struct MetricSample {
  std::vector<std::string> labelValues;           // in the order of the family's label names
  double value = 0;                               // counter, gauge
  std::vector<std::uint64_t> cumulativeCounts;    // histogram: one per bound, then +Inf
  double sum = 0;                                 // histogram
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::Counter;
  std::vector<std::string> labelNames;
  std::vector<double> bounds;          // histogram
  std::vector<MetricSample> samples;   // sorted by label values
};

// What every family has, whatever its type.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, MetricType type, std::vector<std::string> labelNames);
  virtual ~MetricFamily() = default;
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& labelNames() const { return labelNames_; }
  virtual FamilySnapshot snapshot() const = 0;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> labelNames_;
};

// Orders stored label values against the views callers look them up with,
// so a lookup allocates nothing.
struct LabelValuesLess {
  using is_transparent = void;
  bool operator()(std::span<const std::string> a, std::span<const std::string> b) const { return less(a, b); }
  bool operator()(std::span<const std::string> a, std::span<const std::string_view> b) const { return less(a, b); }
  bool operator()(std::span<const std::string_view> a, std::span<const std::string> b) const { return less(a, b); }

 private:
  template <typename A, typename B>
  static bool less(std::span<A> a, std::span<B> b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

template <typename Metric>
class FamilyOf : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;

  // The child for these label values (one per label name, in order), created
  // on first use. The reference stays valid while the registry lives.
  // Giving the wrong number of values is a programming error: it aborts
  // with a message naming the family.
  Metric& with(std::initializer_list<std::string_view> values) { return with(std::span(values.begin(), values.size())); }
  Metric& with(std::span<const std::string_view> values);

  FamilySnapshot snapshot() const override;

 protected:
  virtual std::unique_ptr<Metric> newChild() const = 0;
  virtual void fill(const Metric& child, MetricSample& sample) const = 0;
  virtual void describe(FamilySnapshot&) const {}

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, LabelValuesLess> children_;
};

class CounterFamily final : public FamilyOf<Counter> {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> labelNames);

 protected:
  std::unique_ptr<Counter> newChild() const override { return std::make_unique<Counter>(); }
  void fill(const Counter& child, MetricSample& sample) const override;
};

class GaugeFamily final : public FamilyOf<Gauge> {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> labelNames);

 protected:
  std::unique_ptr<Gauge> newChild() const override { return std::make_unique<Gauge>(); }
  void fill(const Gauge& child, MetricSample& sample) const override;
};

class HistogramFamily final : public FamilyOf<Histogram> {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> labelNames,
                  std::vector<double> bounds);
  const std::vector<double>& bounds() const { return bounds_; }

 protected:
  std::unique_ptr<Histogram> newChild() const override { return std::make_unique<Histogram>(bounds_); }
  void fill(const Histogram& child, MetricSample& sample) const override;
  void describe(FamilySnapshot& snapshot) const override { snapshot.bounds = bounds_; }

 private:
  std::vector<double> bounds_;
};

// Owns the families. Registering checks names (Prometheus' metric and label
// name syntax, no "__" prefix, no "le" on a histogram, no duplicates, and no
// name that a histogram's NAME_bucket/_sum/_count series would clash with) and
// histogram bounds (finite, strictly increasing; a trailing +Inf is implied
// and dropped). A family without labels has its one child from the start, so
// it is exported as 0 before anything counts.
class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Expected<CounterFamily*> counter(std::string_view name, std::string_view help,
                                   std::vector<std::string> labelNames = {});
  Expected<GaugeFamily*> gauge(std::string_view name, std::string_view help,
                               std::vector<std::string> labelNames = {});
  Expected<HistogramFamily*> histogram(std::string_view name, std::string_view help,
                                       std::vector<std::string> labelNames = {},
                                       std::vector<double> bounds = latencyBucketsSeconds());

  // Every family, sorted by name.
  std::vector<FamilySnapshot> snapshot() const;

 private:
  Expected<void> checkNew(std::string_view name, const std::vector<std::string>& labelNames, MetricType type) const;
  template <typename Family>
  Family* add(std::unique_ptr<Family> family);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<MetricFamily>, std::less<>> families_;
};

}  // namespace wasmops::ops
