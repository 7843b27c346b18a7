#include "base/AtomicFile.h"

#include "base/UniqueFd.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <utility>

namespace wasmops::base {
namespace {

Unexpected ioError(const std::string& path, const std::string& what, int err = errno) {
  return Unexpected(
      Error(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, what + ": " + std::strerror(err)).inFile(path));
}

void fsyncDir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) ::fsync(fd.get());  // best effort: some file systems refuse fsync on folders
}

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

constexpr std::string_view kPartialPrefix = ".partial-";

}  // namespace

Expected<TempFile> TempFile::create(const std::string& dir, mode_t mode) {
  std::string templ = fmt::format("{}/{}{}-XXXXXX", dir, kPartialPrefix, ::getpid());
  int fd = ::mkostemp(templ.data(), O_CLOEXEC);
  if (fd < 0) return ioError(dir, "cannot create a temporary file");
  TempFile t;
  t.fd_ = fd;
  t.path_ = templ;
  t.dir_ = dir;
  if (::fchmod(fd, mode) != 0) return ioError(templ, "cannot set file mode");
  return t;
}

TempFile::TempFile(TempFile&& other) noexcept {
  *this = std::move(other);
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    discard();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::exchange(other.path_, {});
    dir_ = std::exchange(other.dir_, {});
  }
  return *this;
}

TempFile::~TempFile() {
  discard();
}

void TempFile::discard() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
  fd_ = -1;
  path_.clear();
}

Expected<void> TempFile::write(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError(path_, "cannot write");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

Expected<void> TempFile::write(std::string_view bytes) {
  return write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Expected<void> TempFile::commit(const std::string& target) {
  if (::fsync(fd_) != 0) return ioError(path_, "cannot fsync");
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return ioError(path_, "cannot close");
  if (::rename(path_.c_str(), target.c_str()) != 0) return ioError(target, "cannot rename into place");
  path_.clear();
  fsyncDir(parentOf(target));
  return {};
}

Expected<void> writeFileAtomically(const std::string& path, std::string_view bytes, mode_t mode) {
  std::string dir = parentOf(path);
  WASMOPS_TRY_VOID(makeDirectories(dir));
  WASMOPS_TRY(auto tmp, TempFile::create(dir, mode));
  WASMOPS_TRY_VOID(tmp.write(bytes));
  return tmp.commit(path);
}

Expected<void> makeDirectories(const std::string& dir, bool private_) {
  if (dir.empty()) return {};
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Unexpected(Error(ErrorCode::Io, "exists and is not a folder").inFile(dir));
    return {};
  }
  std::string parent = parentOf(dir);
  if (parent != dir) WASMOPS_TRY_VOID(makeDirectories(parent, private_));
  if (::mkdir(dir.c_str(), private_ ? 0700 : 0755) != 0 && errno != EEXIST) return ioError(dir, "cannot create folder");
  return {};
}

void removeStalePartials(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (auto* entry = ::readdir(d)) {
    std::string_view name = entry->d_name;
    if (name.substr(0, kPartialPrefix.size()) != kPartialPrefix) continue;
    auto rest = name.substr(kPartialPrefix.size());
    auto dash = rest.find('-');
    if (dash == std::string_view::npos) continue;
    pid_t pid = 0;
    for (char c : rest.substr(0, dash)) {
      if (c < '0' || c > '9') {
        pid = 0;
        break;
      }
      pid = pid * 10 + (c - '0');
    }
    // A live pid keeps its file: that process may still be writing it.
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) ::unlink((dir + "/" + std::string(name)).c_str());
  }
  ::closedir(d);
}

Expected<std::string> readSmallFile(const std::string& path, std::size_t maxBytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ioError(path, "cannot open");
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError(path, "cannot read");
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > maxBytes)
      return Unexpected(Error(ErrorCode::LimitExceeded, fmt::format("larger than {} bytes", maxBytes)).inFile(path));
  }
  return out;
}

}  // namespace wasmops::base
