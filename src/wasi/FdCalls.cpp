// fd_*: operations on open descriptors.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "wasi/Calls.h"
#include "wasi/FileStat.h"
#include "wasi/IoVectors.h"

namespace wasmops::wasi::calls {
namespace {

Errno hostError() { return fromHostErrno(errno); }

// Runs a read/write style call, retrying on EINTR, and stores the count.
template <typename Io>
Errno transfer(WasiContext& cx, std::uint32_t resultPtr, Io io) {
  if (!cx.memory.inBounds(resultPtr, 4)) return Errno::Fault;
  ssize_t n;
  do n = io();
  while (n < 0 && errno == EINTR);
  if (n < 0) return hostError();
  return storeResult(cx.memory, resultPtr, static_cast<std::uint32_t>(n));
}

int hostFlagsFor(std::uint16_t fdflags) {
  int f = 0;
  if (fdflags & fdflags::Append) f |= O_APPEND;
  if (fdflags & fdflags::Nonblock) f |= O_NONBLOCK;
  return f;
}

}  // namespace

Errno fdAdvise(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdAdvise, e));
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if (a[3].i32 >= std::size(kAdvice)) return Errno::Inval;
  const int rc = ::posix_fadvise(e->host.get(), static_cast<off_t>(a[1].i64), static_cast<off_t>(a[2].i64), kAdvice[a[3].i32]);
  return fromHostErrno(rc);
}

Errno fdAllocate(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdAllocate, e));
  const auto offset = static_cast<std::int64_t>(a[1].i64), len = static_cast<std::int64_t>(a[2].i64);
  if (offset < 0 || len <= 0) return Errno::Inval;
  int rc;
  do rc = ::posix_fallocate(e->host.get(), offset, len);
  while (rc == EINTR);
  return fromHostErrno(rc);
}

Errno fdClose(WasiContext& cx, Args a) { return cx.fds.close(a[0].i32); }

Errno fdDatasync(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdDatasync, e));
  return ::fdatasync(e->host.get()) == 0 ? Errno::Success : hostError();
}

Errno fdSync(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdSync, e));
  return ::fsync(e->host.get()) == 0 ? Errno::Success : hostError();
}

Errno fdFdstatGet(WasiContext& cx, Args a) {
  FdEntry* e = cx.fds.get(a[0].i32);
  if (!e) return Errno::Badf;
  const std::uint32_t p = a[1].i32;
  if (!cx.memory.inBounds(p, layout::FdstatSize)) return Errno::Fault;
  std::memset(cx.memory.bytes(p, layout::FdstatSize)->data(), 0, layout::FdstatSize);
  cx.memory.store<std::uint8_t>(p, e->type);
  cx.memory.store<std::uint16_t>(p + 2, e->flags);
  cx.memory.store<std::uint64_t>(p + 8, e->base);
  cx.memory.store<std::uint64_t>(p + 16, e->inheriting);
  return Errno::Success;
}

Errno fdFdstatSetFlags(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdFdstatSetFlags, e));
  const auto want = static_cast<std::uint16_t>(a[1].i32);
  // Linux cannot change O_SYNC/O_DSYNC after open; refuse rather than pretend.
  if (want & ~(fdflags::Append | fdflags::Nonblock)) return Errno::Inval;
  if (e->memory) {  // never blocks, always appends: the flags change nothing
    e->flags = static_cast<std::uint16_t>((e->flags & ~(fdflags::Append | fdflags::Nonblock)) | want);
    return Errno::Success;
  }
  const int cur = ::fcntl(e->host.get(), F_GETFL);
  if (cur < 0) return hostError();
  const int next = (cur & ~(O_APPEND | O_NONBLOCK)) | hostFlagsFor(want);
  if (::fcntl(e->host.get(), F_SETFL, next) != 0) return hostError();
  e->flags = static_cast<std::uint16_t>((e->flags & ~(fdflags::Append | fdflags::Nonblock)) | want);
  return Errno::Success;
}

Errno fdFdstatSetRights(WasiContext& cx, Args a) {
  FdEntry* e = cx.fds.get(a[0].i32);
  if (!e) return Errno::Badf;
  const std::uint64_t base = a[1].i64, inheriting = a[2].i64;
  if ((base & ~e->base) || (inheriting & ~e->inheriting)) return Errno::NotCapable;  // rights only shrink
  e->base = base;
  e->inheriting = inheriting;
  return Errno::Success;
}

