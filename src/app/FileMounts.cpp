#include "app/FileMounts.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/FileKind.h"
#include "app/FileGlob.h"

namespace wasmops::app {
namespace {

using base::isDirectory;
using base::pathExists;

// "/a/./b/" -> "a/b"; nullopt when a ".." would leave the root.
std::optional<std::string> normalizeRelative(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    auto part = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += part;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string joinGuest(const std::string& dir, const std::string& rel) {
  return dir.empty() ? rel : dir + "/" + rel;
}

tl::unexpected<MountError> mountError(MountPart part, ErrorCode code, std::string message) {
  return tl::unexpected(MountError{part, Error(code, std::move(message))});
}

}  // namespace

FileMounts::FileMounts(std::string root, std::string where, std::vector<std::string> excludes)
    : root_(std::move(root)), where_(std::move(where)), excludes_(std::move(excludes)) {}

bool FileMounts::excluded(const std::string& appRelative) const {
  return std::any_of(excludes_.begin(), excludes_.end(),
                     [&](const std::string& p) { return excludePatternMatches(p, appRelative); });
}

MountResult FileMounts::add(const Found& found) {
  for (const auto& [guest, host] : found) {
    auto [it, inserted] = byGuest_.emplace(guest, host);
    if (!inserted && it->second != host)
      return mountError(
          MountPart::Entry, ErrorCode::Invalid,
          fmt::format("{}.files: \"/{}\" would hold both \"{}\" and \"{}\"", where_, guest, it->second, host));
  }
  return {};
}

MountResult FileMounts::addPattern(std::string_view p) {
  if (p == "." || p == ".." || p.ends_with("/.") || p.ends_with("/.."))
    return mountError(MountPart::Entry, ErrorCode::Invalid,
                      fmt::format("{}.files: a file pattern cannot end in \".\" or \"..\" (\"{}\"); to include a "
                                  "folder use {{ source = \"DIR\", destination = \"/\" }} or a pattern ending in **/*",
                                  where_, p));
  auto rel = normalizeRelative(p);
  if (!rel || (!p.empty() && p.front() == '/'))
    return mountError(MountPart::Entry, ErrorCode::Invalid,
                      fmt::format("{}.files: \"{}\" is outside the application folder", where_, p));
  Found found;
  std::string host = root_ + "/" + *rel;
  if (!rel->empty() && pathExists(host)) {
    if (isDirectory(host)) {
      // Spin's documented rule (spinframework/spin#1488): "dir" is mounted
      // at /dir, as { source = "dir", destination = "dir" }.
      auto list = listFilesRecursively(host);
      if (!list) return tl::unexpected(MountError{MountPart::Entry, list.error()});
      for (const auto& f : *list)
        if (!excluded(*rel + "/" + f)) found.emplace_back(*rel + "/" + f, *rel + "/" + f);
    } else {
      found.emplace_back(*rel, *rel);
    }
    return add(found);
  }
  if (!looksLikeGlob(p))
    return mountError(MountPart::Entry, ErrorCode::NotFound,
                      fmt::format("{}.files: \"{}\" does not exist and is not a glob pattern", where_, p));
  auto list = expandGlob(root_, p);
  if (!list) return mountError(MountPart::Entry, list.error().code, where_ + ".files: " + list.error().message);
  for (const auto& f : *list)
    if (!excluded(f)) found.emplace_back(f, f);
  return add(found);
}

MountResult FileMounts::addPlacement(std::string_view source, std::string_view destination) {
  auto src = normalizeRelative(source);
  if (!src || (!source.empty() && source.front() == '/'))
    return mountError(MountPart::Source, ErrorCode::Invalid,
                      fmt::format("{}.files: source \"{}\" is outside the application folder", where_, source));
  auto dst = normalizeRelative(destination);
  if (!dst)
    return mountError(MountPart::Destination, ErrorCode::Invalid,
                      fmt::format("{}.files: destination \"{}\" leaves the component's root", where_, destination));
  std::string host = src->empty() ? root_ : root_ + "/" + *src;
  if (!pathExists(host))
    return mountError(MountPart::Source, ErrorCode::NotFound,
                      fmt::format("{}.files: file or folder \"{}\" does not exist", where_, source));
  Found found;
  if (isDirectory(host)) {
    auto list = listFilesRecursively(host);
    if (!list) return tl::unexpected(MountError{MountPart::Source, list.error()});
    for (const auto& f : *list) {
      std::string appRelative = src->empty() ? f : *src + "/" + f;
      if (!excluded(appRelative)) found.emplace_back(joinGuest(*dst, f), appRelative);
    }
    return add(found);
  }
  if (dst->empty() || destination.ends_with("/") || destination.ends_with("."))
    return mountError(MountPart::Destination, ErrorCode::Invalid,
                      fmt::format("{}.files: \"{}\" is not a valid destination file name for the file \"{}\"", where_,
                                  destination, source));
  found.emplace_back(*dst, *src);
  return add(found);
}

std::vector<LocalFile> FileMounts::files() const {
  std::vector<LocalFile> out;
  out.reserve(byGuest_.size());
  for (const auto& [guest, host] : byGuest_) out.push_back({fmt::format("{}/{}", root_, host), guest});
  return out;
}

}  // namespace wasmops::app
