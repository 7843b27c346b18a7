// sock_accept, sock_recv, sock_send, sock_shutdown: preview1 has no socket
// creation, so these work on sockets the host pre-opened (and on what
// sock_accept returns).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "wasi/Calls.h"
#include "wasi/IoVectors.h"

namespace wasmops::wasi::calls {
namespace {

// What a socket returned by sock_accept may do: everything but accepting.
constexpr std::uint64_t kAcceptedRights = rights::Socket & ~rights::SockAccept;

// Looks up `fd` as a socket holding `needed`. The type is checked before the
// rights: a file never has socket rights, and ENOTSOCK is the error a guest
// (and wasi-testsuite) expects for it, not ENOTCAPABLE.
Errno socketEntry(WasiContext& cx, std::uint32_t fd, std::uint64_t needed, FdEntry*& out) {
  out = cx.fds.get(fd);
  if (!out) return Errno::Badf;
  struct stat st {};
  if (::fstat(out->host.get(), &st) != 0) return fromHostErrno(errno);
  if (!S_ISSOCK(st.st_mode)) return Errno::NotSock;
  if (!out->has(needed)) return Errno::NotCapable;
  return Errno::Success;
}

// A guest has no signal handlers, so an EINTR is never its business: retry.
template <typename Call>
auto retryOnEintr(Call call) {
  for (;;) {
    auto rc = call();
    if (rc >= 0 || errno != EINTR) return rc;
  }
}

// The guest's own fdflags decide blocking, even when the host fd shares its
// open file description (and so O_NONBLOCK) with someone else.
int blockingFlag(const FdEntry& entry) { return (entry.flags & fdflags::Nonblock) ? MSG_DONTWAIT : 0; }

msghdr messageFor(std::vector<iovec>& iovs) {
  msghdr msg{};
  msg.msg_iov = iovs.data();
  msg.msg_iovlen = iovs.size();
  return msg;
}

int shutdownHow(std::uint32_t how) {
  switch (how) {
    case kSdRd: return SHUT_RD;
    case kSdWr: return SHUT_WR;
    case kSdRd | kSdWr: return SHUT_RDWR;
    default: return -1;
  }
}

}  // namespace

// sock_accept(fd, flags: fdflags, ro_fd: ptr<fd>)
Errno sockAccept(WasiContext& cx, Args a) {
  const std::uint32_t fd = a[0].i32, flags = a[1].i32, resultPtr = a[2].i32;
  FdEntry* listener = nullptr;
  WASI_TRY(socketEntry(cx, fd, rights::SockAccept, listener));
  if (!listener->listening) return Errno::Inval;  // what accept(2) says too
  if (flags & ~static_cast<std::uint32_t>(fdflags::Nonblock)) return Errno::Inval;
  // Checked before accepting: a connection taken and then dropped for a bad
  // pointer would be lost to the guest for good.
  if (!cx.memory.inBounds(resultPtr, sizeof(std::uint32_t))) return Errno::Fault;

  const bool nonblock = (flags & fdflags::Nonblock) != 0;
  const int hostFlags = SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
  const int host = retryOnEintr([&] { return ::accept4(listener->host.get(), nullptr, nullptr, hostFlags); });
  if (host < 0) return fromHostErrno(errno);

  FdEntry entry;
  entry.host = UniqueFd(host);
  entry.type = filetype::SocketStream;  // only stream sockets listen
  entry.base = kAcceptedRights;
  entry.inheriting = 0;  // nothing is ever opened through a socket
  entry.flags = nonblock ? fdflags::Nonblock : 0;
  std::uint32_t guestFd = 0;
  WASI_TRY(cx.fds.insert(std::move(entry), guestFd));  // EMFILE closes the host socket
  return storeResult(cx.memory, resultPtr, guestFd);
}

// sock_recv(fd, ri_data: iovec_array, ri_flags: riflags) -> (ro_datalen: size, ro_flags: roflags)
Errno sockRecv(WasiContext& cx, Args a) {
  const std::uint32_t fd = a[0].i32, iovsPtr = a[1].i32, iovsLen = a[2].i32, riFlags = a[3].i32,
                      datalenPtr = a[4].i32, roFlagsPtr = a[5].i32;
  FdEntry* entry = nullptr;
  WASI_TRY(socketEntry(cx, fd, rights::FdRead, entry));
  if (riFlags & ~static_cast<std::uint32_t>(kRiRecvPeek | kRiRecvWaitall)) return Errno::Inval;
  // Results are checked before the I/O: received bytes cannot be put back.
  if (!cx.memory.inBounds(datalenPtr, sizeof(std::uint32_t)) ||
      !cx.memory.inBounds(roFlagsPtr, sizeof(std::uint16_t))) {
    return Errno::Fault;
  }
  std::vector<iovec> iovs;
  WASI_TRY(gatherIovecs(cx.memory, iovsPtr, iovsLen, iovs));

  int hostFlags = blockingFlag(*entry);
  if (riFlags & kRiRecvPeek) hostFlags |= MSG_PEEK;
  if (riFlags & kRiRecvWaitall) hostFlags |= MSG_WAITALL;
  msghdr msg = messageFor(iovs);
  const ssize_t n = retryOnEintr([&] { return ::recvmsg(entry->host.get(), &msg, hostFlags); });
  if (n < 0) return fromHostErrno(errno);

  // Only a datagram can be cut short; a stream keeps the rest queued.
  const std::uint16_t roFlags = (msg.msg_flags & MSG_TRUNC) ? kRoRecvDataTruncated : 0;
  cx.memory.store<std::uint16_t>(roFlagsPtr, roFlags);
  return storeResult(cx.memory, datalenPtr, static_cast<std::uint32_t>(n));
}

// sock_send(fd, si_data: ciovec_array, si_flags: siflags) -> (so_datalen: size)
Errno sockSend(WasiContext& cx, Args a) {
  const std::uint32_t fd = a[0].i32, iovsPtr = a[1].i32, iovsLen = a[2].i32, siFlags = a[3].i32,
                      datalenPtr = a[4].i32;
  FdEntry* entry = nullptr;
  WASI_TRY(socketEntry(cx, fd, rights::FdWrite, entry));
  if (siFlags != 0) return Errno::Inval;  // siflags defines no bits
  if (!cx.memory.inBounds(datalenPtr, sizeof(std::uint32_t))) return Errno::Fault;
  std::vector<iovec> iovs;
  WASI_TRY(gatherIovecs(cx.memory, iovsPtr, iovsLen, iovs));

  // MSG_NOSIGNAL: a closed peer must be EPIPE for the guest, not a SIGPIPE
  // that kills the whole host process.
  const int hostFlags = blockingFlag(*entry) | MSG_NOSIGNAL;
  const msghdr msg = messageFor(iovs);
  const ssize_t n = retryOnEintr([&] { return ::sendmsg(entry->host.get(), &msg, hostFlags); });
  if (n < 0) return fromHostErrno(errno);
  return storeResult(cx.memory, datalenPtr, static_cast<std::uint32_t>(n));
}

// sock_shutdown(fd, how: sdflags)
Errno sockShutdown(WasiContext& cx, Args a) {
  const std::uint32_t fd = a[0].i32, how = a[1].i32;
  FdEntry* entry = nullptr;
  WASI_TRY(socketEntry(cx, fd, rights::SockShutdown, entry));
  const int hostHow = shutdownHow(how);
  if (hostHow < 0) return Errno::Inval;  // no direction, or bits sdflags lacks
  if (::shutdown(entry->host.get(), hostHow) != 0) return fromHostErrno(errno);
  return Errno::Success;
}

}  // namespace wasmops::wasi::calls
