#include "oci/StagingFolder.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "base/AtomicFile.h"

namespace wasmops::oci {
namespace {

Unexpected ioError(const std::string& path, const std::string& what, int err = errno) {
  return Unexpected(Error(ErrorCode::Io, what + ": " + std::strerror(err)).inFile(path));
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void removeAll(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);  // best effort: only our own staging
}

}  // namespace

Expected<StagingFolder> StagingFolder::create(const std::string& target, std::vector<std::string> entries) {
  std::string dir = target;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Unexpected(Error(ErrorCode::Io, "exists and is not a folder").inFile(dir));
    std::vector<std::string> foreign;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return ioError(dir, "cannot list folder");
    while (auto* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      if (std::find(entries.begin(), entries.end(), name) == entries.end()) foreign.push_back(name);
    }
    ::closedir(d);
    if (!foreign.empty()) {
      std::sort(foreign.begin(), foreign.end());
      return Unexpected(Error(ErrorCode::Io, fmt::format("folder is not empty (it holds \"{}\"{}); pull an "
                                                         "application into a new or empty folder (-o DIR)",
                                                         foreign.front(), foreign.size() > 1 ? ", ..." : ""))
                            .inFile(dir));
    }
  }
  std::string parent = parentOf(dir);
  WASMOPS_TRY_VOID(base::makeDirectories(parent));
  std::string pattern = fmt::format("{}/.wasmops-pull-{}-XXXXXX", parent, ::getpid());
  if (!::mkdtemp(pattern.data())) return ioError(parent, "cannot create a staging folder");
  StagingFolder s;
  s.path_ = std::move(pattern);
  s.target_ = std::move(dir);
  s.entries_ = std::move(entries);
  return s;
}

StagingFolder::StagingFolder(StagingFolder&& other) noexcept
    : path_(std::exchange(other.path_, {})), target_(std::move(other.target_)), entries_(std::move(other.entries_)) {}

StagingFolder& StagingFolder::operator=(StagingFolder&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::exchange(other.path_, {});
    target_ = std::move(other.target_);
    entries_ = std::move(other.entries_);
  }
  return *this;
}

StagingFolder::~StagingFolder() {
  discard();
}

void StagingFolder::discard() {
  if (!path_.empty()) removeAll(path_);
  path_.clear();
}

Expected<void> StagingFolder::commit() {
  if (!exists(target_)) {
    if (::rename(path_.c_str(), target_.c_str()) != 0) return ioError(target_, "cannot move the pulled folder here");
    path_.clear();
    return {};
  }
  // An existing (empty or previously pulled) folder keeps its inode, so a
  // shell sitting in it still sees the result: entries move one by one, old
  // ones first into the staging folder, which is then removed with them.
  for (const auto& name : entries_) {
    std::string old = target_ + "/" + name;
    if (exists(old) && ::rename(old.c_str(), (path_ + "/.old-" + name).c_str()) != 0)
      return ioError(old, "cannot replace");
  }
  for (const auto& name : entries_) {
    std::string staged = path_ + "/" + name;
    if (exists(staged) && ::rename(staged.c_str(), (target_ + "/" + name).c_str()) != 0)
      return ioError(target_ + "/" + name, "cannot move into place");
  }
  discard();
  return {};
}

}  // namespace wasmops::oci
