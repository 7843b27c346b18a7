#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "component/WitResolver.h"

namespace wasmops::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace wit = component::wit;

// The path a user can open: diagnostics name files relative to the folder given.
std::string shownPath(const std::string& given, bool isFolder, const std::string& file) {
  if (!isFolder) return given;
  std::string dir = given;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + "/" + file;
}

// "   3 | text" and a caret under the column, as compilers print them.
std::string sourceExcerpt(const std::string& path, std::uint32_t line, std::uint32_t column) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  for (std::uint32_t n = 1; n <= line && std::getline(in, text); ++n) {
    if (n < line) continue;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::string pad;
    std::uint32_t col = 1;
    for (std::size_t i = 0; i < text.size() && col < column; ++i) {
      auto b = static_cast<unsigned char>(text[i]);
      if ((b & 0xc0) == 0x80) continue;  // UTF-8 continuation byte: same character
      pad += b == '\t' ? '\t' : ' ';
      ++col;
    }
    std::string number = std::to_string(line);
    return fmt::format(" {} | {}\n {} | {}^\n", number, text, std::string(number.size(), ' '), pad);
  }
  return {};
}

}  // namespace

int runWitCheck(const WitOptions& options) {
  auto checked = wit::checkWitPath(options.file);
  if (!checked) return reportError(checked.error());
  bool isFolder = std::filesystem::is_directory(options.file);
  const wit::WitCheck& result = *checked;
  if (options.json) {
    Json packages = Json::array();
    if (result.ok())
      for (const auto& p : result.document.packages)
        packages.push_back({{"name", wit::toString(p.name)},
                            {"interfaces", p.interfaces.size()},
                            {"worlds", p.worlds.size()}});
    Json diagnostics = Json::array();
    for (const auto& d : result.diagnostics)
      diagnostics.push_back({{"file", shownPath(options.file, isFolder, d.at.file)},
                             {"line", d.at.line},
                             {"column", d.at.column},
                             {"message", d.message}});
    Json out = {{"ok", result.ok()}, {"packages", packages}, {"diagnostics", diagnostics}};
    std::puts(out.dump(2).c_str());
    return result.ok() ? 0 : 1;
  }
  if (result.ok()) {
    for (const auto& p : result.document.packages)
      std::printf("ok  %s  (%zu interface%s, %zu world%s)\n", wit::toString(p.name).c_str(), p.interfaces.size(),
                  p.interfaces.size() == 1 ? "" : "s", p.worlds.size(), p.worlds.size() == 1 ? "" : "s");
    return 0;
  }
  for (const auto& d : result.diagnostics) {
    std::string path = shownPath(options.file, isFolder, d.at.file);
    std::fprintf(stderr, "%s:%u:%u: error: %s\n%s", path.c_str(), d.at.line, d.at.column, d.message.c_str(),
                 sourceExcerpt(path, d.at.line, d.at.column).c_str());
  }
  std::fprintf(stderr, "%zu error%s\n", result.diagnostics.size(), result.diagnostics.size() == 1 ? "" : "s");
  return 1;
}

}  // namespace wasmops::cli
