#pragma once
// --timeout: interrupts the guest's store when the deadline passes. A guest
// blocked inside a host call (a read, a sleep) cannot see the interrupt, so
// after a grace period the watchdog ends the process itself with status 124.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/Runtime.h"

namespace wasmops::cli {

inline constexpr int kTimeoutExitStatus = 124;

class Watchdog {
 public:
  Watchdog(engine::Store& store, std::chrono::milliseconds timeout, std::string message);
  ~Watchdog();  // stops the watchdog (the guest finished)
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  bool fired() const;

 private:
  void watch(engine::Store& store, std::chrono::milliseconds timeout);
  std::string message_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace wasmops::cli
