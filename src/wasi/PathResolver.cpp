#include "wasi/PathResolver.h"

#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <iterator>
#include <optional>
#include <vector>

namespace wasmops::wasi {
namespace {

// Linux's MAXSYMLINKS: the kernel says ELOOP after this many symlinks in one lookup; the walk uses the same limit
// so that both implementations agree.
constexpr int kMaxSymlinks = 40;

// openat2 says EAGAIN when a rename or mount raced with a ".." step and it cannot prove the step stayed beneath.
// Retrying is the documented answer; if a hostile guest keeps renaming, we stop retrying and walk instead (the walk
// never asks the kernel for "..", so renames cannot make it fail or escape).
constexpr int kMaxOpenat2Attempts = 64;

// How often one walk resolves a component again because a concurrent rename replaced it between our openat and
// readlinkat (see BeneathWalk::retryAfterRace). Bounded so that a hostile renamer cannot keep us spinning.
constexpr int kMaxRaceRetries = 8;

// Returned by openWithOpenat2 when the caller must use the walk. No fd or -errno can have this value.
constexpr int kUseWalk = INT_MIN;

std::atomic<bool> gOpenat2Enabled{true};

int sysOpenat2(int dirfd, const char* path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(static_cast<unsigned>(flags));
  // The kernel rejects a mode unless the open may create a file.
  const bool creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
  how.mode = creates ? mode : 0;
  // RESOLVE_BENEATH already refuses magic links (/proc/self/fd/N); saying so keeps that true if it ever changes.
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

// A successful probe means both "the kernel has openat2" and "no seccomp filter turns it into ENOSYS/EPERM"
// (older container runtimes did that). Anything else: walk, which is always safe.
// The probe uses the real resolve flags, hence a relative path ("/" itself would be an escape).
bool probeOpenat2() {
  const UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  const UniqueFd fd(sysOpenat2(root.get(), ".", O_PATH | O_CLOEXEC, 0));
  return static_cast<bool>(fd);
}

bool useOpenat2() {
  return gOpenat2Enabled.load(std::memory_order_relaxed) && openat2Supported();
}

int openWithOpenat2(int dirfd, const std::string& path, int flags, mode_t mode) {
  for (int attempt = 0; attempt < kMaxOpenat2Attempts; ++attempt) {
    const int fd = sysOpenat2(dirfd, path.c_str(), flags, mode);
    if (fd >= 0) return fd;
    if (errno == ENOSYS) return kUseWalk;  // cannot happen after a good probe; the walk is the right answer anyway
    if (errno != EAGAIN) return -errno;
  }
  return kUseWalk;
}

// 0, or the errno for a guest path that is malformed or absolute.
int checkGuestPath(std::string_view path) {
  if (path.empty()) return ENOENT;
  // Guest strings are pointer+length; a NUL inside would silently cut the path short in a C API.
  if (path.find('\0') != std::string_view::npos) return EINVAL;
  if (path.front() == '/') return kEscapeErrno;
  return 0;
}

bool endsWithSlash(std::string_view path) {
  return !path.empty() && path.back() == '/';
}

// Reads a symlink's target. Returns 0 or an errno (EINVAL: not a symlink).
int readLink(int dirfd, const char* name, std::string& target) {
  std::string buf(PATH_MAX, '\0');
  for (;;) {
    const ssize_t n = ::readlinkat(dirfd, name, buf.data(), buf.size());
    if (n < 0) return errno;
    if (static_cast<size_t>(n) < buf.size()) {
      buf.resize(static_cast<size_t>(n));
      target = std::move(buf);
      return 0;
    }
    buf.resize(buf.size() * 2);  // possibly truncated: try again with more room
  }
}

// Splits a relative path into its components, skipping empty ones ("a//b"). "." and ".." are kept.
std::vector<std::string> splitComponents(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Resolves a guest path one component at a time without ever letting the kernel follow a symlink or "..":
// directories are opened with O_NOFOLLOW, symlinks are read and their targets spliced in front of the remaining
// components, and ".." pops our own stack of opened directories. The stack, not the filesystem, defines "up", so
// a directory renamed out of the sandbox while we stand in it, or swapped for a symlink, cannot take us outside.
class BeneathWalk {
 public:
  BeneathWalk(int root, std::string_view path, int flags, mode_t mode)
      : root_(root), flags_(flags), mode_(mode), lastMustBeDir_(endsWithSlash(path)) {
    pushFront(path);
  }

  // The new fd or -errno.
  int run() {
    while (!pending_.empty()) {
      const std::string name = std::move(pending_.back());
      pending_.pop_back();
      const bool last = pending_.empty();
      if (name == "." || name == "..") {
        if (name == ".." && dirs_.empty()) return -kEscapeErrno;
        if (name == "..") dirs_.pop_back();
        if (last) return openCurrent();
        continue;
      }
      if (last && !lastMustBeDir_) {
        if (std::optional<int> result = openLast(name)) return *result;
        continue;
      }
      // Linux refuses O_CREAT on "name/" (EISDIR) before looking at name at all, symlink or not.
      if (last && (flags_ & O_CREAT) != 0) return -EISDIR;
      if (int err = enterDirectory(name, last)) return -err;
      if (pending_.empty()) return openCurrent();  // "name/" was a directory: open it with the caller's flags
    }
    return -ENOENT;  // unreachable: a checked path has at least one component
  }

 private:
  int current() const { return dirs_.empty() ? root_ : dirs_.back().get(); }
  bool follows() const { return (flags_ & O_NOFOLLOW) == 0; }

  // Puts the components of `path` (a guest path or a symlink target) in front of what remains.
  void pushFront(std::string_view path) {
    std::vector<std::string> parts = splitComponents(path);
    pending_.insert(pending_.end(), std::make_move_iterator(parts.rbegin()), std::make_move_iterator(parts.rend()));
  }

  // Replaces a symlink by its target. `isLast`: the link was the last component, so the target's own trailing
  // slash, if any, now applies to the new last component. Returns 0 or an errno.
  int expandSymlink(std::string_view target, bool isLast) {
    if (++symlinks_ > kMaxSymlinks) return ELOOP;
    if (target.empty()) return ENOENT;  // as Linux
    if (target.front() == '/') return kEscapeErrno;
    if (isLast && endsWithSlash(target)) lastMustBeDir_ = true;
    pushFront(target);
    return 0;
  }

  // Steps into directory `name`, or expands it if it is a symlink. Returns 0 or an errno.
  int enterDirectory(const std::string& name, bool isLast) {
    const int fd = ::openat(current(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      dirs_.emplace_back(fd);
      return 0;
    }
    const int err = errno;
    // O_PATH|O_DIRECTORY|O_NOFOLLOW on a symlink is ENOTDIR, the same as on a file: ask which one it is.
    if (err != ENOTDIR && err != ELOOP) return err;
    std::string target;
    const int linkErr = readLink(current(), name.c_str(), target);
    if (linkErr == 0) return expandSymlink(target, isLast);
    return retryAfterRace(name, err, linkErr) ? 0 : err;
  }

  // Opens the last component. nullopt: it was a symlink to follow, now expanded; otherwise the fd or -errno.
  std::optional<int> openLast(const std::string& name) {
    const int fd = ::openat(current(), name.c_str(), flags_ | O_NOFOLLOW, mode_);
    if (fd < 0) return openLastFailed(name, errno);
    if ((flags_ & O_PATH) == 0 || !follows()) return fd;
    // O_PATH|O_NOFOLLOW opens a symlink itself instead of failing, but the caller asked to follow it.
    UniqueFd opened(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return -errno;
    if (!S_ISLNK(st.st_mode)) return opened.release();
    std::string target;
    if (int err = readLink(fd, "", target)) return -err;
    if (int err = expandSymlink(target, true)) return -err;
    return std::nullopt;
  }

  std::optional<int> openLastFailed(const std::string& name, int err) {
    // With O_NOFOLLOW a symlink gives ELOOP, or ENOTDIR if O_DIRECTORY was asked. Only then is it worth a look.
    if (!follows() || (err != ELOOP && err != ENOTDIR)) return -err;
    std::string target;
    const int linkErr = readLink(current(), name.c_str(), target);
    if (linkErr == 0) {
      if (int expandErr = expandSymlink(target, true)) return -expandErr;
      return std::nullopt;
    }
    if (retryAfterRace(name, err, linkErr)) return std::nullopt;
    return -err;  // not a symlink: the error stands
  }

  // openat said "maybe a symlink" (ELOOP, or ENOTDIR for a directory-only open) and readlinkat then said "not a
  // symlink" (EINVAL) or "gone" (ENOENT). For a plain file that is the answer; otherwise a rename replaced the entry
  // between the two calls, and resolving it again gives the result the path deserves instead of an error it never
  // had (seen in the swap race test as a stray ENOTDIR). true: `name` is queued again.
  bool retryAfterRace(const std::string& name, int openErr, int linkErr) {
    if (retries_ >= kMaxRaceRetries) return false;
    // ELOOP from an O_NOFOLLOW open means "symlink", so readlinkat failing means the entry changed. ENOTDIR may
    // mean a file (then it stands), or a symlink or directory that was there at one call but not the other.
    const bool replaced =
        linkErr == ENOENT || (linkErr == EINVAL && (openErr == ELOOP || !isNonDirectory(current(), name)));
    if (!replaced) return false;
    ++retries_;
    pending_.push_back(name);
    return true;
  }

  // A file, fifo, socket or device: neither a directory nor a symlink.
  static bool isNonDirectory(int dirfd, const std::string& name) {
    struct stat st {};
    return ::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
           !S_ISLNK(st.st_mode);
  }

  int openCurrent() const {
    const int fd = ::openat(current(), ".", flags_, mode_);
    return fd >= 0 ? fd : -errno;
  }

  int root_;
  int flags_;
  mode_t mode_;
  bool lastMustBeDir_;
  int symlinks_ = 0;
  int retries_ = 0;
  std::vector<UniqueFd> dirs_;        // directories entered beneath root_, innermost last
  std::vector<std::string> pending_;  // components still to resolve, next one last
};

int openResolved(int dirfd, const std::string& path, int flags, mode_t mode) {
  if (useOpenat2()) {
    const int fd = openWithOpenat2(dirfd, path, flags, mode);
    if (fd != kUseWalk) return fd;
  }
  return BeneathWalk(dirfd, path, flags, mode).run();
}

// Linux answers O_DIRECTORY|O_NOFOLLOW on a symlink with ENOTDIR; WASI expects ELOOP ("a symlink was not
// followed"), and so does every other O_NOFOLLOW open. Only a final component without trailing slash can be the
// unfollowed symlink (a trailing slash follows it).
int reportUnfollowedSymlink(int dirfd, const std::string& path, int flags, int result) {
  if (result != -ENOTDIR || (flags & O_NOFOLLOW) == 0 || endsWithSlash(path)) return result;
  const UniqueFd last(openResolved(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0));
  struct stat st {};
  if (last && ::fstat(last.get(), &st) == 0 && S_ISLNK(st.st_mode)) return -ELOOP;
  return result;
}

}  // namespace

bool openat2Supported() {
  static const bool supported = probeOpenat2();
  return supported;
}

void setOpenat2ForTesting(bool enabled) {
  gOpenat2Enabled.store(enabled, std::memory_order_relaxed);
}

int openBeneath(int dirfd, std::string_view path, const OpenRequest& req) {
  if (int err = checkGuestPath(path)) return -err;
  int flags = req.flags | O_CLOEXEC;
  if (!req.followFinalSymlink) flags |= O_NOFOLLOW;
  const std::string owned(path);  // the syscalls need a NUL-terminated string
  return reportUnfollowedSymlink(dirfd, owned, flags, openResolved(dirfd, owned, flags, req.mode));
}

int resolveParent(int dirfd, std::string_view path, ParentAndName& out) {
  if (int err = checkGuestPath(path)) return err;
  // Not npos: the path is non-empty and does not start with '/'.
  const std::string_view trimmed = path.substr(0, path.find_last_not_of('/') + 1);
  const size_t slash = trimmed.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? trimmed : trimmed.substr(slash + 1);
  const std::string_view dir = slash == std::string_view::npos ? std::string_view(".") : trimmed.substr(0, slash + 1);
  // "x/.." or ".": the entry is a directory we must not name by "..", so it becomes (that directory, ".").
  const bool dotted = name == "." || name == "..";
  const OpenRequest asDirectory{.flags = O_PATH | O_DIRECTORY, .mode = 0, .followFinalSymlink = true};
  const int fd = openBeneath(dirfd, dotted ? trimmed : dir, asDirectory);
  if (fd < 0) return -fd;
  out.parent.reset(fd);
  out.name = dotted ? std::string(".") : std::string(name);
  out.trailingSlash = endsWithSlash(path);
  return 0;
}

}  // namespace wasmops::wasi
