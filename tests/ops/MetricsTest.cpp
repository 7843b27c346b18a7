#include "ops/Metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

namespace wasmops::ops {
namespace {

template <typename T>
T* ok(Expected<T*> e) {
  EXPECT_TRUE(e) << (e ? "" : e.error().message);
  return e ? *e : nullptr;
}

std::string failure(const Expected<HistogramFamily*>& e) {
  return e ? "(registered)" : e.error().message;
}

const FamilySnapshot* find(const std::vector<FamilySnapshot>& all, std::string_view name) {
  for (const auto& f : all)
    if (f.name == name) return &f;
  return nullptr;
}

TEST(Counter, CountsUpFromZero) {
  Counter c;
  EXPECT_EQ(c.value(), 0u);
  c.inc();
  c.inc(41);
  EXPECT_EQ(c.value(), 42u);
}

TEST(Gauge, SetIncDecAndCallback) {
  Gauge g;
  EXPECT_EQ(g.value(), 0);
  g.set(10);
  g.inc();
  g.dec(0.5);
  EXPECT_DOUBLE_EQ(g.value(), 10.5);
  g.inc(-20);
  EXPECT_DOUBLE_EQ(g.value(), -9.5);

  double external = 7;
  g.setCallback([&] { return external; });
  EXPECT_EQ(g.value(), 7);
  external = 8;
  EXPECT_EQ(g.value(), 8);  // read at every call, not once
  g.set(100);               // stored, but the callback still wins
  EXPECT_EQ(g.value(), 8);
  g.setCallback({});
  EXPECT_EQ(g.value(), 100);
}

TEST(Histogram, BucketPlacementIsLessOrEqual) {
  const std::vector<double> bounds = {1, 2, 5};
  Histogram h(bounds);
  h.observe(0.5);  // le=1
  h.observe(1);    // le=1: a value equal to a bound goes into that bucket
  h.observe(1.5);  // le=2
  h.observe(5);    // le=5
  h.observe(6);    // +Inf only
  h.observe(-3);   // le=1 (negative values are below every bound)
  EXPECT_EQ(h.cumulativeCounts(), (std::vector<std::uint64_t>{3, 4, 5, 6}));
  EXPECT_DOUBLE_EQ(h.sum(), 0.5 + 1 + 1.5 + 5 + 6 - 3);
}

TEST(Histogram, InfinityAndNaNGoToTheLastBucket) {
  const std::vector<double> bounds = {1};
  Histogram h(bounds);
  h.observe(std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.cumulativeCounts(), (std::vector<std::uint64_t>{0, 1}));
  EXPECT_TRUE(std::isinf(h.sum()));
  h.observe(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(h.cumulativeCounts(), (std::vector<std::uint64_t>{0, 2}));
  EXPECT_TRUE(std::isnan(h.sum()));
}

TEST(Histogram, EmptyHasZeroCounts) {
  const std::vector<double> bounds = {0.1, 0.2};
  Histogram h(bounds);
  EXPECT_EQ(h.cumulativeCounts(), (std::vector<std::uint64_t>{0, 0, 0}));
  EXPECT_EQ(h.sum(), 0);
}

TEST(LatencyBuckets, StrictlyIncreasingFrom50usTo10s) {
  const auto& b = latencyBucketsSeconds();
  ASSERT_FALSE(b.empty());
  EXPECT_DOUBLE_EQ(b.front(), 0.00005);
  EXPECT_DOUBLE_EQ(b.back(), 10);
  for (std::size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]) << i;
}

TEST(MetricsRegistry, ChildrenAreCreatedOnceAndKeepTheirAddress) {
  MetricsRegistry r;
  CounterFamily* f = ok(r.counter("requests_total", "Requests.", {"route", "status"}));
  ASSERT_NE(f, nullptr);
  Counter& a = f->with({"/a", "200"});
  Counter& b = f->with({"/a", "404"});
  EXPECT_NE(&a, &b);
  // Many more children (the map rebalances): the first ones stay where they were.
  for (int i = 0; i < 200; ++i) f->with({fmt::format("/x{}", i), "200"}).inc();
  EXPECT_EQ(&f->with({"/a", "200"}), &a);
  std::string route = "/a", status = "404";
  std::vector<std::string_view> views = {route, status};
  EXPECT_EQ(&f->with(std::span<const std::string_view>(views)), &b);  // built from other strings, same child
  a.inc(3);
  EXPECT_EQ(f->with({"/a", "200"}).value(), 3u);
  EXPECT_EQ(b.value(), 0u);
}

TEST(MetricsRegistry, InvalidUtf8LabelValuesAreStoredReplaced) {
  MetricsRegistry r;
  CounterFamily* f = ok(r.counter("c_total", "c", {"path"}));
  ASSERT_NE(f, nullptr);
  Counter& bad = f->with({"/a\xff"});
  EXPECT_EQ(&f->with({"/a\xff"}), &bad);  // still found again
  EXPECT_EQ(&f->with({"/a\xEF\xBF\xBD"}), &bad);
  auto snap = f->snapshot();
  ASSERT_EQ(snap.samples.size(), 1u);
  EXPECT_EQ(snap.samples[0].labelValues, (std::vector<std::string>{"/a\xEF\xBF\xBD"}));
}

TEST(MetricsRegistry, FamiliesWithoutLabelsExistFromTheStart) {
  MetricsRegistry r;
  ok(r.counter("plain_total", "p"));
  ok(r.counter("labelled_total", "l", {"x"}));
  auto all = r.snapshot();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "labelled_total");  // sorted by name
  EXPECT_TRUE(all[0].samples.empty());
  EXPECT_EQ(all[1].name, "plain_total");
  ASSERT_EQ(all[1].samples.size(), 1u);
  EXPECT_TRUE(all[1].samples[0].labelValues.empty());
  EXPECT_EQ(all[1].samples[0].value, 0);
}

TEST(MetricsRegistry, SnapshotSortsChildrenByLabelValues) {
  MetricsRegistry r;
  CounterFamily* f = ok(r.counter("c_total", "c", {"a", "b"}));
  ASSERT_NE(f, nullptr);
  f->with({"y", "1"}).inc(1);
  f->with({"x", "2"}).inc(2);
  f->with({"x", "10"}).inc(3);
  auto snap = f->snapshot();
  EXPECT_EQ(snap.type, MetricType::Counter);
  EXPECT_EQ(snap.labelNames, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(snap.samples.size(), 3u);
  EXPECT_EQ(snap.samples[0].labelValues, (std::vector<std::string>{"x", "10"}));  // string order, not numeric
  EXPECT_EQ(snap.samples[0].value, 3);
  EXPECT_EQ(snap.samples[1].labelValues, (std::vector<std::string>{"x", "2"}));
  EXPECT_EQ(snap.samples[2].labelValues, (std::vector<std::string>{"y", "1"}));
}

TEST(MetricsRegistry, HistogramSnapshotHasBoundsCountsAndSum) {
  MetricsRegistry r;
  HistogramFamily* h = ok(r.histogram("lat_seconds", "l", {"op"}, {0.1, 1, std::numeric_limits<double>::infinity()}));
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->bounds(), (std::vector<double>{0.1, 1}));  // the trailing +Inf is implied, dropped
  h->with({"get"}).observe(0.05);
  h->with({"get"}).observe(0.5);
  h->with({"get"}).observe(3);
  auto snap = h->snapshot();
  EXPECT_EQ(snap.type, MetricType::Histogram);
  EXPECT_EQ(snap.bounds, (std::vector<double>{0.1, 1}));
  ASSERT_EQ(snap.samples.size(), 1u);
  EXPECT_EQ(snap.samples[0].cumulativeCounts, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_DOUBLE_EQ(snap.samples[0].sum, 3.55);
}

TEST(MetricsRegistry, RejectsInvalidMetricNames) {
  MetricsRegistry r;
  for (std::string_view bad : {"", "1abc", "a-b", "a b", "__reserved", "é", "a.b"}) {
    auto e = r.counter(bad, "x");
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::Usage);
    EXPECT_NE(e.error().message.find("not a valid metric name"), std::string::npos) << e.error().message;
  }
  for (std::string_view good : {"a", "_a", "a:b_c9", "ns:sub:name_total", "A1"})
    EXPECT_TRUE(r.counter(good, "x")) << good;
}

TEST(MetricsRegistry, RejectsInvalidLabelNames) {
  MetricsRegistry r;
  for (std::string bad : {"", "1a", "a:b", "a-b", "__name__"}) {
    auto e = r.counter("m_total", "x", {"ok", bad});
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::Usage);
    EXPECT_EQ(e.error().message, "metric m_total: '" + bad + "' is not a valid label name");
  }
  auto twice = r.gauge("g", "x", {"a", "b", "a"});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "metric g: label a named twice");
  auto le = r.histogram("h_seconds", "x", {"le"});
  ASSERT_FALSE(le);
  EXPECT_EQ(le.error().message, "metric h_seconds: a histogram cannot have a label named le");
  EXPECT_TRUE(r.counter("le_ok_total", "x", {"le"}));  // only histograms reserve it
  // None of the failures registered anything.
  auto all = r.snapshot();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "le_ok_total");
}

