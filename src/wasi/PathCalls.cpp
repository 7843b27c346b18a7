// path_*: operations on paths beneath a directory fd. Every path goes
// through PathResolver (the operations themselves are PathOps, shared with
// wasi:filesystem@0.2), so no lookup ever leaves the guest's preopens; this
// file checks rights and maps results to preview1's errnos.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "wasi/Calls.h"
#include "wasi/FileStat.h"
#include "wasi/IoVectors.h"
#include "wasi/PathOps.h"

namespace wasmops::wasi::calls {
namespace {

Errno hostError() { return fromHostErrno(errno); }

// A shared path operation's outcome in preview1's terms: an escape is
// ENOTCAPABLE; EXDEV from rename/link means another filesystem.
Errno errnoOf(PathStatus s) {
  if (s.escape) return Errno::NotCapable;
  if (s.err == EXDEV) return Errno::Xdev;
  return fromHostErrno(s.err);
}

Errno guestPath(WasiContext& cx, std::uint32_t ptr, std::uint32_t len, std::string_view& out) {
  // The resolver holds a directory fd per level of the path: bound the depth.
  if (len > PATH_MAX) return Errno::NameTooLong;
  auto s = cx.memory.string(ptr, len);
  if (!s) return Errno::Fault;
  out = *s;
  return Errno::Success;
}

// The directory `fd` (holding `needed`) and the guest path a path_* call names.
Errno dirAndPath(WasiContext& cx, std::uint32_t fd, std::uint64_t needed, std::uint32_t ptr, std::uint32_t len,
                 FdEntry*& dir, std::string_view& path) {
  WASI_TRY(cx.fds.get(fd, needed, dir));
  if (dir->type != filetype::Directory) return Errno::NotDir;
  return guestPath(cx, ptr, len, path);
}

// The host directory fd for `fd` (holding `needed`) and its guest path.
struct DirPath {
  int dirfd = -1;
  std::string_view path;
};
Errno dirPath(WasiContext& cx, std::uint32_t fd, std::uint64_t needed, std::uint32_t ptr, std::uint32_t len,
              DirPath& out) {
  FdEntry* dir;
  WASI_TRY(dirAndPath(cx, fd, needed, ptr, len, dir, out.path));
  out.dirfd = dir->host.get();
  return Errno::Success;
}

}  // namespace

Errno pathCreateDirectory(WasiContext& cx, Args a) {
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathCreateDirectory, a[1].i32, a[2].i32, d));
  return errnoOf(createDirectoryAt(d.dirfd, d.path));
}

Errno pathFilestatGet(WasiContext& cx, Args a) {
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathFilestatGet, a[2].i32, a[3].i32, d));
  struct stat st {};
  WASI_TRY(errnoOf(statAt(d.dirfd, d.path, a[1].i32 & lookupflags::SymlinkFollow, st)));
  return storeFilestat(cx.memory, a[4].i32, st);
}

Errno pathFilestatSetTimes(WasiContext& cx, Args a) {
  timespec times[2];
  WASI_TRY(timesFromFlags(a[4].i64, a[5].i64, static_cast<std::uint16_t>(a[6].i32), times));
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathFilestatSetTimes, a[2].i32, a[3].i32, d));
  return errnoOf(setTimesAt(d.dirfd, d.path, a[1].i32 & lookupflags::SymlinkFollow, times));
}

Errno pathLink(WasiContext& cx, Args a) {
  DirPath to, from;
  WASI_TRY(dirPath(cx, a[4].i32, rights::PathLinkTarget, a[5].i32, a[6].i32, to));
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathLinkSource, a[2].i32, a[3].i32, from));
  return errnoOf(linkAt(from.dirfd, from.path, a[1].i32 & lookupflags::SymlinkFollow, to.dirfd, to.path));
}

