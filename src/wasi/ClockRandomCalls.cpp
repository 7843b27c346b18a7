// Clocks, randomness, scheduling and signals.
#include <sched.h>

#include <cerrno>
#include <ctime>

#include "wasi/Calls.h"
#include "wasi/HostEntropy.h"
#include "wasi/IoVectors.h"

namespace wasmops::wasi::calls {
namespace {

bool hostClock(std::uint32_t id, clockid_t& out) {
  switch (id) {
    case clockid::Realtime: out = CLOCK_REALTIME; return true;
    case clockid::Monotonic: out = CLOCK_MONOTONIC; return true;
    case clockid::ProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case clockid::ThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

std::uint64_t nanoseconds(const timespec& ts) {
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

Errno clockResGet(WasiContext& cx, Args a) {
  clockid_t id;
  if (!hostClock(a[0].i32, id)) return Errno::Inval;
  timespec ts{};
  if (::clock_getres(id, &ts) != 0) return fromHostErrno(errno);
  return storeResult64(cx.memory, a[1].i32, nanoseconds(ts));
}

Errno clockTimeGet(WasiContext& cx, Args a) {
  clockid_t id;
  if (!hostClock(a[0].i32, id)) return Errno::Inval;
  timespec ts{};
  if (::clock_gettime(id, &ts) != 0) return fromHostErrno(errno);
  return storeResult64(cx.memory, a[2].i32, nanoseconds(ts));  // a[1]: precision, a hint
}

Errno randomGet(WasiContext& cx, Args a) {
  auto buf = cx.memory.bytes(a[0].i32, a[1].i32);
  if (!buf) return Errno::Fault;
  return fillRandom(*buf);
}

Errno schedYield(WasiContext&, Args) {
  ::sched_yield();
  return Errno::Success;
}

// A guest may not signal the host process; wasmtime refuses it too.
Errno procRaise(WasiContext&, Args) { return Errno::NotSup; }

}  // namespace wasmops::wasi::calls
