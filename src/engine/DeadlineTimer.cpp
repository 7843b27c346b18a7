#include "engine/DeadlineTimer.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "engine/Store.h"

namespace wasmops::engine {
namespace {

using Clock = std::chrono::steady_clock;

const Clock::time_point& origin() {
  static const Clock::time_point start = Clock::now();
  return start;
}

std::atomic<std::int64_t> gPeriodNs{1'000'000};

Clock::time_point timeOf(std::uint64_t epoch) {
  return origin() + std::chrono::nanoseconds(static_cast<std::int64_t>(epoch) * gPeriodNs.load());
}

// The armed deadlines, earliest first, and the thread that fires them.
class Timer {
 public:
  static Timer& instance() {
    static Timer* timer = new Timer();  // never destroyed: stores may outlive static destruction
    return *timer;
  }

  void arm(Store& store, std::uint64_t epoch) {
    std::lock_guard lock(mu_);
    eraseLocked(store);
    if (epoch == 0) return;
    byStore_[&store] = epoch;
    queue_.insert({epoch, &store});
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    if (queue_.begin()->second == &store) cv_.notify_all();  // a new earliest deadline
  }

  void disarm(Store& store) {
    std::lock_guard lock(mu_);
    eraseLocked(store);
  }

 private:
  void eraseLocked(Store& store) {
    auto it = byStore_.find(&store);
    if (it == byStore_.end()) return;
    queue_.erase({it->second, &store});
    byStore_.erase(it);
  }

  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) {
        cv_.wait(lock);
        continue;
      }
      const auto [epoch, store] = *queue_.begin();
      if (EpochClock::now() < epoch) {
        cv_.wait_until(lock, timeOf(epoch));
        continue;
      }
      queue_.erase(queue_.begin());
      byStore_.erase(store);
      // Under the lock: a store disarms (in its destructor) under it too.
      store->deadlineReached();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::pair<std::uint64_t, Store*>> queue_;
  std::map<Store*, std::uint64_t> byStore_;
  std::thread thread_;
};

}  // namespace

std::chrono::nanoseconds EpochClock::period() { return std::chrono::nanoseconds(gPeriodNs.load()); }

void EpochClock::setPeriod(std::chrono::nanoseconds period) {
  gPeriodNs.store(std::max<std::int64_t>(period.count(), 100'000));
}

std::uint64_t EpochClock::now() {
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin()).count();
  return static_cast<std::uint64_t>(elapsed / gPeriodNs.load());
}

std::uint64_t EpochClock::epochAfter(std::chrono::nanoseconds d) {
  const auto at = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin()).count() +
                  std::max<std::int64_t>(d.count(), 0);
  const auto period = gPeriodNs.load();
  return static_cast<std::uint64_t>((at + period - 1) / period);
}

void DeadlineTimer::arm(Store& store, std::uint64_t epoch) { Timer::instance().arm(store, epoch); }
void DeadlineTimer::disarm(Store& store) { Timer::instance().disarm(store); }

}  // namespace wasmops::engine