Errno fdFilestatGet(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdFilestatGet, e));
  struct stat st {};
  if (e->memory) {  // looks like a pipe holding what is left to read or what was written
    st.st_mode = S_IFIFO | (e->memory->isInput() ? S_IRUSR : S_IWUSR);
    st.st_nlink = 1;
    st.st_size = static_cast<off_t>(e->memory->available());
    return storeFilestat(cx.memory, a[1].i32, st);
  }
  if (::fstat(e->host.get(), &st) != 0) return hostError();
  return storeFilestat(cx.memory, a[1].i32, st);
}

Errno fdFilestatSetSize(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdFilestatSetSize, e));
  if (static_cast<std::int64_t>(a[1].i64) < 0) return Errno::Inval;
  return ::ftruncate(e->host.get(), static_cast<off_t>(a[1].i64)) == 0 ? Errno::Success : hostError();
}

Errno fdFilestatSetTimes(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdFilestatSetTimes, e));
  timespec times[2];
  WASI_TRY(timesFromFlags(a[1].i64, a[2].i64, static_cast<std::uint16_t>(a[3].i32), times));
  return ::futimens(e->host.get(), times) == 0 ? Errno::Success : hostError();
}

Errno fdPread(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdRead | rights::FdSeek, e));
  if (static_cast<std::int64_t>(a[3].i64) < 0) return Errno::Inval;
  std::vector<iovec> iov;
  WASI_TRY(gatherIovecs(cx.memory, a[1].i32, a[2].i32, iov));
  return transfer(cx, a[4].i32, [&] {
    return ::preadv(e->host.get(), iov.data(), static_cast<int>(iov.size()), static_cast<off_t>(a[3].i64));
  });
}

Errno fdPwrite(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdWrite | rights::FdSeek, e));
  if (static_cast<std::int64_t>(a[3].i64) < 0) return Errno::Inval;
  std::vector<iovec> iov;
  WASI_TRY(gatherIovecs(cx.memory, a[1].i32, a[2].i32, iov));
  return transfer(cx, a[4].i32, [&] {
    return ::pwritev(e->host.get(), iov.data(), static_cast<int>(iov.size()), static_cast<off_t>(a[3].i64));
  });
}

Errno fdRead(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdRead, e));
  std::vector<iovec> iov;
  WASI_TRY(gatherIovecs(cx.memory, a[1].i32, a[2].i32, iov));
  if (e->memory) {
    if (!cx.memory.inBounds(a[3].i32, 4)) return Errno::Fault;
    return storeResult(cx.memory, a[3].i32, static_cast<std::uint32_t>(e->memory->read(iov)));
  }
  return transfer(cx, a[3].i32, [&] { return ::readv(e->host.get(), iov.data(), static_cast<int>(iov.size())); });
}

Errno fdWrite(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdWrite, e));
  std::vector<iovec> iov;
  WASI_TRY(gatherIovecs(cx.memory, a[1].i32, a[2].i32, iov));
  if (e->memory) {
    if (!cx.memory.inBounds(a[3].i32, 4)) return Errno::Fault;
    std::size_t n = 0;
    WASI_TRY(e->memory->write(iov, n));
    return storeResult(cx.memory, a[3].i32, static_cast<std::uint32_t>(n));
  }
  return transfer(cx, a[3].i32, [&] { return ::writev(e->host.get(), iov.data(), static_cast<int>(iov.size())); });
}

Errno fdPrestatGet(WasiContext& cx, Args a) {
  FdEntry* e = cx.fds.get(a[0].i32);
  if (!e || !e->preopenName) return Errno::Badf;
  if (!cx.memory.inBounds(a[1].i32, layout::PrestatSize)) return Errno::Fault;
  cx.memory.store<std::uint32_t>(a[1].i32, kPreopenTypeDir);  // tag + padding
  cx.memory.store<std::uint32_t>(a[1].i32 + 4, static_cast<std::uint32_t>(e->preopenName->size()));
  return Errno::Success;
}

