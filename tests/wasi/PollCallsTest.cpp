#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "base/UniqueFd.h"
#include "wasi/Calls.h"

namespace wasmops::wasi {

// Failures show the WASI errno number, not raw bytes. Inline and identical
// in each test file that needs it, so one binary may hold several copies.
inline void PrintTo(Errno e, std::ostream* os) { *os << "Errno(" << static_cast<int>(e) << ")"; }

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kIn = 0x100;       // subscriptions
constexpr std::uint32_t kOut = 0x1000;     // events
constexpr std::uint32_t kNevents = 0x2000; // u32 result
constexpr std::uint64_t kMs = 1'000'000;   // nanoseconds

struct GuestEvent {
  std::uint64_t userdata;
  std::uint16_t error;
  std::uint8_t type;
  std::uint64_t nbytes;
  std::uint16_t flags;
};

std::uint64_t clockNow(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

struct Pipe {
  UniqueFd read, write;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

class PollCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    buf_.assign(std::size_t{64} * 1024, 0);
    mem_ = wasmops_memory{buf_.data(), buf_.size(), 1};
    cx_.memory = GuestMemory(&mem_);
  }

  template <typename T>
  void put(std::uint32_t at, T v) {
    std::memcpy(buf_.data() + at, &v, sizeof v);
  }
  template <typename T>
  T get(std::uint32_t at) const {
    T v;
    std::memcpy(&v, buf_.data() + at, sizeof v);
    return v;
  }

  // Subscription `i` of the array at kIn.
  void clockSub(std::uint32_t i, std::uint64_t userdata, std::uint32_t id, std::uint64_t timeout,
                std::uint16_t flags = 0) {
    const std::uint32_t at = kIn + i * layout::SubscriptionSize;
    std::memset(buf_.data() + at, 0, layout::SubscriptionSize);
    put<std::uint64_t>(at, userdata);
    put<std::uint8_t>(at + 8, eventtype::Clock);
    put<std::uint32_t>(at + 16, id);
    put<std::uint64_t>(at + 24, timeout);
    put<std::uint64_t>(at + 32, 0);
    put<std::uint16_t>(at + 40, flags);
  }
  void fdSub(std::uint32_t i, std::uint64_t userdata, std::uint8_t tag, std::uint32_t fd) {
    const std::uint32_t at = kIn + i * layout::SubscriptionSize;
    std::memset(buf_.data() + at, 0, layout::SubscriptionSize);
    put<std::uint64_t>(at, userdata);
    put<std::uint8_t>(at + 8, tag);
    put<std::uint32_t>(at + 16, fd);
  }
  GuestEvent event(std::uint32_t i) const {
    const std::uint32_t at = kOut + i * layout::EventSize;
    return GuestEvent{get<std::uint64_t>(at), get<std::uint16_t>(at + 8), get<std::uint8_t>(at + 10),
                      get<std::uint64_t>(at + 16), get<std::uint16_t>(at + 24)};
  }

  std::uint32_t addFd(UniqueFd fd, std::uint8_t type, std::uint64_t base = rights::All) {
    FdEntry e;
    e.host = std::move(fd);
    e.type = type;
    e.base = base;
    std::uint32_t n = 0;
    EXPECT_EQ(cx_.fds.insert(std::move(e), n), Errno::Success);
    return n;
  }

  Errno poll(std::uint32_t n, std::uint32_t in = kIn, std::uint32_t out = kOut, std::uint32_t nev = kNevents) {
    wasmops_val a[4];
    a[0].i32 = in;
    a[1].i32 = out;
    a[2].i32 = n;
    a[3].i32 = nev;
    return calls::pollOneoff(cx_, a);
  }
  std::uint32_t nevents() const { return get<std::uint32_t>(kNevents); }

  std::vector<std::uint8_t> buf_;
  wasmops_memory mem_{};
  WasiContext cx_;
};

TEST_F(PollCallsTest, ZeroSubscriptionsIsInval) {
  put<std::uint32_t>(kNevents, 77);
  EXPECT_EQ(poll(0), Errno::Inval);
  EXPECT_EQ(nevents(), 77u);
}

TEST_F(PollCallsTest, OutOfBoundsRangesFaultWithoutTouchingMemory) {
  clockSub(0, 1, clockid::Monotonic, 0);
  const auto size = static_cast<std::uint32_t>(buf_.size());
  // Fill the rest of memory so any stray write would show.
  std::memset(buf_.data() + kOut, 0xab, buf_.size() - kOut);
  const std::vector<std::uint8_t> before = buf_;
  EXPECT_EQ(poll(1, size - 47), Errno::Fault);                   // subscription crosses the end
  EXPECT_EQ(poll(1, kIn, size - 31), Errno::Fault);              // event crosses the end
  EXPECT_EQ(poll(2, kIn, size - 40), Errno::Fault);              // second event does
  EXPECT_EQ(poll(1, kIn, kOut, size - 3), Errno::Fault);         // nevents crosses the end
  EXPECT_EQ(poll(1, 0xffffffffu, kOut), Errno::Fault);           // wraps in 32 bits
  EXPECT_EQ(poll(0x10000000u), Errno::Fault);                    // count * 48 beyond memory
  EXPECT_EQ(buf_, before);
}

TEST_F(PollCallsTest, UnknownTagIsInval) {
  clockSub(0, 1, clockid::Monotonic, 0);
  fdSub(1, 2, 3, 0);
  put<std::uint32_t>(kNevents, 77);
  EXPECT_EQ(poll(2), Errno::Inval);
  EXPECT_EQ(nevents(), 77u);
}

TEST_F(PollCallsTest, ClockIdsAndFlagsAreValidated) {
  clockSub(0, 1, 9, 0);
  EXPECT_EQ(poll(1), Errno::Inval);
  clockSub(0, 1, clockid::Monotonic, 0, 2);  // subclockflags has only abstime
  EXPECT_EQ(poll(1), Errno::Inval);
  clockSub(0, 1, clockid::ProcessCputime, 0);
  EXPECT_EQ(poll(1), Errno::NotSup);
  clockSub(0, 1, clockid::ThreadCputime, 0);
  EXPECT_EQ(poll(1), Errno::NotSup);
}

TEST_F(PollCallsTest, RelativeMonotonicTimeoutSleeps) {
  clockSub(0, 0x1234, clockid::Monotonic, 30 * kMs);
  const auto start = Clock::now();
  ASSERT_EQ(poll(1), Errno::Success);
  EXPECT_GE(Clock::now() - start, milliseconds(30));
  ASSERT_EQ(nevents(), 1u);
  const GuestEvent ev = event(0);
  EXPECT_EQ(ev.userdata, 0x1234u);
  EXPECT_EQ(ev.error, 0);
  EXPECT_EQ(ev.type, eventtype::Clock);
}

TEST_F(PollCallsTest, RelativeRealtimeTimeoutSleeps) {
  clockSub(0, 5, clockid::Realtime, 20 * kMs);
  const auto start = Clock::now();
  ASSERT_EQ(poll(1), Errno::Success);
  EXPECT_GE(Clock::now() - start, milliseconds(19));
  EXPECT_EQ(nevents(), 1u);
}

TEST_F(PollCallsTest, AbsoluteTimeoutsWaitUntilTheDeadline) {
  for (const std::uint32_t id : {clockid::Monotonic, clockid::Realtime}) {
    const clockid_t host = id == clockid::Monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME;
    const std::uint64_t deadline = clockNow(host) + 30 * kMs;
    clockSub(0, 9, id, deadline, kSubclockAbstime);
    ASSERT_EQ(poll(1), Errno::Success) << id;
    EXPECT_GE(clockNow(host), deadline) << id;
    EXPECT_EQ(nevents(), 1u);
    EXPECT_EQ(event(0).userdata, 9u);
  }
}

TEST_F(PollCallsTest, AbsoluteDeadlineInThePastFiresAtOnce) {
  clockSub(0, 3, clockid::Monotonic, 1, kSubclockAbstime);
  const auto start = Clock::now();
  ASSERT_EQ(poll(1), Errno::Success);
  EXPECT_LT(Clock::now() - start, milliseconds(500));
  EXPECT_EQ(nevents(), 1u);
}

TEST_F(PollCallsTest, OnlyTheClocksThatExpiredAreReported) {
  clockSub(0, 1, clockid::Monotonic, 3600'000 * kMs);  // an hour
  clockSub(1, 2, clockid::Monotonic, 2000 * kMs);  // far enough that a loaded machine does not reach it
  clockSub(2, 3, clockid::Realtime, 0);                  // already expired
  ASSERT_EQ(poll(3), Errno::Success);
  ASSERT_EQ(nevents(), 1u);  // the 0 timeout fires, the 2 s one has not
  EXPECT_EQ(event(0).userdata, 3u);

  clockSub(2, 3, clockid::Realtime, 10 * kMs, 0);
  clockSub(1, 2, clockid::Monotonic, 10 * kMs);
  ASSERT_EQ(poll(3), Errno::Success);
  ASSERT_GE(nevents(), 1u);
  for (std::uint32_t i = 0; i < nevents(); ++i) EXPECT_NE(event(i).userdata, 1u);
}

TEST_F(PollCallsTest, SeveralExpiredClocksAreAllReported) {
  clockSub(0, 1, clockid::Monotonic, 0);
  clockSub(1, 2, clockid::Realtime, 1, kSubclockAbstime);
  clockSub(2, 3, clockid::Monotonic, 0);
  ASSERT_EQ(poll(3), Errno::Success);
  ASSERT_EQ(nevents(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(event(i).userdata, i + 1);
}

TEST_F(PollCallsTest, PipeWithDataIsReadableWithItsByteCount) {
  Pipe p;
  ASSERT_EQ(::write(p.write.get(), "hello", 5), 5);
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  fdSub(0, 42, eventtype::FdRead, fd);
  clockSub(1, 43, clockid::Monotonic, 3600'000 * kMs);
  ASSERT_EQ(poll(2), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  const GuestEvent ev = event(0);
  EXPECT_EQ(ev.userdata, 42u);
  EXPECT_EQ(ev.error, 0);
  EXPECT_EQ(ev.type, eventtype::FdRead);
  EXPECT_EQ(ev.nbytes, 5u);
  EXPECT_EQ(ev.flags, 0);
}

TEST_F(PollCallsTest, EmptyPipeTimesOut) {
  Pipe p;
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  fdSub(0, 42, eventtype::FdRead, fd);
  clockSub(1, 43, clockid::Monotonic, 20 * kMs);
  const auto start = Clock::now();
  ASSERT_EQ(poll(2), Errno::Success);
  EXPECT_GE(Clock::now() - start, milliseconds(20));
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).userdata, 43u);
  EXPECT_EQ(event(0).type, eventtype::Clock);
}

TEST_F(PollCallsTest, ClosedWriterIsAHangup) {
  Pipe p;
  p.write.reset();
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  fdSub(0, 42, eventtype::FdRead, fd);
  ASSERT_EQ(poll(1), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).error, 0);
  EXPECT_EQ(event(0).flags, kEventFdReadwriteHangup);
  EXPECT_EQ(event(0).nbytes, 0u);
}

TEST_F(PollCallsTest, WritingToAPipeWithoutReaderReportsPipe) {
  Pipe p;
  p.read.reset();
  const std::uint32_t fd = addFd(std::move(p.write), filetype::Unknown);
  fdSub(0, 42, eventtype::FdWrite, fd);
  ASSERT_EQ(poll(1), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).error, static_cast<std::uint16_t>(Errno::Pipe));
  EXPECT_EQ(event(0).type, eventtype::FdWrite);
}

TEST_F(PollCallsTest, WaitsForDataThatArrivesLater) {
  Pipe p;
  const int writer = p.write.get();
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  fdSub(0, 42, eventtype::FdRead, fd);
  clockSub(1, 43, clockid::Monotonic, 10'000 * kMs);
  std::thread t([writer] {
    std::this_thread::sleep_for(milliseconds(30));
    EXPECT_EQ(::write(writer, "xyz", 3), 3);
  });
  const auto start = Clock::now();
  ASSERT_EQ(poll(2), Errno::Success);
  t.join();
  EXPECT_GE(Clock::now() - start, milliseconds(25));
  EXPECT_LT(Clock::now() - start, milliseconds(5000));
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).userdata, 42u);
  EXPECT_EQ(event(0).nbytes, 3u);
}

TEST_F(PollCallsTest, EverythingReadyIsReportedInSubscriptionOrder) {
  Pipe a, b;
  ASSERT_EQ(::write(a.write.get(), "1234", 4), 4);
  const std::uint32_t readable = addFd(std::move(a.read), filetype::Unknown);
  const std::uint32_t writable = addFd(std::move(b.write), filetype::Unknown);
  Pipe idle;
  const std::uint32_t notReady = addFd(std::move(idle.read), filetype::Unknown);
  clockSub(0, 10, clockid::Monotonic, 3600'000 * kMs);
  fdSub(1, 11, eventtype::FdRead, readable);
  fdSub(2, 12, eventtype::FdRead, notReady);
  fdSub(3, 13, eventtype::FdWrite, writable);
  fdSub(4, 14, eventtype::FdRead, 999);  // no such fd
  clockSub(5, 15, clockid::Monotonic, 0);
  fdSub(6, 16, eventtype::FdWrite, readable);  // the read end of a pipe never becomes writable
  ASSERT_EQ(poll(7), Errno::Success);
  ASSERT_EQ(nevents(), 4u);
  EXPECT_EQ(event(0).userdata, 11u);
  EXPECT_EQ(event(0).nbytes, 4u);
  EXPECT_EQ(event(1).userdata, 13u);
  EXPECT_EQ(event(1).type, eventtype::FdWrite);
  EXPECT_EQ(event(1).error, 0);
  EXPECT_EQ(event(2).userdata, 14u);
  EXPECT_EQ(event(2).error, static_cast<std::uint16_t>(Errno::Badf));
  EXPECT_EQ(event(2).type, eventtype::FdRead);
  EXPECT_EQ(event(3).userdata, 15u);
  EXPECT_EQ(event(3).type, eventtype::Clock);
}

TEST_F(PollCallsTest, BadFdIsAnEventNotAFailure) {
  fdSub(0, 7, eventtype::FdWrite, 12345);
  clockSub(1, 8, clockid::Monotonic, 3600'000 * kMs);
  const auto start = Clock::now();
  ASSERT_EQ(poll(2), Errno::Success);
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).userdata, 7u);
  EXPECT_EQ(event(0).error, static_cast<std::uint16_t>(Errno::Badf));
  EXPECT_EQ(event(0).type, eventtype::FdWrite);
}

TEST_F(PollCallsTest, MissingPollRightIsNotCapable) {
  Pipe p;
  const std::uint32_t fd = addFd(std::move(p.write), filetype::Unknown, rights::FdWrite);
  fdSub(0, 7, eventtype::FdWrite, fd);
  ASSERT_EQ(poll(1), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).error, static_cast<std::uint16_t>(Errno::NotCapable));
}

