#include "engine/DeadlineTimer.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>


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

  void arm(DeadlineTarget& target, std::uint64_t epoch) {
    std::lock_guard lock(mu_);
    eraseLocked(target);
    if (epoch == 0) return;
    byTarget_[&target] = epoch;
    queue_.insert({epoch, &target});
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    if (queue_.begin()->second == &target) cv_.notify_all();  // a new earliest deadline
  }

  void disarm(DeadlineTarget& target) {
    std::lock_guard lock(mu_);
    eraseLocked(target);
  }

 private:
  void eraseLocked(DeadlineTarget& target) {
    auto it = byTarget_.find(&target);
    if (it == byTarget_.end()) return;
    queue_.erase({it->second, &target});
    byTarget_.erase(it);
  }

  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) {
        cv_.wait(lock);
        continue;
      }
      const auto [epoch, target] = *queue_.begin();
      if (EpochClock::now() < epoch) {
        cv_.wait_until(lock, timeOf(epoch));
        continue;
      }
      queue_.erase(queue_.begin());
      byTarget_.erase(target);
      // Under the lock: a target disarms (in its destructor) under it too.
      target->deadlineReached();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::pair<std::uint64_t, DeadlineTarget*>> queue_;
  std::map<DeadlineTarget*, std::uint64_t> byTarget_;
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

std::uint64_t EpochClock::ticksFor(std::chrono::nanoseconds d) {
  const auto period = gPeriodNs.load();
  return static_cast<std::uint64_t>(std::max<std::int64_t>(1, (d.count() + period - 1) / period));
}

void DeadlineTimer::arm(DeadlineTarget& target, std::uint64_t epoch) { Timer::instance().arm(target, epoch); }
void DeadlineTimer::disarm(DeadlineTarget& target) { Timer::instance().disarm(target); }

}  // namespace wasmops::engine