Errno fdPrestatDirName(WasiContext& cx, Args a) {
  FdEntry* e = cx.fds.get(a[0].i32);
  if (!e || !e->preopenName) return Errno::Badf;
  const std::string& name = *e->preopenName;
  if (a[2].i32 < name.size()) return Errno::NameTooLong;
  auto out = cx.memory.bytes(a[1].i32, name.size());
  if (!out) return Errno::Fault;
  std::memcpy(out->data(), name.data(), name.size());
  return Errno::Success;
}

Errno fdReaddir(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdReaddir, e));
  if (e->type != filetype::Directory) return Errno::NotDir;
  const std::uint32_t buf = a[1].i32, bufLen = a[2].i32, usedPtr = a[4].i32;
  const std::uint64_t cookie = a[3].i64;
  if (!cx.memory.inBounds(buf, bufLen) || !cx.memory.inBounds(usedPtr, 4)) return Errno::Fault;
  if (!e->dir) {
    // A separate open file description, so readdir never moves the guest's offset.
    const int dfd = ::openat(e->host.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return hostError();
    e->dir.reset(::fdopendir(dfd));
    if (!e->dir) {
      const int saved = errno;
      ::close(dfd);
      return fromHostErrno(saved);
    }
  }
  DIR* dir = e->dir.get();
  if (cookie == 0) ::rewinddir(dir);
  else ::seekdir(dir, static_cast<long>(cookie));
  auto out = *cx.memory.bytes(buf, bufLen);
  std::size_t used = 0;
  while (used < out.size()) {
    errno = 0;
    const dirent* d = ::readdir(dir);
    if (!d) {
      if (errno) return hostError();
      break;
    }
    const std::size_t nameLen = std::strlen(d->d_name);
    std::uint8_t type = filetypeOfDirent(d->d_type);
    if (d->d_type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(::dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) type = filetypeOf(st.st_mode, -1);
    }
    std::uint8_t header[layout::DirentSize] = {};
    const auto next = static_cast<std::uint64_t>(::telldir(dir));
    const std::uint64_t ino = d->d_ino;
    const auto namlen = static_cast<std::uint32_t>(nameLen);
    std::memcpy(header + 0, &next, 8);
    std::memcpy(header + 8, &ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = type;
    // Entries that do not fit are cut off; the guest sees bufused == buf_len and retries bigger.
    const std::size_t h = std::min(sizeof header, out.size() - used);
    std::memcpy(out.data() + used, header, h);
    used += h;
    const std::size_t n = std::min(nameLen, out.size() - used);
    std::memcpy(out.data() + used, d->d_name, n);
    used += n;
  }
  return storeResult(cx.memory, usedPtr, static_cast<std::uint32_t>(used));
}

Errno fdRenumber(WasiContext& cx, Args a) { return cx.fds.renumber(a[0].i32, a[1].i32); }

Errno fdSeek(WasiContext& cx, Args a) {
  const auto offset = static_cast<std::int64_t>(a[1].i64);
  const std::uint32_t how = a[2].i32;
  // Asking where we are needs only the tell right.
  const std::uint64_t needed = (offset == 0 && how == whence::Cur) ? rights::FdTell : rights::FdSeek;
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, needed, e));
  int hostWhence;
  switch (how) {
    case whence::Set: hostWhence = SEEK_SET; break;
    case whence::Cur: hostWhence = SEEK_CUR; break;
    case whence::End: hostWhence = SEEK_END; break;
    default: return Errno::Inval;
  }
  if (!cx.memory.inBounds(a[3].i32, 8)) return Errno::Fault;
  const off_t pos = ::lseek(e->host.get(), offset, hostWhence);
  if (pos < 0) return hostError();
  return storeResult64(cx.memory, a[3].i32, static_cast<std::uint64_t>(pos));
}

Errno fdTell(WasiContext& cx, Args a) {
  FdEntry* e;
  WASI_TRY(cx.fds.get(a[0].i32, rights::FdTell, e));
  if (!cx.memory.inBounds(a[1].i32, 8)) return Errno::Fault;
  const off_t pos = ::lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0) return hostError();
  return storeResult64(cx.memory, a[1].i32, static_cast<std::uint64_t>(pos));
}

}  // namespace wasmops::wasi::calls
