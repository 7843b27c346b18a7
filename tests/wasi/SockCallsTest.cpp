#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "base/UniqueFd.h"
#include "wasi/Calls.h"

namespace wasmops::wasi {

// Failures show the WASI errno number, not raw bytes. Inline and identical
// in each test file that needs it, so one binary may hold several copies.
inline void PrintTo(Errno e, std::ostream* os) { *os << "Errno(" << static_cast<int>(e) << ")"; }

namespace {

constexpr std::uint32_t kIovs = 0x100;    // iovec array
constexpr std::uint32_t kData = 0x1000;   // buffers
constexpr std::uint32_t kLen = 0x3000;    // u32 result
constexpr std::uint32_t kFlags = 0x3008;  // u16 result / new fd

struct SocketPair {
  UniqueFd a, b;
  explicit SocketPair(int type = SOCK_STREAM) {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv), 0);
    a.reset(sv[0]);
    b.reset(sv[1]);
  }
};

// A TCP listener on 127.0.0.1 with a kernel-chosen port.
struct Listener {
  UniqueFd fd;
  sockaddr_in addr{};
  Listener() {
    fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    EXPECT_TRUE(fd);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
    EXPECT_EQ(::listen(fd.get(), 8), 0);
  }
  UniqueFd connect() const {
    UniqueFd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    EXPECT_EQ(::connect(c.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    return c;
  }
};

class SockCallsTest : public ::testing::Test {
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
  void iov(std::uint32_t i, std::uint32_t ptr, std::uint32_t len) {
    put<std::uint32_t>(kIovs + i * layout::IovecSize, ptr);
    put<std::uint32_t>(kIovs + i * layout::IovecSize + 4, len);
  }
  std::string guestString(std::uint32_t at, std::size_t len) const {
    return std::string(reinterpret_cast<const char*>(buf_.data() + at), len);
  }

  std::uint32_t addFd(UniqueFd fd, std::uint8_t type, std::uint64_t base = rights::Socket, bool listening = false) {
    FdEntry e;
    e.host = std::move(fd);
    e.type = type;
    e.base = base;
    e.listening = listening;
    std::uint32_t n = 0;
    EXPECT_EQ(cx_.fds.insert(std::move(e), n), Errno::Success);
    return n;
  }

  Errno accept(std::uint32_t fd, std::uint32_t flags, std::uint32_t result = kFlags) {
    wasmops_val a[3];
    a[0].i32 = fd;
    a[1].i32 = flags;
    a[2].i32 = result;
    return calls::sockAccept(cx_, a);
  }
  Errno recv(std::uint32_t fd, std::uint32_t niovs, std::uint32_t flags = 0, std::uint32_t lenPtr = kLen,
             std::uint32_t flagsPtr = kFlags, std::uint32_t iovs = kIovs) {
    wasmops_val a[6];
    a[0].i32 = fd;
    a[1].i32 = iovs;
    a[2].i32 = niovs;
    a[3].i32 = flags;
    a[4].i32 = lenPtr;
    a[5].i32 = flagsPtr;
    return calls::sockRecv(cx_, a);
  }
  Errno send(std::uint32_t fd, std::uint32_t niovs, std::uint32_t flags = 0, std::uint32_t lenPtr = kLen,
             std::uint32_t iovs = kIovs) {
    wasmops_val a[5];
    a[0].i32 = fd;
    a[1].i32 = iovs;
    a[2].i32 = niovs;
    a[3].i32 = flags;
    a[4].i32 = lenPtr;
    return calls::sockSend(cx_, a);
  }
  Errno shutdown(std::uint32_t fd, std::uint32_t how) {
    wasmops_val a[2];
    a[0].i32 = fd;
    a[1].i32 = how;
    return calls::sockShutdown(cx_, a);
  }

  std::vector<std::uint8_t> buf_;
  wasmops_memory mem_{};
  WasiContext cx_;
};

UniqueFd tempFile() {
  char path[] = "/tmp/wasmops-sock-XXXXXX";
  UniqueFd fd(::mkstemp(path));
  ::unlink(path);
  return fd;
}

std::string readSome(int fd) {
  char b[256];
  const ssize_t n = ::read(fd, b, sizeof b);
  return n > 0 ? std::string(b, static_cast<std::size_t>(n)) : std::string();
}

// --- sock_shutdown -----------------------------------------------------------

TEST_F(SockCallsTest, ShutdownMissingFdIsBadf) {
  EXPECT_EQ(shutdown(3, kSdRd), Errno::Badf);
  EXPECT_EQ(shutdown(0xffffffffu, kSdRd | kSdWr), Errno::Badf);
}

TEST_F(SockCallsTest, ShutdownRegularFileIsNotSock) {
  const std::uint32_t fd = addFd(tempFile(), filetype::RegularFile, rights::File);  // no SockShutdown right
  EXPECT_EQ(shutdown(fd, kSdRd), Errno::NotSock);
  EXPECT_EQ(shutdown(fd, kSdWr), Errno::NotSock);
}

TEST_F(SockCallsTest, ShutdownPipeIsNotSock) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  UniqueFd keep(p[1]);
  const std::uint32_t fd = addFd(UniqueFd(p[0]), filetype::Unknown, rights::All);
  EXPECT_EQ(shutdown(fd, kSdRd), Errno::NotSock);
}

TEST_F(SockCallsTest, ShutdownNeedsItsRight) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream, rights::Socket & ~rights::SockShutdown);
  EXPECT_EQ(shutdown(fd, kSdWr), Errno::NotCapable);
}

