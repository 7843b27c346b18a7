#pragma once
// Epochs and deadlines (DESIGN.md §4). The epoch is a process-wide count of
// ticks (1 ms by default) since the engine first looked at the clock; a
// store's deadline is an epoch. Guest code checks one word at every function
// entry and loop header (the store's stack limit, through its context);
// when a store's deadline passes, the one timer thread of the process sets
// that word so the check fails, and the runtime asks the store what to do:
// trap, or go on with a later deadline. The thread sleeps until the earliest
// deadline, so idle stores cost nothing and 10,000 stores cost one thread.
#include <chrono>
#include <cstdint>

namespace wasmops::engine {

// What the timer fires (a Store): called on the timer thread, under its lock.
class DeadlineTarget {
 public:
  virtual void deadlineReached() = 0;

 protected:
  ~DeadlineTarget() = default;
};

class EpochClock {
 public:
  static std::chrono::nanoseconds period();
  // Sets the tick length (at least 100 us). Epochs count ticks of the
  // current length: set it before any deadline is armed.
  static void setPeriod(std::chrono::nanoseconds period);
  static std::uint64_t now();
  // The first epoch that begins at least `d` from now.
  static std::uint64_t epochAfter(std::chrono::nanoseconds d);
  // `d` in ticks, rounded up, at least one.
  static std::uint64_t ticksFor(std::chrono::nanoseconds d);
};

class DeadlineTimer {
 public:
  // Arms (or re-arms) `target`'s deadline at `epoch`; 0 disarms it.
  static void arm(DeadlineTarget& target, std::uint64_t epoch);
  static void disarm(DeadlineTarget& target);
};

}  // namespace wasmops::engine
