// poll_oneoff: wait until at least one subscription (a clock deadline, or an
// fd ready to read or write) is satisfied, then report all that are.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "wasi/Calls.h"
#include "wasi/IoVectors.h"

namespace wasmops::wasi::calls {
namespace {

constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;

// One guest subscription, copied out of guest memory before anything blocks.
struct Subscription {
  std::uint64_t userdata = 0;
  std::uint8_t tag = 0;
  clockid_t clock = CLOCK_MONOTONIC;  // clock subscriptions
  std::uint64_t timeout = 0;
  bool absolute = false;
  std::uint32_t fd = 0;  // fd_read / fd_write subscriptions
};

struct Event {
  std::uint64_t userdata = 0;
  Errno error = Errno::Success;
  std::uint8_t type = 0;
  std::uint64_t nbytes = 0;
  std::uint16_t flags = 0;
};

// A clock subscription as an absolute deadline on its own clock, so waking
// early (EINTR, rounding) only means recomputing what is left.
struct ClockWait {
  std::size_t sub;
  clockid_t clock;
  std::uint64_t deadline;
};

// An fd subscription whose readiness the host kernel has to tell us.
struct FdWait {
  std::size_t sub;
  std::uint8_t tag;
};

struct Plan {
  std::vector<std::optional<Event>> ready;  // indexed by subscription
  std::vector<ClockWait> clocks;
  std::vector<FdWait> fds;      // parallel to pollfds
  std::vector<pollfd> pollfds;
  bool anyReady = false;  // some subscription needs no waiting at all
};

Errno hostClock(std::uint32_t id, clockid_t& out) {
  switch (id) {
    case clockid::Realtime: out = CLOCK_REALTIME; return Errno::Success;
    case clockid::Monotonic: out = CLOCK_MONOTONIC; return Errno::Success;
    // CPU time does not advance while we sleep, so a timer on it could only
    // be emulated by spinning; refuse it rather than pretend.
    case clockid::ProcessCputime:
    case clockid::ThreadCputime: return Errno::NotSup;
    default: return Errno::Inval;
  }
}

Errno readSubscription(const GuestMemory& mem, std::uint32_t at, Subscription& sub) {
  sub.userdata = *mem.load<std::uint64_t>(at);
  sub.tag = *mem.load<std::uint8_t>(at + 8);
  switch (sub.tag) {
    case eventtype::Clock: {
      const std::uint16_t flags = *mem.load<std::uint16_t>(at + 40);
      if (flags & ~kSubclockAbstime) return Errno::Inval;  // subclockflags has one bit
      sub.absolute = (flags & kSubclockAbstime) != 0;
      sub.timeout = *mem.load<std::uint64_t>(at + 24);
      return hostClock(*mem.load<std::uint32_t>(at + 16), sub.clock);
    }
    case eventtype::FdRead:
    case eventtype::FdWrite: sub.fd = *mem.load<std::uint32_t>(at + 16); return Errno::Success;
    default: return Errno::Inval;
  }
}

Errno readSubscriptions(const GuestMemory& mem, std::uint32_t in, std::uint32_t count,
                        std::vector<Subscription>& subs) {
  subs.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASI_TRY(readSubscription(mem, in + i * layout::SubscriptionSize, subs[i]));
  }
  return Errno::Success;
}

Errno now(clockid_t clock, std::uint64_t& out) {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return fromHostErrno(errno);
  // Realtime before 1970 has no WASI timestamp; treat it as the epoch.
  out = ts.tv_sec < 0 ? 0 : static_cast<std::uint64_t>(ts.tv_sec) * kNanosPerSecond + static_cast<std::uint64_t>(ts.tv_nsec);
  return Errno::Success;
}

timespec toTimespec(std::uint64_t ns) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / kNanosPerSecond);
  ts.tv_nsec = static_cast<long>(ns % kNanosPerSecond);
  return ts;
}

std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

Event eventFor(const Subscription& sub, Errno error = Errno::Success) {
  Event ev;
  ev.userdata = sub.userdata;
  ev.type = sub.tag;
  ev.error = error;
  return ev;
}

// Bytes left between a regular file's offset and its end.
std::uint64_t fileBytesLeft(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  const off_t offset = ::lseek(fd, 0, SEEK_CUR);
  if (offset < 0 || offset >= st.st_size) return 0;
  return static_cast<std::uint64_t>(st.st_size - offset);
}

