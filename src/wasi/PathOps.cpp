#include "wasi/PathOps.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace wasmops::wasi {
namespace {

PathStatus lastError() { return {errno, false}; }

// "name/" must name a directory. The slash is never handed to an *at() call:
// the kernel would follow a final symlink for it, even with
// AT_SYMLINK_NOFOLLOW, and that link may point out of the sandbox. So a
// symlink or a file before a trailing slash is ENOTDIR here, and a missing
// entry is left to the operation (mkdir creates it, the rest say ENOENT).
int checkTrailingSlash(const ParentAndName& p) {
  if (!p.trailingSlash) return 0;
  struct stat st {};
  if (::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT ? 0 : errno;
  return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

// Link and symlink never create "name/" (as Linux: only directories end in a slash).
int refuseSlashedNewName(const ParentAndName& p) {
  if (!p.trailingSlash) return 0;
  struct stat st {};
  return ::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? EEXIST : ENOENT;
}

bool isDirectory(const ParentAndName& p) {
  struct stat st {};
  return ::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

// An O_PATH fd cannot be futimens'd or linked by fd; its /proc name reaches the same inode.
std::string procPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace

PathStatus resolveAt(int dirfd, std::string_view path, ParentAndName& out) {
  if (const int rc = resolveParent(dirfd, path, out); rc != 0) return resolverStatus(rc);
  return {checkTrailingSlash(out), false};
}

PathStatus openPathFollowed(int dirfd, std::string_view path, UniqueFd& out) {
  OpenRequest req;
  req.flags = O_PATH;
  const int rc = openBeneath(dirfd, path, req);
  if (rc < 0) return resolverStatus(-rc);
  out.reset(rc);
  return {};
}

PathStatus createDirectoryAt(int dirfd, std::string_view path) {
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  return ::mkdirat(p.parent.get(), p.name.c_str(), 0777) == 0 ? PathStatus{} : lastError();
}

PathStatus statAt(int dirfd, std::string_view path, bool follow, struct stat& out) {
  if (follow) {
    UniqueFd f;
    if (PathStatus s = openPathFollowed(dirfd, path, f); !s.ok()) return s;
    return ::fstat(f.get(), &out) == 0 ? PathStatus{} : lastError();
  }
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  return ::fstatat(p.parent.get(), p.name.c_str(), &out, AT_SYMLINK_NOFOLLOW) == 0 ? PathStatus{} : lastError();
}

PathStatus setTimesAt(int dirfd, std::string_view path, bool follow, const timespec times[2]) {
  if (follow) {
    UniqueFd f;
    if (PathStatus s = openPathFollowed(dirfd, path, f); !s.ok()) return s;
    return ::utimensat(AT_FDCWD, procPath(f.get()).c_str(), times, 0) == 0 ? PathStatus{} : lastError();
  }
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  return ::utimensat(p.parent.get(), p.name.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0 ? PathStatus{} : lastError();
}

PathStatus linkAt(int oldDirfd, std::string_view oldPath, bool follow, int newDirfd, std::string_view newPath) {
  ParentAndName to;
  if (PathStatus s = resolveAt(newDirfd, newPath, to); !s.ok()) return s;
  if (const int rc = refuseSlashedNewName(to); rc != 0) return {rc, false};
  if (follow) {
    UniqueFd f;
    if (PathStatus s = openPathFollowed(oldDirfd, oldPath, f); !s.ok()) return s;
    return ::linkat(AT_FDCWD, procPath(f.get()).c_str(), to.parent.get(), to.name.c_str(), AT_SYMLINK_FOLLOW) == 0
               ? PathStatus{}
               : lastError();
  }
  ParentAndName from;
  if (PathStatus s = resolveAt(oldDirfd, oldPath, from); !s.ok()) return s;
  return ::linkat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), 0) == 0 ? PathStatus{}
                                                                                                   : lastError();
}

PathStatus renameAt(int oldDirfd, std::string_view oldPath, int newDirfd, std::string_view newPath) {
  ParentAndName from, to;
  if (PathStatus s = resolveAt(oldDirfd, oldPath, from); !s.ok()) return s;
  if (PathStatus s = resolveAt(newDirfd, newPath, to); !s.ok()) return s;
  // "new/" may only name a directory, so only a directory can move there.
  if (to.trailingSlash && !isDirectory(from)) return {ENOTDIR, false};
  return ::renameat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str()) == 0 ? PathStatus{}
                                                                                                   : lastError();
}

PathStatus symlinkAt(std::string_view target, int dirfd, std::string_view path) {
  if (target.find('\0') != std::string_view::npos) return {EINVAL, false};
  // A link to an absolute path could never be followed inside the sandbox;
  // refuse it up front as wasmtime (cap-std) and uvwasi do.
  if (target.starts_with('/')) return {EPERM, false};
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  if (const int rc = refuseSlashedNewName(p); rc != 0) return {rc, false};
  const std::string t(target);
  return ::symlinkat(t.c_str(), p.parent.get(), p.name.c_str()) == 0 ? PathStatus{} : lastError();
}

PathStatus unlinkFileAt(int dirfd, std::string_view path) {
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  return ::unlinkat(p.parent.get(), p.name.c_str(), 0) == 0 ? PathStatus{} : lastError();
}

PathStatus removeDirectoryAt(int dirfd, std::string_view path) {
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  return ::unlinkat(p.parent.get(), p.name.c_str(), AT_REMOVEDIR) == 0 ? PathStatus{} : lastError();
}

PathStatus readlinkAt(int dirfd, std::string_view path, std::string& target) {
  ParentAndName p;
  if (PathStatus s = resolveAt(dirfd, path, p); !s.ok()) return s;
  char buf[PATH_MAX];
  const ssize_t n = ::readlinkat(p.parent.get(), p.name.c_str(), buf, sizeof buf);
  if (n < 0) return lastError();
  target.assign(buf, static_cast<std::size_t>(n));
  return {};
}

}  // namespace wasmops::wasi