TEST_F(SockCallsTest, ShutdownRejectsBadDirections) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  EXPECT_EQ(shutdown(fd, 0), Errno::Inval);
  EXPECT_EQ(shutdown(fd, 4), Errno::Inval);
  EXPECT_EQ(shutdown(fd, 0x101), Errno::Inval);
}

TEST_F(SockCallsTest, ShutdownWriteGivesThePeerEof) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  ASSERT_EQ(shutdown(fd, kSdWr), Errno::Success);
  char c;
  EXPECT_EQ(::read(sp.b.get(), &c, 1), 0);
  EXPECT_EQ(shutdown(fd, kSdRd | kSdWr), Errno::Success);
}

// --- sock_recv ---------------------------------------------------------------

TEST_F(SockCallsTest, RecvScattersIntoIovecs) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  ASSERT_EQ(::write(sp.b.get(), "hello world", 11), 11);
  iov(0, kData, 5);
  iov(1, kData + 100, 0);  // empty buffers are allowed anywhere
  iov(2, kData + 200, 32);
  put<std::uint16_t>(kFlags, 0xffff);
  ASSERT_EQ(recv(fd, 3), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 11u);
  EXPECT_EQ(get<std::uint16_t>(kFlags), 0);
  EXPECT_EQ(guestString(kData, 5), "hello");
  EXPECT_EQ(guestString(kData + 200, 6), " world");
}

TEST_F(SockCallsTest, RecvPeekLeavesTheData) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  ASSERT_EQ(::write(sp.b.get(), "abc", 3), 3);
  iov(0, kData, 16);
  ASSERT_EQ(recv(fd, 1, kRiRecvPeek), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 3u);
  ASSERT_EQ(recv(fd, 1), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 3u);
  EXPECT_EQ(guestString(kData, 3), "abc");
}

TEST_F(SockCallsTest, RecvWaitallFillsTheBuffer) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  ASSERT_EQ(::write(sp.b.get(), "1234", 4), 4);
  ASSERT_EQ(::write(sp.b.get(), "5678", 4), 4);
  iov(0, kData, 8);
  ASSERT_EQ(recv(fd, 1, kRiRecvWaitall), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 8u);
  EXPECT_EQ(guestString(kData, 8), "12345678");
}

TEST_F(SockCallsTest, RecvRejectsUnknownFlags) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  iov(0, kData, 8);
  EXPECT_EQ(recv(fd, 1, 4), Errno::Inval);
}

TEST_F(SockCallsTest, RecvBadPointersFaultBeforeAnyIo) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  ASSERT_EQ(::write(sp.b.get(), "keep", 4), 4);
  const auto size = static_cast<std::uint32_t>(buf_.size());
  iov(0, kData, 4);
  iov(1, size - 2, 4);  // second buffer crosses the end
  const std::vector<std::uint8_t> before = buf_;
  EXPECT_EQ(recv(fd, 2), Errno::Fault);
  EXPECT_EQ(recv(fd, 1, 0, size - 2), Errno::Fault);     // ro_datalen
  EXPECT_EQ(recv(fd, 1, 0, kLen, size - 1), Errno::Fault);  // ro_flags
  EXPECT_EQ(recv(fd, 1, 0, kLen, kFlags, size - 4), Errno::Fault);  // the iovec array itself
  EXPECT_EQ(buf_, before);
  // The data is still there.
  ASSERT_EQ(recv(fd, 1), Errno::Success);
  EXPECT_EQ(guestString(kData, 4), "keep");
}

