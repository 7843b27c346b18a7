#include "engine/MemoryReservation.h"

#include <spdlog/spdlog.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <mutex>

namespace wasmops::engine {
namespace {

std::atomic<int> gForced{-1};  // -1: probe

bool probe() {
  // An operator's switch (and the way to run the suites both ways).
  if (const char* v = std::getenv("WASMOPS_GUARD_PAGES"); v && std::string(v) == "0") return false;
  std::uint8_t* base = MemoryReservation::reserve();
  if (!base) {
    spdlog::warn("cannot reserve {} GiB of address space for a guard-page memory (ulimit -v?); "
                 "using explicit bounds checks, which are slower",
                 kReservationBytes >> 30);
    return false;
  }
  MemoryReservation::release(base);
  return true;
}

}  // namespace

bool MemoryReservation::available() {
  if (const int forced = gForced.load(); forced >= 0) return forced == 1;
  static const bool ok = probe();
  return ok;
}

void MemoryReservation::forceAvailable(bool available) { gForced.store(available ? 1 : 0); }

std::uint8_t* MemoryReservation::reserve() {
  void* p = ::mmap(nullptr, kReservationBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<std::uint8_t*>(p);
}

void MemoryReservation::release(std::uint8_t* base) {
  if (base) ::munmap(base, kReservationBytes);
}

}  // namespace wasmops::engine