TEST(MetricsRegistry, RejectsDuplicateNamesWhateverTheType) {
  MetricsRegistry r;
  CounterFamily* first = ok(r.counter("dup", "first"));
  auto again = r.counter("dup", "again");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "metric dup is already registered");
  EXPECT_FALSE(r.gauge("dup", "as gauge"));
  EXPECT_FALSE(r.histogram("dup", "as histogram"));
  auto all = r.snapshot();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].help, "first");
  EXPECT_EQ(&first->with({}), &first->with({}));
}

TEST(MetricsRegistry, RejectsNamesThatClashWithAHistogramsSeries) {
  MetricsRegistry r;
  ASSERT_TRUE(r.histogram("req_seconds", "h"));
  for (std::string_view clash : {"req_seconds_count", "req_seconds_sum", "req_seconds_bucket"}) {
    auto e = r.counter(clash, "c");
    ASSERT_FALSE(e) << clash;
    EXPECT_EQ(e.error().message, fmt::format("metric {} is a series of the histogram req_seconds", clash));
  }
  ASSERT_TRUE(r.counter("other_count", "c"));  // no histogram named "other"
  auto h = r.histogram("other", "h");
  ASSERT_FALSE(h);
  EXPECT_EQ(failure(h), "metric other: its series other_count is already a metric");
}