TEST_F(SockCallsTest, RecvTooManyIovecsIsInval) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  EXPECT_EQ(recv(fd, IOV_MAX + 1), Errno::Inval);
}

TEST_F(SockCallsTest, RecvOnAFileIsNotSockAndNeedsFdRead) {
  const std::uint32_t file = addFd(tempFile(), filetype::RegularFile, rights::File);
  iov(0, kData, 4);
  EXPECT_EQ(recv(file, 1), Errno::NotSock);
  EXPECT_EQ(recv(777, 1), Errno::Badf);
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream, rights::Socket & ~rights::FdRead);
  EXPECT_EQ(recv(fd, 1), Errno::NotCapable);
}

TEST_F(SockCallsTest, RecvOnANonblockingFdWithNothingQueuedIsAgain) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  cx_.fds.get(fd)->flags = fdflags::Nonblock;  // the host fd itself stays blocking
  iov(0, kData, 4);
  EXPECT_EQ(recv(fd, 1), Errno::Again);
}

TEST_F(SockCallsTest, RecvReportsEofAsZeroBytes) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  sp.b.reset();
  iov(0, kData, 4);
  ASSERT_EQ(recv(fd, 1), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 0u);
}

TEST_F(SockCallsTest, RecvFlagsATruncatedDatagram) {
  SocketPair sp(SOCK_DGRAM);
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketDgram);
  ASSERT_EQ(::send(sp.b.get(), "0123456789", 10, 0), 10);
  iov(0, kData, 4);
  ASSERT_EQ(recv(fd, 1), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 4u);
  EXPECT_EQ(get<std::uint16_t>(kFlags), kRoRecvDataTruncated);
  EXPECT_EQ(guestString(kData, 4), "0123");
}

// --- sock_send ---------------------------------------------------------------

TEST_F(SockCallsTest, SendGathersIovecs) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  std::memcpy(buf_.data() + kData, "foo", 3);
  std::memcpy(buf_.data() + kData + 50, "bar!", 4);
  iov(0, kData, 3);
  iov(1, kData + 50, 4);
  ASSERT_EQ(send(fd, 2), Errno::Success);
  EXPECT_EQ(get<std::uint32_t>(kLen), 7u);
  EXPECT_EQ(readSome(sp.b.get()), "foobar!");
}