// Bytes queued on a pipe, socket or terminal; 0 where FIONREAD means nothing.
std::uint64_t queuedBytes(int fd) {
  int n = 0;
  if (::ioctl(fd, FIONREAD, &n) != 0 || n < 0) return 0;
  return static_cast<std::uint64_t>(n);
}

Errno planClock(std::size_t i, const Subscription& sub, Plan& plan) {
  std::uint64_t deadline = sub.timeout;
  if (!sub.absolute) {
    std::uint64_t t = 0;
    WASI_TRY(now(sub.clock, t));
    deadline = saturatingAdd(t, sub.timeout);
  }
  plan.clocks.push_back(ClockWait{i, sub.clock, deadline});
  return Errno::Success;
}

void markReady(Plan& plan, std::size_t i, const Event& ev) {
  plan.ready[i] = ev;
  plan.anyReady = true;
}

// An fd subscription's problems are that subscription's event, not a
// failure of the whole call: the other subscriptions still get answered.
void planFd(WasiContext& cx, std::size_t i, const Subscription& sub, Plan& plan) {
  FdEntry* entry = nullptr;
  const Errno err = cx.fds.get(sub.fd, rights::PollFdReadwrite, entry);
  if (err != Errno::Success) return markReady(plan, i, eventFor(sub, err));
  // Streams in host memory never block.
  if (entry->memory) {
    Event ev = eventFor(sub);
    if (sub.tag == eventtype::FdRead) ev.nbytes = entry->memory->available();
    return markReady(plan, i, ev);
  }
  // Regular files and directories never block (POSIX poll says the same).
  if (entry->type == filetype::RegularFile || entry->type == filetype::Directory) {
    Event ev = eventFor(sub);
    if (sub.tag == eventtype::FdRead && entry->type == filetype::RegularFile) {
      ev.nbytes = fileBytesLeft(entry->host.get());
    }
    return markReady(plan, i, ev);
  }
  const short events = sub.tag == eventtype::FdRead ? POLLIN : POLLOUT;
  plan.pollfds.push_back(pollfd{entry->host.get(), events, 0});
  plan.fds.push_back(FdWait{i, sub.tag});
}

Errno makePlan(WasiContext& cx, const std::vector<Subscription>& subs, Plan& plan) {
  plan.ready.resize(subs.size());
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (subs[i].tag == eventtype::Clock) {
      WASI_TRY(planClock(i, subs[i], plan));
    } else {
      planFd(cx, i, subs[i], plan);
    }
  }
  return Errno::Success;
}

// Nanoseconds until `c` expires (0 once it has).
Errno remaining(const ClockWait& c, std::uint64_t& out) {
  std::uint64_t t = 0;
  WASI_TRY(now(c.clock, t));
  out = c.deadline > t ? c.deadline - t : 0;
  return Errno::Success;
}

// The clock subscription that expires first, with how long it has left.
Errno earliest(const Plan& plan, const ClockWait*& which, std::uint64_t& left) {
  which = nullptr;
  left = std::numeric_limits<std::uint64_t>::max();
  for (const ClockWait& c : plan.clocks) {
    std::uint64_t r = 0;
    WASI_TRY(remaining(c, r));
    if (!which || r < left) {
      which = &c;
      left = r;
    }
  }
  return Errno::Success;
}

// Blocks in ppoll (nanosecond timeout, unlike poll's milliseconds) until an
// fd is ready or `timeout` passes; EINTR is not an error, just a wake-up.
Errno waitFds(Plan& plan, std::optional<std::uint64_t> timeout) {
  for (pollfd& p : plan.pollfds) p.revents = 0;
  timespec ts{};
  if (timeout) ts = toTimespec(*timeout);
  if (::ppoll(plan.pollfds.data(), plan.pollfds.size(), timeout ? &ts : nullptr, nullptr) < 0) {
    if (errno != EINTR) return fromHostErrno(errno);
  }
  return Errno::Success;
}

// Sleeps until `c`'s absolute deadline on its own clock, so a realtime
// deadline follows clock adjustments and an interrupted sleep loses nothing.
Errno sleepUntil(const ClockWait& c) {
  const timespec ts = toTimespec(c.deadline);
  const int rc = ::clock_nanosleep(c.clock, TIMER_ABSTIME, &ts, nullptr);
  return rc == 0 || rc == EINTR ? Errno::Success : fromHostErrno(rc);
}

