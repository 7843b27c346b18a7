#pragma once
// What both spec-suite runners need: the expected-failures list and the
// command files of ../shared/conformance/spec.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmops::spec {

// "ID <TAB> reason" lines; '#' starts a comment. Returns ID -> reason.
inline std::map<std::string, std::string> loadExpectedFailures(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    out[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return out;
}

// The JSON command files of one suite folder (tests, tests-draft1), sorted;
// nullopt when the folder is missing.
inline std::optional<std::vector<std::filesystem::path>> suiteJsonFiles(const std::filesystem::path& shared,
                                                                        const char* suite) {
  namespace fs = std::filesystem;
  const fs::path root = shared / "conformance" / "spec" / suite;
  if (!fs::is_directory(root)) return std::nullopt;
  std::vector<fs::path> jsons;
  for (const auto& dir : fs::directory_iterator(root))
    for (const auto& f : fs::directory_iterator(dir.path()))
      if (f.path().extension() == ".json") jsons.push_back(f.path());
  std::sort(jsons.begin(), jsons.end());
  return jsons;
}

}  // namespace wasmops::spec
