#pragma once
// The operations on guest paths beneath a directory fd that both WASI
// bindings perform (preview1's path_* calls, wasi:filesystem's *-at
// methods), each resolved through PathResolver so neither ABI can leave a
// preopen. The bindings check their own capabilities first (rights,
// descriptor flags) and map a PathStatus to their own error codes.
#include <sys/stat.h>

#include <ctime>
#include <string>
#include <string_view>

#include "base/UniqueFd.h"
#include "wasi/PathResolver.h"

namespace wasmops::wasi {

// 0, or a host errno and whether it is the resolver's "leaves the sandbox".
// EXDEV alone is ambiguous: the resolver says it for an escape
// (kEscapeErrno), renameat/linkat say it for another filesystem; the two
// must map to different codes (preview1 ENOTCAPABLE vs EXDEV, 0.2
// not-permitted vs cross-device).
struct PathStatus {
  int err = 0;
  bool escape = false;
  bool ok() const { return err == 0; }
};

// A status from the resolver itself (or from a call that cannot say EXDEV).
inline PathStatus resolverStatus(int err) { return {err, err == kEscapeErrno}; }

// The parent and last name of `path` beneath `dirfd`, with a trailing slash
// checked: "name/" must name a directory (or nothing yet).
PathStatus resolveAt(int dirfd, std::string_view path, ParentAndName& out);
// An O_PATH fd for `path` itself, symlinks followed beneath.
PathStatus openPathFollowed(int dirfd, std::string_view path, UniqueFd& out);

PathStatus createDirectoryAt(int dirfd, std::string_view path);
PathStatus statAt(int dirfd, std::string_view path, bool follow, struct stat& out);
// times: as utimensat's (UTIME_NOW, UTIME_OMIT allowed).
PathStatus setTimesAt(int dirfd, std::string_view path, bool follow, const timespec times[2]);
PathStatus linkAt(int oldDirfd, std::string_view oldPath, bool follow, int newDirfd, std::string_view newPath);
PathStatus renameAt(int oldDirfd, std::string_view oldPath, int newDirfd, std::string_view newPath);
// An absolute target is refused (EPERM): it could never be followed inside the sandbox.
PathStatus symlinkAt(std::string_view target, int dirfd, std::string_view path);
PathStatus unlinkFileAt(int dirfd, std::string_view path);
PathStatus removeDirectoryAt(int dirfd, std::string_view path);
PathStatus readlinkAt(int dirfd, std::string_view path, std::string& target);

}  // namespace wasmops::wasi
