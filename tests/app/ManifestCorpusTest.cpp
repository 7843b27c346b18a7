// The broken-manifest corpus: every tests/app/manifests/NAME.toml is read
// next to a valid a.wasm, and must produce exactly the diagnostics listed in
// NAME.expect, one a line: "error|warning LINE:COLUMN substring-of-message".
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/SpinManifest.h"
#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::app {
namespace {

struct Expected_ {
  Severity severity;
  std::uint32_t line;
  std::uint32_t column;
  std::string text;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<Expected_> readExpect(const std::filesystem::path& p) {
  std::vector<Expected_> out;
  std::istringstream in(slurp(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string severity, position;
    fields >> severity >> position;
    std::string text;
    std::getline(fields, text);
    if (!text.empty() && text[0] == ' ') text.erase(0, 1);
    auto colon = position.find(':');
    EXPECT_TRUE(severity == "error" || severity == "warning") << p << ": " << line;
    EXPECT_NE(colon, std::string::npos) << p << ": " << line;
    if (colon == std::string::npos) continue;
    out.push_back({severity == "error" ? Severity::Error : Severity::Warning,
                   static_cast<std::uint32_t>(std::stoul(position.substr(0, colon))),
                   static_cast<std::uint32_t>(std::stoul(position.substr(colon + 1))), text});
  }
  return out;
}

std::vector<std::string> corpus() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(WASMOPS_APP_MANIFESTS))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ManifestCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(ManifestCorpus, ReportsExactlyTheExpectedDiagnostics) {
  std::filesystem::path dir = WASMOPS_APP_MANIFESTS;
  std::string name = GetParam();
  auto expected = readExpect(dir / (name + ".expect"));
  ASSERT_FALSE(expected.empty()) << name << ".expect lists nothing";
  test::TempDir root;
  test::writeFile(root.path() + "/a.wasm", test::wasmModule(20));
  std::string manifest = root.path() + "/spin.toml";
  auto check = checkManifest(slurp(dir / (name + ".toml")), manifest, root.path());

  std::string all;
  for (const auto& d : check.diagnostics) all += d.format(manifest) + "\n";
  for (const auto& want : expected) {
    bool found = std::any_of(check.diagnostics.begin(), check.diagnostics.end(), [&](const Diagnostic& d) {
      return d.severity == want.severity && d.line == want.line && d.column == want.column &&
             d.message.find(want.text) != std::string::npos;
    });
    EXPECT_TRUE(found) << name << ": missing " << (want.severity == Severity::Error ? "error" : "warning") << " "
                       << want.line << ":" << want.column << " " << want.text << "\ngot:\n"
                       << all;
  }
  EXPECT_EQ(check.diagnostics.size(), expected.size()) << name << ": got\n" << all;
  bool wantsError =
      std::any_of(expected.begin(), expected.end(), [](const Expected_& e) { return e.severity == Severity::Error; });
  EXPECT_EQ(check.app.has_value(), !wantsError) << name;

  // The same through the Expected<> entry point: one Error listing each.
  auto parsed = parseSpinManifest(slurp(dir / (name + ".toml")), manifest, root.path());
  if (wantsError) {
    ASSERT_FALSE(parsed);
    std::string text = parsed.error().format();
    for (const auto& want : expected) {
      if (want.severity == Severity::Error) {
        EXPECT_NE(text.find(fmt::format("{}:{}:{}: ", manifest, want.line, want.column)), std::string::npos) << text;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Manifests, ManifestCorpus, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string n = param.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(ManifestCorpus, HasTheEnterpriseGuideExample) {
  auto names = corpus();
  EXPECT_NE(std::find(names.begin(), names.end(), "enterprise"), names.end());
  EXPECT_GE(names.size(), 10u);
}

}  // namespace
}  // namespace wasmops::app