Errno pathOpen(WasiContext& cx, Args a) {
  const std::uint32_t dirFd = a[0].i32, lookup = a[1].i32;
  const auto oflag = static_cast<std::uint16_t>(a[4].i32);
  const std::uint64_t wantBase = a[5].i64, wantInheriting = a[6].i64;
  const auto fdflag = static_cast<std::uint16_t>(a[7].i32);
  if (!cx.memory.inBounds(a[8].i32, 4)) return Errno::Fault;

  std::uint64_t needed = rights::PathOpen;
  if (oflag & oflags::Creat) needed |= rights::PathCreateFile;
  if (oflag & oflags::Trunc) needed |= rights::PathFilestatSetSize;
  FdEntry* dir;
  WASI_TRY(cx.fds.get(dirFd, needed, dir));
  if (dir->type != filetype::Directory) return Errno::NotDir;
  // A guest cannot gain through an open what the directory does not pass on.
  if ((wantBase & ~dir->inheriting) || (wantInheriting & ~dir->inheriting)) return Errno::NotCapable;
  std::string_view path;
  WASI_TRY(guestPath(cx, a[2].i32, a[3].i32, path));

  const bool read = wantBase & (rights::FdRead | rights::FdReaddir);
  const bool write = wantBase & (rights::FdWrite | rights::FdAllocate | rights::FdFilestatSetSize);
  OpenRequest req;
  req.flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflag & oflags::Creat) req.flags |= O_CREAT;
  if (oflag & oflags::Excl) req.flags |= O_EXCL;
  if (oflag & oflags::Trunc) req.flags |= O_TRUNC;
  if (oflag & oflags::Directory) req.flags |= O_DIRECTORY;
  if (fdflag & fdflags::Append) req.flags |= O_APPEND;
  if (fdflag & fdflags::Nonblock) req.flags |= O_NONBLOCK;
  if (fdflag & fdflags::Dsync) req.flags |= O_DSYNC;
  if (fdflag & (fdflags::Sync | fdflags::Rsync)) req.flags |= O_SYNC;
  req.mode = 0666;
  req.followFinalSymlink = lookup & lookupflags::SymlinkFollow;
  const int rc = openBeneath(dir->host.get(), path, req);
  if (rc < 0) return fromHostErrno(-rc);
  UniqueFd host(rc);

  struct stat st {};
  if (::fstat(host.get(), &st) != 0) return hostError();
  FdEntry entry;
  entry.type = filetypeOf(st.st_mode, host.get());
  entry.host = std::move(host);
  entry.base = wantBase & rightsForType(entry.type);
  entry.inheriting = wantInheriting;
  entry.flags = static_cast<std::uint16_t>(fdflag & (fdflags::Append | fdflags::Nonblock | fdflags::Dsync |
                                                     fdflags::Sync | fdflags::Rsync));
  std::uint32_t fd;
  WASI_TRY(cx.fds.insert(std::move(entry), fd));
  return storeResult(cx.memory, a[8].i32, fd);
}

Errno pathReadlink(WasiContext& cx, Args a) {
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathReadlink, a[1].i32, a[2].i32, d));
  auto out = cx.memory.bytes(a[3].i32, a[4].i32);
  if (!out || !cx.memory.inBounds(a[5].i32, 4)) return Errno::Fault;
  std::string target;
  WASI_TRY(errnoOf(readlinkAt(d.dirfd, d.path, target)));
  // As POSIX readlink: a short buffer gets the beginning, not an error.
  const std::size_t copied = std::min(target.size(), out->size());
  std::memcpy(out->data(), target.data(), copied);
  return storeResult(cx.memory, a[5].i32, static_cast<std::uint32_t>(copied));
}

Errno pathRemoveDirectory(WasiContext& cx, Args a) {
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathRemoveDirectory, a[1].i32, a[2].i32, d));
  return errnoOf(removeDirectoryAt(d.dirfd, d.path));
}

Errno pathRename(WasiContext& cx, Args a) {
  DirPath from, to;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathRenameSource, a[1].i32, a[2].i32, from));
  WASI_TRY(dirPath(cx, a[3].i32, rights::PathRenameTarget, a[4].i32, a[5].i32, to));
  return errnoOf(renameAt(from.dirfd, from.path, to.dirfd, to.path));
}

Errno pathSymlink(WasiContext& cx, Args a) {
  auto target = cx.memory.string(a[0].i32, a[1].i32);
  if (!target) return Errno::Fault;
  DirPath d;
  WASI_TRY(dirPath(cx, a[2].i32, rights::PathSymlink, a[3].i32, a[4].i32, d));
  return errnoOf(symlinkAt(*target, d.dirfd, d.path));
}

Errno pathUnlinkFile(WasiContext& cx, Args a) {
  DirPath d;
  WASI_TRY(dirPath(cx, a[0].i32, rights::PathUnlinkFile, a[1].i32, a[2].i32, d));
  return errnoOf(unlinkFileAt(d.dirfd, d.path));
}

}  // namespace wasmops::wasi::calls
