#pragma once
// Traps: generated code and the runtime's services raise a trap by
// siglongjmp to the host->guest entry that is live on this thread
// (Store::call), which turns it into a Trap. Also the per-thread stack limit
// that the check at every function entry compares against.
#include <setjmp.h>

#include <array>
#include <cstdint>
#include <string>

#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

// Whose guest runs under a host->guest entry (a Store): asked by the fault
// handler, so it must only read.
class FaultOwner {
 public:
  // Whether `addr` is in one of its memory reservations and `pc` in code of
  // one of its modules.
  virtual bool ownsGuestFault(std::uintptr_t addr, std::uintptr_t pc) const = 0;

 protected:
  ~FaultOwner() = default;
};

struct TrapTarget {
  sigjmp_buf buf;
  const FaultOwner* owner = nullptr;  // whose guest runs under this entry
  int code = 0;
  std::string message;
  wasmops_ctx* ctx = nullptr;  // instance whose code trapped
  const void* pc = nullptr;    // a return address inside that code
  std::array<void*, 48> frames{};  // native return addresses at the trap, for the wasm backtrace
  int frameCount = 0;
  std::array<void*, 48> fpFrames{};  // the same from the frame-pointer chain (tcc's code has no unwind tables)
  int fpFrameCount = 0;
};

// The innermost host->guest entry of this thread (null outside guest code).
extern thread_local TrapTarget* tlTrapTarget;

// Records the native frames at a trap in `target` (both the unwinder's view
// and the frame-pointer chain, which tcc's code keeps), for the backtrace.
void captureTrapFrames(TrapTarget& target);

[[noreturn]] void raiseTrap(int code);

// The lowest address guest code may use on this thread's stack, with room
// below it for the trap path and host code; on a guest task's fiber, that
// fiber's (set by GuestTask).
std::uintptr_t threadStackLimit();
void setFiberStackLimit(std::uintptr_t limit);  // 0: the thread's own stack
std::uintptr_t fiberStackLimit();

// Guard pages: a SIGSEGV/SIGBUS becomes an out-of-bounds trap only when
// this thread is in a guest call, the faulting instruction is in code of a
// module of that store and the address is inside one of its memory
// reservations; anything else goes on to the handler that was there before
// (a host bug still crashes as a bug). Installed once per process.
void installFaultHandler();
// An alternate signal stack for this thread (once per thread), so that the
// handler runs even when the fault is a stack overflow.
void ensureAltStack();

}  // namespace wasmops::engine
