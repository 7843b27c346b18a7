#pragma once
// Address-space reservations for guard-page memories (DESIGN.md §4): the
// 4 GiB a 32-bit memory can address plus a 2 GiB guard, all inaccessible
// until the memory grows into it. Where the reservation cannot be had
// (`ulimit -v`, a small address space, vm.overcommit settings), the engine
// builds explicit-check artifacts instead and says so once.
#include <cstdint>

namespace wasmops::engine {

inline constexpr std::uint64_t kGuardBytes = std::uint64_t{2} << 30;
inline constexpr std::uint64_t kReservationBytes = (std::uint64_t{4} << 30) + kGuardBytes;

class MemoryReservation {
 public:
  // Whether this process can make reservations: one tried at first use
  // (warning once on stderr when not). Tests may force the answer.
  static bool available();
  static void forceAvailable(bool available);
  // kReservationBytes of inaccessible address space, or null.
  static std::uint8_t* reserve();
  static void release(std::uint8_t* base);
};

}  // namespace wasmops::engine