TEST(MetricsRegistry, RejectsBadHistogramBounds) {
  MetricsRegistry r;
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    std::vector<double> bounds;
    std::string message;
  } cases[] = {
      {{}, "a histogram needs at least one finite bucket bound"},
      {{inf}, "a histogram needs at least one finite bucket bound"},
      {{1, 1}, "histogram bucket bounds must be strictly increasing"},
      {{2, 1}, "histogram bucket bounds must be strictly increasing"},
      {{1, std::nan("")}, "histogram bucket bounds must be finite"},
      {{-inf, 1}, "histogram bucket bounds must be finite"},
      {{1, inf, inf}, "histogram bucket bounds must be finite"},
  };
  int i = 0;
  for (const auto& c : cases) {
    auto e = r.histogram(fmt::format("h{}", i++), "x", {}, c.bounds);
    EXPECT_EQ(failure(e), c.message) << i;
  }
  EXPECT_TRUE(r.snapshot().empty());
  EXPECT_TRUE(r.histogram("neg", "x", {}, {-1, 0, 1}));
}

TEST(MetricsRegistry, WrongNumberOfLabelValuesAborts) {
  MetricsRegistry r;
  CounterFamily* f = ok(r.counter("two_total", "x", {"a", "b"}));
  ASSERT_NE(f, nullptr);
  EXPECT_DEATH(f->with({"only one"}), "metric two_total takes 2 label values, 1 given");
}

TEST(MetricsRegistry, InvalidUtf8HelpIsReplaced) {
  MetricsRegistry r;
  ok(r.gauge("g", "bad \xC0 help"));
  EXPECT_EQ(r.snapshot()[0].help, "bad \xEF\xBF\xBD help");
}

// Counting is lock-free relaxed atomics: every increment must still land.
TEST(MetricsConcurrency, ThreadsCountExactly) {
  MetricsRegistry r;
  CounterFamily* counters = ok(r.counter("c_total", "c", {"worker"}));
  GaugeFamily* gauges = ok(r.gauge("g", "g"));
  HistogramFamily* hist = ok(r.histogram("h", "h", {}, {0.5, 1.5}));
  ASSERT_TRUE(counters && gauges && hist);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Counter& shared = counters->with({"shared"});  // looked up by every thread at once
      Counter& own = counters->with({fmt::format("w{}", t % 2)});
      for (int i = 0; i < kPerThread; ++i) {
        shared.inc();
        own.inc(2);
        gauges->with({}).inc();
        hist->with({}).observe(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counters->with({"shared"}).value(), std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(counters->with({"w0"}).value() + counters->with({"w1"}).value(), std::uint64_t{kThreads} * kPerThread * 2);
  EXPECT_EQ(gauges->with({}).value(), double{kThreads} * kPerThread);
  EXPECT_EQ(hist->with({}).cumulativeCounts(), (std::vector<std::uint64_t>{0, std::uint64_t{kThreads} * kPerThread,
                                                                           std::uint64_t{kThreads} * kPerThread}));
  EXPECT_EQ(hist->with({}).sum(), double{kThreads} * kPerThread);
  auto all = r.snapshot();
  const FamilySnapshot* c = find(all, "c_total");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->samples.size(), 3u);
}

// Children created from many threads at once: one child per label set.
TEST(MetricsConcurrency, ConcurrentCreationYieldsOneChildPerLabelSet) {
  MetricsRegistry r;
  CounterFamily* f = ok(r.counter("c_total", "c", {"k"}));
  ASSERT_NE(f, nullptr);
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<std::vector<Counter*>> seen(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        Counter& c = f->with({std::to_string(i)});
        c.inc();
        seen[t].push_back(&c);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(seen[t], seen[0]);
  auto snap = f->snapshot();
  ASSERT_EQ(snap.samples.size(), 500u);
  for (const auto& s : snap.samples) EXPECT_EQ(s.value, kThreads) << s.labelValues[0];
}

}  // namespace
}  // namespace wasmops::ops