TEST_F(SockCallsTest, SendRejectsFlagsAndBadPointers) {
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  const auto size = static_cast<std::uint32_t>(buf_.size());
  iov(0, kData, 3);
  EXPECT_EQ(send(fd, 1, 1), Errno::Inval);
  EXPECT_EQ(send(fd, 1, 0, size - 3), Errno::Fault);
  iov(0, size - 1, 3);
  EXPECT_EQ(send(fd, 1), Errno::Fault);
  EXPECT_EQ(send(fd, IOV_MAX + 1), Errno::Inval);
  // Nothing was sent by any of those.
  ASSERT_EQ(::fcntl(sp.b.get(), F_SETFL, O_NONBLOCK), 0);
  char c;
  EXPECT_EQ(::read(sp.b.get(), &c, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST_F(SockCallsTest, SendNeedsASocketAndFdWrite) {
  const std::uint32_t file = addFd(tempFile(), filetype::RegularFile, rights::File);
  iov(0, kData, 1);
  EXPECT_EQ(send(file, 1), Errno::NotSock);
  EXPECT_EQ(send(4242, 1), Errno::Badf);
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream, rights::Socket & ~rights::FdWrite);
  EXPECT_EQ(send(fd, 1), Errno::NotCapable);
}

TEST_F(SockCallsTest, SendToAClosedPeerIsPipeNotSigpipe) {
  // With the default disposition a SIGPIPE would kill this test binary.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  struct sigaction old {};
  ASSERT_EQ(::sigaction(SIGPIPE, &dfl, &old), 0);
  SocketPair sp;
  const std::uint32_t fd = addFd(std::move(sp.a), filetype::SocketStream);
  sp.b.reset();
  iov(0, kData, 16);
  EXPECT_EQ(send(fd, 1), Errno::Pipe);
  ::sigaction(SIGPIPE, &old, nullptr);
}

// --- sock_accept -------------------------------------------------------------

TEST_F(SockCallsTest, AcceptGivesAConnectedSocket) {
  Listener l;
  const std::uint32_t lfd = addFd(std::move(l.fd), filetype::SocketStream, rights::Socket, true);
  const UniqueFd client = l.connect();
  put<std::uint32_t>(kFlags, 0xdeadbeef);
  ASSERT_EQ(accept(lfd, 0), Errno::Success);
  const std::uint32_t conn = get<std::uint32_t>(kFlags);
  ASSERT_NE(conn, lfd);
  FdEntry* e = cx_.fds.get(conn);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, filetype::SocketStream);
  EXPECT_EQ(e->base, rights::Socket & ~rights::SockAccept);
  EXPECT_FALSE(e->listening);
  EXPECT_EQ(e->flags, 0);
  EXPECT_EQ(::fcntl(e->host.get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(e->host.get(), F_GETFD) & FD_CLOEXEC, 0);

  // Data flows both ways through the new fd.
  std::memcpy(buf_.data() + kData, "ping", 4);
  iov(0, kData, 4);
  ASSERT_EQ(send(conn, 1), Errno::Success);
  EXPECT_EQ(readSome(client.get()), "ping");
  ASSERT_EQ(::write(client.get(), "pong", 4), 4);
  iov(0, kData + 16, 4);
  ASSERT_EQ(recv(conn, 1, kRiRecvWaitall), Errno::Success);
  EXPECT_EQ(guestString(kData + 16, 4), "pong");
  // An accepted socket cannot accept.
  EXPECT_EQ(accept(conn, 0), Errno::NotCapable);
}

TEST_F(SockCallsTest, AcceptNonblock) {
  Listener l;
  const std::uint32_t lfd = addFd(std::move(l.fd), filetype::SocketStream, rights::Socket, true);
  ::fcntl(cx_.fds.get(lfd)->host.get(), F_SETFL, O_NONBLOCK);
  EXPECT_EQ(accept(lfd, fdflags::Nonblock), Errno::Again);  // nothing pending
  const UniqueFd client = l.connect();
  ASSERT_EQ(accept(lfd, fdflags::Nonblock), Errno::Success);
  FdEntry* e = cx_.fds.get(get<std::uint32_t>(kFlags));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->flags, fdflags::Nonblock);
  EXPECT_NE(::fcntl(e->host.get(), F_GETFL) & O_NONBLOCK, 0);
}

TEST_F(SockCallsTest, AcceptRejectsOtherFlags) {
  Listener l;
  const std::uint32_t lfd = addFd(std::move(l.fd), filetype::SocketStream, rights::Socket, true);
  EXPECT_EQ(accept(lfd, fdflags::Append), Errno::Inval);
  EXPECT_EQ(accept(lfd, fdflags::Nonblock | fdflags::Sync), Errno::Inval);
}

TEST_F(SockCallsTest, AcceptChecksTheFd) {
  EXPECT_EQ(accept(99, 0), Errno::Badf);
  const std::uint32_t file = addFd(tempFile(), filetype::RegularFile, rights::All);
  EXPECT_EQ(accept(file, 0), Errno::NotSock);
  SocketPair sp;
  const std::uint32_t connected = addFd(std::move(sp.a), filetype::SocketStream);
  EXPECT_EQ(accept(connected, 0), Errno::Inval);  // a socket, but not listening
  Listener l;
  const std::uint32_t lfd =
      addFd(std::move(l.fd), filetype::SocketStream, rights::Socket & ~rights::SockAccept, true);
  EXPECT_EQ(accept(lfd, 0), Errno::NotCapable);
}

TEST_F(SockCallsTest, AcceptWithABadResultPointerKeepsTheConnection) {
  Listener l;
  const std::uint32_t lfd = addFd(std::move(l.fd), filetype::SocketStream, rights::Socket, true);
  const UniqueFd client = l.connect();
  const std::vector<std::uint8_t> before = buf_;
  EXPECT_EQ(accept(lfd, 0, static_cast<std::uint32_t>(buf_.size()) - 2), Errno::Fault);
  EXPECT_EQ(buf_, before);
  EXPECT_EQ(cx_.fds.get(lfd + 1), nullptr);
  // Still pending: a second try with a good pointer gets it.
  ASSERT_EQ(accept(lfd, fdflags::Nonblock), Errno::Success);
}

}  // namespace
}  // namespace wasmops::wasi
