#include "wasi/WasiContext.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "wasi/FileStat.h"

namespace wasmops::wasi {
namespace {

// Adopts a duplicate of a host fd the embedder hands over.
Expected<FdEntry> adoptStdio(int hostFd, int guestFd) {
  const int fd = ::fcntl(hostFd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return makeError(ErrorCode::Io, "cannot give the guest fd " + std::to_string(guestFd) + " (host fd " +
                                        std::to_string(hostFd) + "): " + std::strerror(errno));
  FdEntry e;
  e.host.reset(fd);
  struct stat st {};
  e.type = ::fstat(fd, &st) == 0 ? filetypeOf(st.st_mode, fd) : filetype::Unknown;
  // A stream, whatever the host connected: never path rights (stdin may be a
  // directory) and never rights that change the file behind it. Reading and
  // writing as the host opened it; seeking where the file can.
  const int fl = ::fcntl(fd, F_GETFL);
  const int mode = fl >= 0 ? (fl & O_ACCMODE) : O_RDWR;
  e.base = rights::FdFdstatSetFlags | rights::FdFilestatGet | rights::PollFdReadwrite;
  if (mode != O_WRONLY && e.type != filetype::Directory) e.base |= rights::FdRead;
  if (mode != O_RDONLY && e.type != filetype::Directory) e.base |= rights::FdWrite;
  if (e.type == filetype::RegularFile) e.base |= rights::FdSeek | rights::FdTell;
  e.inheriting = 0;
  if (fl >= 0) {
    if (fl & O_APPEND) e.flags |= fdflags::Append;
    if (fl & O_NONBLOCK) e.flags |= fdflags::Nonblock;
  }
  return e;
}

FdEntry memoryStreamEntry(std::shared_ptr<MemoryStream> stream) {
  FdEntry e;
  e.type = filetype::Unknown;  // as a pipe: fully buffered in wasi-libc, not a terminal
  e.base = rights::FdFdstatSetFlags | rights::FdFilestatGet | rights::PollFdReadwrite |
           (stream->isInput() ? rights::FdRead : rights::FdWrite);
  e.inheriting = 0;
  e.memory = std::move(stream);
  return e;
}

Expected<FdEntry> openPreopen(const embed::WasiPreopen& p) {
  const int fd = ::open(p.hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return makeError(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                     "--dir " + p.hostPath + ": " + (err == ENOTDIR ? "not a directory" : std::strerror(err)));
  }
  FdEntry e;
  e.host.reset(fd);
  e.type = filetype::Directory;
  e.base = rights::Directory;
  e.inheriting = rights::All;
  if (p.readOnly) {
    e.base &= ~rights::Mutating;
    e.inheriting &= ~rights::Mutating;
  }
  e.preopenName = p.guestPath.empty() ? std::string("/") : p.guestPath;
  return e;
}

}  // namespace

Expected<void> openWasiContext(WasiContext& cx, const embed::WasiConfig& config, const MemoryStdio& memoryStdio) {
  cx.args = config.args;
  cx.env = config.env;
  const int stdio[3] = {config.stdinFd, config.stdoutFd, config.stderrFd};
  const std::shared_ptr<MemoryStream> streams[3] = {memoryStdio.in, memoryStdio.out, memoryStdio.err};
  for (std::uint32_t i = 0; i < 3; ++i) {
    if (streams[i]) {
      cx.fds.insertAt(i, memoryStreamEntry(streams[i]));
      continue;
    }
    WASMOPS_TRY(auto e, adoptStdio(stdio[i], static_cast<int>(i)));
    cx.fds.insertAt(i, std::move(e));
  }
  std::uint32_t next = 3;
  for (const auto& p : config.preopens) {
    WASMOPS_TRY(auto e, openPreopen(p));
    cx.fds.insertAt(next++, std::move(e));
  }
  for (int listenFd : config.listenFds) {
    const int fd = ::fcntl(listenFd, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return makeError(ErrorCode::Io, std::string("cannot give the guest a listening socket: ") + std::strerror(errno));
    FdEntry e;
    e.host.reset(fd);
    e.type = filetype::SocketStream;
    e.base = rights::Socket;
    e.listening = true;
    cx.fds.insertAt(next++, std::move(e));
  }
  return {};
}

}  // namespace wasmops::wasi
