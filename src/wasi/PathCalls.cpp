// path_*: operations on paths beneath a directory fd. Every path goes
// through PathResolver, so no lookup ever leaves the guest's preopens.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "wasi/Calls.h"
#include "wasi/FileStat.h"
#include "wasi/IoVectors.h"
#include "wasi/PathResolver.h"

namespace wasmops::wasi::calls {
namespace {

Errno hostError() { return fromHostErrno(errno); }

// Cross-filesystem rename/link: here EXDEV means what it says, not "escape".
Errno linkError() { return errno == EXDEV ? Errno::Xdev : fromHostErrno(errno); }

// "name/" must name a directory. The slash is never handed to an *at() call:
// the kernel would follow a final symlink for it, even with
// AT_SYMLINK_NOFOLLOW, and that link may point out of the sandbox. So a
// symlink or a file before a trailing slash is ENOTDIR here, and a missing
// entry is left to the operation (mkdir creates it, the rest say ENOENT).
Errno checkTrailingSlash(const ParentAndName& p) {
  if (!p.trailingSlash) return Errno::Success;
  struct stat st {};
  if (::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? Errno::Success : hostError();
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
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

// The directory fd, with `needed` rights, and the resolved parent of `path`.
Errno parentOf(WasiContext& cx, std::uint32_t fd, std::uint64_t needed, std::uint32_t ptr, std::uint32_t len,
               ParentAndName& out) {
  FdEntry* dir;
  std::string_view path;
  WASI_TRY(dirAndPath(cx, fd, needed, ptr, len, dir, path));
  const int rc = resolveParent(dir->host.get(), path, out);
  if (rc != 0) return fromHostErrno(rc);
  return checkTrailingSlash(out);
}

// An O_PATH fd for `path` itself (symlinks followed beneath), for calls that
// must follow the last symlink without trusting its target.
Errno openFollowed(WasiContext& cx, std::uint32_t fd, std::uint64_t needed, std::uint32_t ptr, std::uint32_t len,
                   UniqueFd& out) {
  FdEntry* dir;
  std::string_view path;
  WASI_TRY(dirAndPath(cx, fd, needed, ptr, len, dir, path));
  OpenRequest req;
  req.flags = O_PATH;
  const int rc = openBeneath(dir->host.get(), path, req);
  if (rc < 0) return fromHostErrno(-rc);
  out.reset(rc);
  return Errno::Success;
}

// Link and symlink never create "name/" (as Linux: only directories end in a slash).
Errno refuseSlashedNewName(const ParentAndName& p) {
  if (!p.trailingSlash) return Errno::Success;
  struct stat st {};
  return ::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? Errno::Exist : Errno::NoEnt;
}

bool isDirectory(const ParentAndName& p) {
  struct stat st {};
  return ::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

std::string procPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace

Errno pathCreateDirectory(WasiContext& cx, Args a) {
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathCreateDirectory, a[1].i32, a[2].i32, p));
  return ::mkdirat(p.parent.get(), p.name.c_str(), 0777) == 0 ? Errno::Success : hostError();
}

Errno pathFilestatGet(WasiContext& cx, Args a) {
  const bool follow = a[1].i32 & lookupflags::SymlinkFollow;
  struct stat st {};
  if (follow) {
    UniqueFd f;
    WASI_TRY(openFollowed(cx, a[0].i32, rights::PathFilestatGet, a[2].i32, a[3].i32, f));
    if (::fstat(f.get(), &st) != 0) return hostError();
  } else {
    ParentAndName p;
    WASI_TRY(parentOf(cx, a[0].i32, rights::PathFilestatGet, a[2].i32, a[3].i32, p));
    if (::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return hostError();
  }
  return storeFilestat(cx.memory, a[4].i32, st);
}

Errno pathFilestatSetTimes(WasiContext& cx, Args a) {
  timespec times[2];
  WASI_TRY(timesFromFlags(a[4].i64, a[5].i64, static_cast<std::uint16_t>(a[6].i32), times));
  if (a[1].i32 & lookupflags::SymlinkFollow) {
    UniqueFd f;
    WASI_TRY(openFollowed(cx, a[0].i32, rights::PathFilestatSetTimes, a[2].i32, a[3].i32, f));
    // An O_PATH fd cannot be futimens'd; its /proc name reaches the same inode.
    return ::utimensat(AT_FDCWD, procPath(f.get()).c_str(), times, 0) == 0 ? Errno::Success : hostError();
  }
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathFilestatSetTimes, a[2].i32, a[3].i32, p));
  return ::utimensat(p.parent.get(), p.name.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0 ? Errno::Success
                                                                                      : hostError();
}

Errno pathLink(WasiContext& cx, Args a) {
  ParentAndName to;
  WASI_TRY(parentOf(cx, a[4].i32, rights::PathLinkTarget, a[5].i32, a[6].i32, to));
  WASI_TRY(refuseSlashedNewName(to));
  if (a[1].i32 & lookupflags::SymlinkFollow) {
    UniqueFd f;
    WASI_TRY(openFollowed(cx, a[0].i32, rights::PathLinkSource, a[2].i32, a[3].i32, f));
    return ::linkat(AT_FDCWD, procPath(f.get()).c_str(), to.parent.get(), to.name.c_str(), AT_SYMLINK_FOLLOW) == 0
               ? Errno::Success
               : linkError();
  }
  ParentAndName from;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathLinkSource, a[2].i32, a[3].i32, from));
  return ::linkat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), 0) == 0 ? Errno::Success
                                                                                                   : linkError();
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
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathReadlink, a[1].i32, a[2].i32, p));
  auto out = cx.memory.bytes(a[3].i32, a[4].i32);
  if (!out || !cx.memory.inBounds(a[5].i32, 4)) return Errno::Fault;
  char target[PATH_MAX];
  const ssize_t n = ::readlinkat(p.parent.get(), p.name.c_str(), target, sizeof target);
  if (n < 0) return hostError();
  // As POSIX readlink: a short buffer gets the beginning, not an error.
  const std::size_t copied = std::min(static_cast<std::size_t>(n), out->size());
  std::memcpy(out->data(), target, copied);
  return storeResult(cx.memory, a[5].i32, static_cast<std::uint32_t>(copied));
}

