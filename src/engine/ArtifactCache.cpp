#include "engine/ArtifactCache.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/AtomicFile.h"
#include "base/MappedFile.h"
#include "base/UniqueFd.h"

namespace fs = std::filesystem;

namespace wasmops::engine {

std::string defaultCacheRoot() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/wasmops";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/wasmops";
  return (fs::temp_directory_path() / "wasmops-cache").string();
}

static bool writable(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  return !ec && ::access(dir.c_str(), W_OK) == 0;
}

ArtifactCache ArtifactCache::open(const std::string& dir) {
  ArtifactCache c;
  c.dir_ = dir.empty() ? defaultCacheRoot() + "/artifacts" : dir;
  if (!writable(c.dir_)) {
    char tmpl[] = "/tmp/wasmops-artifacts-XXXXXX";
    const char* tmp = ::mkdtemp(tmpl);
    spdlog::warn("artifact cache {} is not writable; using {} for this run", c.dir_, tmp ? tmp : "?");
    c.dir_ = tmp ? tmp : "/tmp";
  }
  return c;
}

namespace {

struct LockFile {
  int fd = -1;
  explicit LockFile(const std::string& path) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) ::flock(fd, LOCK_EX);
  }
  ~LockFile() {
    if (fd >= 0) ::close(fd);  // releases the lock
  }
};

bool verify(const std::string& path, const std::string& sumPath) {
  std::ifstream in(sumPath);
  std::string expected;
  if (!(in >> expected)) return false;
  auto f = MappedFile::open(path);
  return f && f->sha256() == expected;
}

}  // namespace

std::optional<std::string> ArtifactCache::lookup(const std::string& key) const {
  const std::string path = (fs::path(dir_) / key.substr(0, 2) / (key + ".so")).string();
  if (verify(path, path + ".sha256")) return path;
  return std::nullopt;
}

Expected<std::string> ArtifactCache::getOrBuild(const std::string& key,
                                                const std::function<Expected<void>(const std::string&)>& build) {
  const fs::path sub = fs::path(dir_) / key.substr(0, 2);
  std::error_code ec;
  fs::create_directories(sub, ec);
  if (ec) return makeError(ErrorCode::Io, "cannot create cache directory " + sub.string() + ": " + ec.message());
  const std::string path = (sub / (key + ".so")).string();
  const std::string sum = path + ".sha256";
  if (verify(path, sum)) return path;
  LockFile lock(path + ".lock");
  if (verify(path, sum)) return path;  // another process built it meanwhile
  if (fs::exists(path)) spdlog::warn("cache entry {} is corrupt or incomplete; rebuilding", path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (auto ok = build(tmp); !ok) {
    fs::remove(tmp, ec);
    return Unexpected(ok.error());
  }
  auto f = MappedFile::open(tmp);
  if (!f) return Unexpected(f.error());
  const std::string digest = f->sha256();
  // On disk before it is renamed into place (the linker does not fsync), and
  // renamed before its checksum is written (atomically, fsync'ed): a reader
  // that sees the checksum sees the complete artifact, after a crash too.
  if (UniqueFd fd(::open(tmp.c_str(), O_RDONLY | O_CLOEXEC)); !fd || ::fsync(fd.get()) != 0) {
    fs::remove(tmp, ec);
    return makeError(ErrorCode::Io, "cannot sync " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) return makeError(ErrorCode::Io, "cannot store " + path + ": " + ec.message());
  WASMOPS_TRY_VOID(base::writeFileAtomically(sum, digest + "\n", 0644));
  return path;
}

std::vector<ArtifactCache::Entry> ArtifactCache::list() const {
  std::vector<Entry> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".so") continue;
    out.push_back({it->path().stem().string(), it->path().string(), static_cast<std::uint64_t>(it->file_size(ec))});
  }
  return out;
}

std::uint64_t ArtifactCache::totalSize() const {
  std::uint64_t total = 0;
  for (const auto& e : list()) total += e.size;
  return total;
}

Expected<std::size_t> ArtifactCache::clear() {
  auto entries = list();
  std::error_code ec;
  for (const auto& e : entries) {
    fs::remove(e.path, ec);
    fs::remove(e.path + ".sha256", ec);
    fs::remove(e.path + ".lock", ec);
  }
  return entries.size();
}

}  // namespace wasmops::engine