TEST_F(PollCallsTest, RegularFilesAreReadyWithBytesLeftToRead) {
  char path[] = "/tmp/wasmops-poll-XXXXXX";
  UniqueFd file(::mkstemp(path));
  ASSERT_TRUE(file);
  ::unlink(path);
  const std::string data(100, 'x');
  ASSERT_EQ(::write(file.get(), data.data(), data.size()), 100);
  ASSERT_EQ(::lseek(file.get(), 40, SEEK_SET), 40);
  const std::uint32_t fd = addFd(std::move(file), filetype::RegularFile);
  fdSub(0, 1, eventtype::FdRead, fd);
  fdSub(1, 2, eventtype::FdWrite, fd);
  clockSub(2, 3, clockid::Monotonic, 3600'000 * kMs);
  ASSERT_EQ(poll(3), Errno::Success);
  ASSERT_EQ(nevents(), 2u);
  EXPECT_EQ(event(0).userdata, 1u);
  EXPECT_EQ(event(0).nbytes, 60u);
  EXPECT_EQ(event(1).userdata, 2u);
  EXPECT_EQ(event(1).error, 0);
}

TEST_F(PollCallsTest, DirectoriesAreReady) {
  UniqueFd dir(::open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir);
  const std::uint32_t fd = addFd(std::move(dir), filetype::Directory);
  fdSub(0, 1, eventtype::FdRead, fd);
  ASSERT_EQ(poll(1), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).error, 0);
}

