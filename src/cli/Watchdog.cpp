#include "cli/Watchdog.h"

#include <unistd.h>

#include <cstdio>

namespace wasmops::cli {

namespace {
constexpr std::chrono::milliseconds kGrace{1000};
}

Watchdog::Watchdog(engine::Store& store, std::chrono::milliseconds timeout, std::string message)
    : message_(std::move(message)), thread_([this, &store, timeout] { watch(store, timeout); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool Watchdog::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

void Watchdog::watch(engine::Store& store, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, timeout, [this] { return done_; })) return;
  fired_ = true;
  store.interrupt();
  if (cv_.wait_for(lock, kGrace, [this] { return done_; })) return;
  // Still inside a host call: nothing of the guest can be saved, end here.
  std::fprintf(stderr, "%s\n", message_.c_str());
  std::fflush(stdout);
  ::_exit(kTimeoutExitStatus);
}

}  // namespace wasmops::cli
