#pragma once
// Capability-safe resolution of guest paths beneath a directory fd (WASI preview1 preopens).
//
// Every WASI path operation names a directory fd and a relative guest path. Whatever the path says, and whatever
// symlinks or concurrent renames the filesystem holds, resolution must never leave that directory's tree: this is
// the sandbox. Two implementations give the same results:
//  - openat2(2) with RESOLVE_BENEATH: the kernel checks every step, including symlink targets and "..";
//  - a component walk for kernels without openat2 (or where seccomp blocks it): each directory is opened with
//    O_NOFOLLOW, symlinks are read with readlinkat and spliced into the remaining path, and ".." pops our own stack
//    of opened directories instead of asking the kernel, so a directory moved or swapped mid-walk cannot lead out.
//
// Semantics follow Linux path resolution (and wasmtime/cap-std) except that leaving the tree is an error:
//  - empty path: ENOENT; a NUL byte inside the path: EINVAL; an absolute path: kEscapeErrno;
//  - ".." above the directory, even transiently ("../dir/x"), or a symlink whose target is absolute or climbs
//    above it: kEscapeErrno; "a/../b" inside is fine;
//  - more than 40 symlinks in one resolution (as Linux's MAXSYMLINKS), loops included: ELOOP;
//  - a trailing slash makes the last component a directory and follows it if it is a symlink (as Linux does,
//    O_NOFOLLOW notwithstanding); with O_CREAT it is EISDIR (as Linux).
#include <fcntl.h>
#include <sys/types.h>

#include <cerrno>
#include <string>
#include <string_view>

#include "base/UniqueFd.h"

namespace wasmops::wasi {

// Host errno for "the path leaves the sandbox"; the WASI layer maps it to WASI's ENOTCAPABLE (76).
// EXDEV because it is exactly what openat2(RESOLVE_BENEATH) reports, so both implementations agree without
// translation, and because open(2) and the lookups done here never produce it for any other reason (no
// RESOLVE_NO_XDEV). Caveat for the WASI layer: renameat/linkat on a resolved parent+name do return EXDEV for
// a cross-filesystem operation; that one must stay WASI's XDEV. Map only the resolver's own results.
inline constexpr int kEscapeErrno = EXDEV;

struct OpenRequest {
  // open(2) flags: access mode plus O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY/O_APPEND/O_NONBLOCK/O_NOFOLLOW/O_PATH...
  // O_CLOEXEC is always added.
  int flags = O_RDONLY;
  mode_t mode = 0644;  // only used when a file is created
  // WASI lookupflags SYMLINK_FOLLOW. false behaves like O_NOFOLLOW: a symlink as the last component gives ELOOP,
  // also with O_DIRECTORY (where Linux itself says ENOTDIR), because WASI programs and tests expect ELOOP.
  bool followFinalSymlink = true;
};

// Opens `path` (a guest path, relative to `dirfd`) so that no step of the resolution ever leaves `dirfd`'s tree.
// Symlinks are followed beneath (the last one unless followFinalSymlink is false or O_NOFOLLOW is given).
// Returns the new fd (owned by the caller) or -errno.
int openBeneath(int dirfd, std::string_view path, const OpenRequest& req);

struct ParentAndName {
  UniqueFd parent;             // directory containing the last component (beneath dirfd), opened O_PATH
  std::string name;            // last component: never empty, no slashes, never ".."; "." only as described below
  bool trailingSlash = false;  // the guest path ended in '/' (the entry must be a directory)
};

// For the *at() operations (mkdirat, unlinkat, renameat, linkat, symlinkat, readlinkat, fstatat, utimensat):
// resolves every component but the last beneath dirfd, following symlinks in intermediate components (still
// beneath). The last component is never followed: the caller's operation decides (unlinkat removes a link itself).
//
// When the last component is "." or ".." (e.g. "a/.." or "."), there is no name to hand over that would stay in
// the sandbox (".." of the root is outside it), so the whole path is resolved as a directory and the result is
// parent = that directory, name = ".". This is the only case in which name is "."; the WASI layer handles
// operations on "." as Linux does (rmdir "." is EINVAL, fstatat "." stats the directory). So
// resolveParent(root, "..") is an escape, resolveParent(root, "a/..") gives parent = root, name = ".".
//
// Returns 0 (and fills `out`) or an errno (and leaves `out` untouched).
int resolveParent(int dirfd, std::string_view path, ParentAndName& out);

// Whether this kernel (and seccomp policy) lets us use openat2 with RESOLVE_BENEATH. Probed once.
bool openat2Supported();

// Tests only: false forces the component walk even where openat2 works, so that both implementations run the
// same cases. true (the default) uses openat2 when supported. Process-wide.
void setOpenat2ForTesting(bool enabled);

}  // namespace wasmops::wasi