Errno pathRemoveDirectory(WasiContext& cx, Args a) {
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathRemoveDirectory, a[1].i32, a[2].i32, p));
  return ::unlinkat(p.parent.get(), p.name.c_str(), AT_REMOVEDIR) == 0 ? Errno::Success : hostError();
}

Errno pathRename(WasiContext& cx, Args a) {
  ParentAndName from, to;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathRenameSource, a[1].i32, a[2].i32, from));
  WASI_TRY(parentOf(cx, a[3].i32, rights::PathRenameTarget, a[4].i32, a[5].i32, to));
  // "new/" may only name a directory, so only a directory can move there.
  if (to.trailingSlash && !isDirectory(from)) return Errno::NotDir;
  return ::renameat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str()) == 0 ? Errno::Success
                                                                                                   : linkError();
}

Errno pathSymlink(WasiContext& cx, Args a) {
  auto target = cx.memory.string(a[0].i32, a[1].i32);
  if (!target) return Errno::Fault;
  if (target->find('\0') != std::string_view::npos) return Errno::Inval;
  // A link to an absolute path could never be followed inside the sandbox;
  // refuse it up front as wasmtime (cap-std) and uvwasi do.
  if (target->starts_with('/')) return Errno::Perm;
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[2].i32, rights::PathSymlink, a[3].i32, a[4].i32, p));
  WASI_TRY(refuseSlashedNewName(p));
  const std::string t(*target);
  return ::symlinkat(t.c_str(), p.parent.get(), p.name.c_str()) == 0 ? Errno::Success : hostError();
}

Errno pathUnlinkFile(WasiContext& cx, Args a) {
  ParentAndName p;
  WASI_TRY(parentOf(cx, a[0].i32, rights::PathUnlinkFile, a[1].i32, a[2].i32, p));
  return ::unlinkat(p.parent.get(), p.name.c_str(), 0) == 0 ? Errno::Success : hostError();
}

}  // namespace wasmops::wasi::calls
