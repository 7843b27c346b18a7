#include "app/ManifestHints.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace wasmops::app {

// Levenshtein distance, for "did you mean" on misspelt keys.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view key, std::initializer_list<std::string_view> known) {
  std::string_view best;
  std::size_t bestDistance = 3;  // at most two edits away
  for (auto k : known) {
    std::size_t d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best.empty() ? std::string() : fmt::format("; did you mean \"{}\"?", best);
}

// Source files people name as `source` by mistake, by extension.
std::string_view sourceLanguage(std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return {};
  std::string_view ext = path.substr(dot + 1);
  static const std::pair<std::string_view, std::string_view> kLanguages[] = {
      {"rs", "Rust"},       {"go", "Go"},         {"c", "C"},
      {"h", "C header"},    {"cc", "C++"},        {"cpp", "C++"},
      {"cxx", "C++"},       {"js", "JavaScript"}, {"mjs", "JavaScript"},
      {"ts", "TypeScript"}, {"py", "Python"},     {"zig", "Zig"},
      {"swift", "Swift"},   {"cs", "C#"},         {"java", "Java"},
      {"kt", "Kotlin"},     {"rb", "Ruby"},       {"wat", "WebAssembly text"},
      {"toml", "TOML"}};
  for (const auto& [e, language] : kLanguages)
    if (ext == e) return language;
  return {};
}

// For a Rust build command, where cargo puts the module: the file to name
// as `source` ("target/wasm32-wasip1/release/<crate>.wasm").
std::string cargoOutputGuess(std::string_view command, const std::string& id) {
  if (command.find("cargo") == std::string_view::npos) return {};
  std::string target = "wasm32-wasip1";
  if (auto t = command.find("--target"); t != std::string_view::npos) {
    auto rest = command.substr(t + 8);
    rest.remove_prefix(std::min(rest.find_first_not_of(" ="), rest.size()));
    target = std::string(rest.substr(0, rest.find(' ')));
  }
  std::string crate = id;
  std::replace(crate.begin(), crate.end(), '-', '_');
  bool release = command.find("--release") != std::string_view::npos;
  return fmt::format("target/{}/{}/{}.wasm", target, release ? "release" : "debug", crate);
}

}  // namespace wasmops::app