// POLLERR carries no errno. Reading SO_ERROR would consume the socket's
// pending error before the guest's own recv/send could see it, so name the
// one case we know (a pipe whose read end is gone) and call the rest EIO.
Errno pollErrorToWasi(int fd) {
  struct stat st {};
  const bool fifo = ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
  return fifo ? Errno::Pipe : Errno::Io;
}

Event fdEvent(const Subscription& sub, const pollfd& p) {
  if (p.revents & POLLNVAL) return eventFor(sub, Errno::Badf);
  if (p.revents & POLLERR) return eventFor(sub, pollErrorToWasi(p.fd));
  Event ev = eventFor(sub);
  if (p.revents & POLLHUP) ev.flags = kEventFdReadwriteHangup;
  if (sub.tag == eventtype::FdRead) ev.nbytes = queuedBytes(p.fd);
  return ev;
}

// Everything ready now: the plan's immediate events, fds with revents, and
// every clock whose deadline has passed.
Errno collect(const std::vector<Subscription>& subs, const Plan& plan, std::vector<Event>& events) {
  std::vector<std::optional<Event>> ready = plan.ready;
  for (std::size_t k = 0; k < plan.fds.size(); ++k) {
    const pollfd& p = plan.pollfds[k];
    if (p.revents != 0) ready[plan.fds[k].sub] = fdEvent(subs[plan.fds[k].sub], p);
  }
  for (const ClockWait& c : plan.clocks) {
    std::uint64_t left = 0;
    WASI_TRY(remaining(c, left));
    if (left == 0) ready[c.sub] = eventFor(subs[c.sub]);
  }
  events.clear();
  for (const std::optional<Event>& ev : ready) {
    if (ev) events.push_back(*ev);
  }
  return Errno::Success;
}

Errno waitOnce(Plan& plan) {
  const ClockWait* first = nullptr;
  std::uint64_t left = 0;
  WASI_TRY(earliest(plan, first, left));
  if (!plan.pollfds.empty()) {
    // Something is already ready: only sample the fds, never block.
    std::optional<std::uint64_t> timeout;
    if (plan.anyReady) {
      timeout = 0;
    } else if (first) {
      timeout = left;
    }
    return waitFds(plan, timeout);
  }
  if (plan.anyReady || !first) return Errno::Success;
  return sleepUntil(*first);
}

Errno waitForEvents(const std::vector<Subscription>& subs, Plan& plan, std::vector<Event>& events) {
  for (;;) {
    WASI_TRY(waitOnce(plan));
    WASI_TRY(collect(subs, plan, events));
    if (!events.empty()) return Errno::Success;
    // Woken early (a signal, or a timeout rounded short): wait for the rest.
  }
}

void writeEvent(const GuestMemory& mem, std::uint32_t at, const Event& ev) {
  std::memset(mem.bytes(at, layout::EventSize)->data(), 0, layout::EventSize);  // padding too
  mem.store<std::uint64_t>(at, ev.userdata);
  mem.store<std::uint16_t>(at + 8, static_cast<std::uint16_t>(ev.error));
  mem.store<std::uint8_t>(at + 10, ev.type);
  mem.store<std::uint64_t>(at + 16, ev.nbytes);
  mem.store<std::uint16_t>(at + 24, ev.flags);
}

}  // namespace

Errno pollOneoff(WasiContext& cx, Args a) {
  const GuestMemory& mem = cx.memory;
  const std::uint32_t in = a[0].i32, out = a[1].i32, count = a[2].i32, neventsPtr = a[3].i32;
  if (count == 0) return Errno::Inval;  // would block forever with nothing to wake it
  // Check every byte we will touch before reading or waiting, so a bad
  // pointer fails without side effects.
  if (!mem.inBounds(in, static_cast<std::uint64_t>(count) * layout::SubscriptionSize) ||
      !mem.inBounds(out, static_cast<std::uint64_t>(count) * layout::EventSize) ||
      !mem.inBounds(neventsPtr, sizeof(std::uint32_t))) {
    return Errno::Fault;
  }
  std::vector<Subscription> subs;
  WASI_TRY(readSubscriptions(mem, in, count, subs));
  Plan plan;
  WASI_TRY(makePlan(cx, subs, plan));
  std::vector<Event> events;
  WASI_TRY(waitForEvents(subs, plan, events));
  for (std::size_t i = 0; i < events.size(); ++i) {
    writeEvent(mem, out + static_cast<std::uint32_t>(i) * layout::EventSize, events[i]);
  }
  return storeResult(mem, neventsPtr, static_cast<std::uint32_t>(events.size()));
}

}  // namespace wasmops::wasi::calls
