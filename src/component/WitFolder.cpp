// checkWitPath: the filesystem half of WitResolver.h (which files make which
// package), kept apart from name resolution so tests and the fuzzer can
// resolve in-memory files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "component/WitResolver.h"

namespace wasmops::component::wit {
namespace fs = std::filesystem;
namespace {

bool isWitFile(const fs::path& p) {
  std::error_code ec;
  return p.extension() == ".wit" && fs::is_regular_file(p, ec);
}

// Reads and parses one file; a failure becomes a diagnostic.
void addFile(const fs::path& path, const std::string& shown, PackageSources& group, std::vector<Diagnostic>& diags) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxWitSourceBytes) {
    diags.push_back(Diagnostic{Location{shown, 1, 1, 0},
                               "file is larger than " + std::to_string(kMaxWitSourceBytes >> 20) + " MiB"});
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    diags.push_back(Diagnostic{Location{shown, 1, 1, 0}, "cannot read the file"});
    return;
  }
  auto parsed = parseWitFile(text.str(), shown);
  if (!parsed) {
    const Error& e = parsed.error();
    diags.push_back(Diagnostic{Location{shown, e.line.value_or(1), e.column.value_or(1), e.offset.value_or(0)},
                               e.message});
    return;
  }
  group.files.push_back(std::move(*parsed));
}

// Every *.wit directly in `dir`, in name order so results do not depend on the filesystem.
void addFolder(const fs::path& dir, const std::string& shownDir, PackageSources& group,
               std::vector<Diagnostic>& diags) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (isWitFile(it->path())) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    addFile(f, shownDir.empty() ? f.filename().string() : shownDir + "/" + f.filename().string(), group, diags);
}

}  // namespace

Expected<WitCheck> checkWitPath(const std::string& path) {
  std::error_code ec;
  fs::path root(path);
  auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) return makeError(ErrorCode::NotFound, path + ": no such file or folder");
  std::vector<PackageSources> groups;
  std::vector<Diagnostic> diags;
  if (fs::is_directory(status)) {
    PackageSources rootGroup;
    rootGroup.where = ".";
    addFolder(root, "", rootGroup, diags);
    if (rootGroup.files.empty() && diags.empty())
      return makeError(ErrorCode::NotFound, path + ": no .wit file in this folder");
    groups.push_back(std::move(rootGroup));
    fs::path deps = root / "deps";
    if (fs::is_directory(deps, ec)) {
      std::vector<fs::path> entries;
      for (fs::directory_iterator it(deps, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
      std::sort(entries.begin(), entries.end());
      for (const fs::path& e : entries) {
        std::string shown = "deps/" + e.filename().string();
        PackageSources group;
        group.where = shown;
        if (fs::is_directory(e, ec)) {
          addFolder(e, shown, group, diags);
        } else if (isWitFile(e)) {
          addFile(e, shown, group, diags);
        } else {
          continue;  // wit-parser also reads .wasm packages; we do not
        }
        if (!group.files.empty()) groups.push_back(std::move(group));
      }
    }
  } else if (root.extension() == ".wit" && fs::is_regular_file(status)) {
    PackageSources group;
    group.where = root.filename().string();
    addFile(root, group.where, group, diags);
    groups.push_back(std::move(group));
  } else {
    return makeError(ErrorCode::Usage, path + ": expected a folder of .wit files or a .wit file");
  }
  if (!diags.empty()) {
    WitCheck out;
    out.diagnostics = std::move(diags);
    return out;
  }
  return resolveWit(std::move(groups));
}

}  // namespace wasmops::component::wit
