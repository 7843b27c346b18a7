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
    // Only a deadline earlier than the thread's next wake-up needs it woken:
    // under load (many arms a second, each a few ms out) that is rare, and
    // each notify would cost the timer thread a context switch.
    if (epoch < wakeEpoch_) cv_.notify_all();
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
    int idleTicks = 0;
    for (;;) {
      if (queue_.empty()) {
        // Keep ticking for a while after the last deadline went, so that
        // a server arming one deadline per request does not have to wake
        // a sleeping thread for each.
        if (idleTicks < kIdleTicksBeforeSleep) {
          ++idleTicks;
          wakeEpoch_ = EpochClock::now() + 1;
          cv_.wait_until(lock, timeOf(wakeEpoch_));
        } else {
          wakeEpoch_ = UINT64_MAX;
          cv_.wait(lock);
          idleTicks = 0;
        }
        continue;
      }
      idleTicks = 0;
      const auto [epoch, target] = *queue_.begin();
      if (EpochClock::now() < epoch) {
        wakeEpoch_ = epoch;
        cv_.wait_until(lock, timeOf(epoch));
        continue;
      }
      queue_.erase(queue_.begin());
      byTarget_.erase(target);
      // Under the lock: a target disarms (in its destructor) under it too.
      target->deadlineReached();
    }
  }

  static constexpr int kIdleTicksBeforeSleep = 100;

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::pair<std::uint64_t, DeadlineTarget*>> queue_;
  std::map<DeadlineTarget*, std::uint64_t> byTarget_;
  std::thread thread_;
  std::uint64_t wakeEpoch_ = UINT64_MAX;  // when the thread wakes next; UINT64_MAX: only when notified
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
