#include "app/FileGlob.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wasmops::app {
namespace {

enum class Kind { Missing, File, Folder, Other };

// lstat: a symbolic link is Other, so walks never follow one.
Kind kindOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return Kind::Missing;
  if (S_ISREG(st.st_mode)) return Kind::File;
  if (S_ISDIR(st.st_mode)) return Kind::Folder;
  return Kind::Other;
}

std::string join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  return a + "/" + b;
}

// Names in a folder, sorted, without "." and "..".
Expected<std::vector<std::string>> entries(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d)
    return Unexpected(Error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                            fmt::format("cannot list folder: {}", std::strerror(errno)))
                          .inFile(dir));
  std::vector<std::string> names;
  while (auto* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

struct Walker {
  std::string root;
  std::vector<std::string> parts;
  std::vector<std::string> out;

  std::string abs(const std::string& rel) const { return rel.empty() ? root : root + "/" + rel; }

  Expected<void> allFiles(const std::string& rel) {
    WASMOPS_TRY(auto names, entries(abs(rel)));
    for (const auto& name : names) {
      std::string child = join(rel, name);
      Kind k = kindOf(abs(child));
      if (k == Kind::File) out.push_back(child);
      if (k == Kind::Folder) WASMOPS_TRY_VOID(allFiles(child));
    }
    return {};
  }

  Expected<void> match(const std::string& rel, std::size_t index) {
    if (index == parts.size()) return {};
    const std::string& part = parts[index];
    bool last = index + 1 == parts.size();
    if (part == "**") {
      if (last) return allFiles(rel);
      WASMOPS_TRY_VOID(match(rel, index + 1));
      WASMOPS_TRY(auto names, entries(abs(rel)));
      for (const auto& name : names)
        if (kindOf(abs(join(rel, name))) == Kind::Folder) WASMOPS_TRY_VOID(match(join(rel, name), index));
      return {};
    }
    std::vector<std::string> candidates;
    if (!looksLikeGlob(part)) {
      candidates.push_back(part);
    } else {
      WASMOPS_TRY(auto names, entries(abs(rel)));
      // No FNM_PERIOD: the glob crate's default lets `*` match a leading dot.
      for (auto& name : names)
        if (::fnmatch(part.c_str(), name.c_str(), 0) == 0) candidates.push_back(std::move(name));
    }
    for (const auto& name : candidates) {
      std::string child = join(rel, name);
      Kind k = kindOf(abs(child));
      if (last && k == Kind::File) out.push_back(child);
      if (!last && k == Kind::Folder) WASMOPS_TRY_VOID(match(child, index + 1));
    }
    return {};
  }
};

}  // namespace

bool looksLikeGlob(std::string_view text) {
  return text.find_first_of("*?[]") != std::string_view::npos;
}

Expected<std::vector<std::string>> expandGlob(const std::string& root, std::string_view pattern) {
  if (!pattern.empty() && pattern.front() == '/')
    return makeError(ErrorCode::Invalid,
                     fmt::format("file pattern \"{}\" must be relative to the application folder", pattern));
  Walker w{root, {}, {}};
  std::size_t start = 0;
  while (start <= pattern.size()) {
    auto slash = pattern.find('/', start);
    auto part = pattern.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "..")
      return makeError(ErrorCode::Invalid,
                       fmt::format("file pattern \"{}\" leaves the application folder (..)", pattern));
    if (!part.empty() && part != ".") w.parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  WASMOPS_TRY_VOID(w.match("", 0));
  std::sort(w.out.begin(), w.out.end());
  w.out.erase(std::unique(w.out.begin(), w.out.end()), w.out.end());
  return w.out;
}

Expected<std::vector<std::string>> listFilesRecursively(const std::string& dir) {
  Walker w{dir, {}, {}};
  WASMOPS_TRY_VOID(w.allFiles(""));
  std::sort(w.out.begin(), w.out.end());
  return w.out;
}

bool excludePatternMatches(std::string_view pattern, std::string_view relativePath) {
  std::string p(pattern), path(relativePath);
  return ::fnmatch(p.c_str(), path.c_str(), 0) == 0;
}

}  // namespace wasmops::app