TEST_F(PollCallsTest, SocketReadReportsQueuedBytes) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd peer(sv[1]);
  ASSERT_EQ(::write(peer.get(), "seven!!", 7), 7);
  const std::uint32_t fd = addFd(UniqueFd(sv[0]), filetype::SocketStream, rights::Socket);
  fdSub(0, 1, eventtype::FdRead, fd);
  fdSub(1, 2, eventtype::FdWrite, fd);
  ASSERT_EQ(poll(2), Errno::Success);
  ASSERT_EQ(nevents(), 2u);
  EXPECT_EQ(event(0).nbytes, 7u);
  EXPECT_EQ(event(1).type, eventtype::FdWrite);
}

// What wasi-testsuite's poll_oneoff_stdio sees: stdin at EOF or /dev/null
// with a timeout, then stdout/stderr for writing.
TEST_F(PollCallsTest, StdioLikeStreamsAreReadyWithoutErrors) {
  UniqueFd devNull(::open("/dev/null", O_RDWR | O_CLOEXEC));
  ASSERT_TRUE(devNull);
  Pipe out;
  const std::uint32_t in = addFd(UniqueFd(::dup(devNull.get())), filetype::CharacterDevice);
  const std::uint32_t o = addFd(std::move(out.write), filetype::Unknown);
  const std::uint32_t e = addFd(std::move(devNull), filetype::CharacterDevice);
  clockSub(0, 100, clockid::Monotonic, 20 * kMs);
  fdSub(1, 101, eventtype::FdRead, in);
  ASSERT_EQ(poll(2), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  EXPECT_EQ(event(0).userdata, 101u);
  EXPECT_EQ(event(0).error, 0);

  fdSub(0, 1, eventtype::FdWrite, o);
  fdSub(1, 2, eventtype::FdWrite, e);
  clockSub(2, 100, clockid::Monotonic, 200 * kMs);
  ASSERT_EQ(poll(3), Errno::Success);
  ASSERT_EQ(nevents(), 2u);
  EXPECT_EQ(event(0).userdata, 1u);
  EXPECT_EQ(event(1).userdata, 2u);
  EXPECT_EQ(event(0).error, 0);
  EXPECT_EQ(event(1).error, 0);
}

TEST_F(PollCallsTest, EventPaddingIsZeroedAndUnusedSlotsUntouched) {
  std::memset(buf_.data() + kOut, 0xff, std::size_t{2} * layout::EventSize);
  clockSub(0, 1, clockid::Monotonic, 0);
  clockSub(1, 2, clockid::Monotonic, 3600'000 * kMs);
  ASSERT_EQ(poll(2), Errno::Success);
  ASSERT_EQ(nevents(), 1u);
  for (std::uint32_t b = 11; b < 16; ++b) EXPECT_EQ(buf_[kOut + b], 0) << b;
  for (std::uint32_t b = 26; b < 32; ++b) EXPECT_EQ(buf_[kOut + b], 0) << b;
  EXPECT_EQ(event(0).nbytes, 0u);
  EXPECT_EQ(buf_[kOut + layout::EventSize], 0xff);  // the second slot is left alone
}

TEST_F(PollCallsTest, EventsMayOverlapSubscriptions) {
  Pipe p;
  ASSERT_EQ(::write(p.write.get(), "ab", 2), 2);
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  fdSub(0, 21, eventtype::FdRead, fd);
  clockSub(1, 22, clockid::Monotonic, 0);
  ASSERT_EQ(poll(2, kIn, kIn), Errno::Success);
  ASSERT_EQ(get<std::uint32_t>(kNevents), 2u);
  const auto first = get<std::uint64_t>(kIn);
  const auto second = get<std::uint64_t>(kIn + layout::EventSize);
  EXPECT_EQ(first, 21u);
  EXPECT_EQ(second, 22u);
}

void ignoreSignal(int) {}

// A signal landing mid-wait must neither end the wait early nor fail it.
TEST_F(PollCallsTest, SignalsDoNotCutTheWaitShort) {
  struct sigaction sa {};
  sa.sa_handler = ignoreSignal;  // no SA_RESTART: the waits see EINTR
  struct sigaction old {};
  ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old), 0);
  const pthread_t self = ::pthread_self();
  Pipe p;
  const std::uint32_t fd = addFd(std::move(p.read), filetype::Unknown);
  for (const std::uint32_t n : {1u, 2u}) {  // clock only (clock_nanosleep), then with an fd (ppoll)
    clockSub(0, 1, clockid::Monotonic, 80 * kMs);
    fdSub(1, 2, eventtype::FdRead, fd);
    std::thread t([self] {
      for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(milliseconds(15));
        ::pthread_kill(self, SIGUSR1);
      }
    });
    const auto start = Clock::now();
    const Errno err = poll(n);
    t.join();
    ASSERT_EQ(err, Errno::Success) << n;
    EXPECT_GE(Clock::now() - start, milliseconds(80)) << n;
    ASSERT_EQ(nevents(), 1u);
    EXPECT_EQ(event(0).userdata, 1u);
  }
  ::sigaction(SIGUSR1, &old, nullptr);
}

}  // namespace
}  // namespace wasmops::wasi
