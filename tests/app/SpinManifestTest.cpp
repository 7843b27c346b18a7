#include "app/SpinManifest.h"

#include <gtest/gtest.h>

#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::app {
namespace {

using test::TempDir;
using test::writeFile;

Expected<SpinApp> parse(const TempDir& dir, const std::string& toml) {
  return parseSpinManifest(toml, dir.path() + "/spin.toml", dir.path());
}

TEST(SpinManifest, NormalizesTriggerIdsAndInlineComponentsAsSpinDoes) {
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "ids"
[application.trigger.redis]
address = "redis://localhost"
[[trigger.redis]]
channel = "one"
component = "a"
[[trigger.redis]]
channel = "two"
component = { source = "a.wasm", environment = { X = "1" } }
[[trigger.redis]]
id = "mine"
channel = "three"
component = "a"
[[trigger.redis]]
channel = "four"
component = "a"
[component.a]
source = "a.wasm"
)");
  ASSERT_TRUE(app) << app.error().format();
  const auto& t = app->locked.triggers;
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].id, "a-redis-trigger");
  EXPECT_EQ(t[1].id, "redis-trigger1");
  EXPECT_EQ(t[2].id, "mine");
  EXPECT_EQ(t[3].id, "redis-trigger2");  // the natural id is taken
  EXPECT_EQ(t[1].config["component"], "redis-trigger1-component");
  ASSERT_EQ(app->locked.components.size(), 2u);
  EXPECT_EQ(app->locked.components[1].id, "redis-trigger1-component");
  EXPECT_EQ(app->locked.components[1].env.at("X"), "1");
  // One trigger type: its global settings are repeated under "trigger".
  EXPECT_EQ(app->locked.metadata["trigger"], (SpinJson{{"address", "redis://localhost"}, {"type", "redis"}}));
  EXPECT_EQ(app->locked.metadata["triggers"]["redis"]["address"], "redis://localhost");
}

TEST(SpinManifest, ComponentsKeepDocumentOrder) {
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "order"
[[trigger.http]]
route = "/..."
component = "zeta"
[component.zeta]
source = "a.wasm"
[component.alpha]
source = "a.wasm"
)");
  ASSERT_TRUE(app) << app.error().format();
  EXPECT_EQ(app->locked.components[0].id, "zeta");
  EXPECT_EQ(app->locked.components[1].id, "alpha");
}

TEST(SpinManifest, ExpandsFilesLikeSpinsLoader) {
  TempDir dir;
  const std::string& r = dir.path();
  writeFile(r + "/a.wasm", test::wasmModule(20));
  writeFile(r + "/index.html", "<p>");
  writeFile(r + "/static/site.css", "css");
  writeFile(r + "/static/img/logo.svg", "svg");
  writeFile(r + "/static/.hidden", "h");
  writeFile(r + "/assets/one.txt", "1");
  writeFile(r + "/assets/skip/two.txt", "2");
  writeFile(r + "/docs/a.md", "a");
  writeFile(r + "/docs/sub/b.md", "b");
  writeFile(r + "/docs/sub/c.txt", "c");
  writeFile(r + "/config.json", "{}");
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "files"
[[trigger.http]]
route = "/..."
component = "web"
[component.web]
source = "a.wasm"
files = ["index.html", "static", { source = "assets", destination = "/data" }, "docs/**/*.md",
         { source = "config.json", destination = "/etc/app.json" }]
exclude_files = ["assets/skip/*"]
)");
  ASSERT_TRUE(app) << app.error().format();
  std::vector<std::string> guests;
  for (const auto& f : app->local[0].files) guests.push_back(f.guestPath);
  EXPECT_EQ(guests,
            (std::vector<std::string>{"data/one.txt", "docs/a.md", "docs/sub/b.md", "etc/app.json", "index.html",
                                      "static/.hidden", "static/img/logo.svg", "static/site.css"}));
  EXPECT_EQ(app->local[0].files[3].hostPath, r + "/config.json");
}

struct BadCase {
  const char* name;
  const char* toml;
  ErrorCode code;
  std::uint32_t line;
  std::uint32_t column;
  const char* message;
};

class BadManifest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadManifest, IsRefusedWithALocatedError) {
  const auto& c = GetParam();
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  writeFile(dir.path() + "/file.txt", "x");
  auto app = parse(dir, c.toml);
  ASSERT_FALSE(app) << c.name;
  const Error& e = app.error();
  EXPECT_EQ(e.code, c.code) << e.format();
  EXPECT_EQ(e.file, dir.path() + "/spin.toml");
  EXPECT_EQ(e.line.value_or(0), c.line) << e.format();
  EXPECT_EQ(e.column.value_or(0), c.column) << e.format();
  EXPECT_NE(e.message.find(c.message), std::string::npos) << e.format();
}

#define HEAD "spin_manifest_version = 2\n[application]\nname = \"x\"\n"
#define HTTP "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n"
#define COMP "[component.a]\nsource = \"a.wasm\"\n"

INSTANTIATE_TEST_SUITE_P(
    Spin, BadManifest,
    ::testing::Values(BadCase{"syntax", HEAD "[[trigger.http]]\nroute = \"/\ncomponent = \"a\"\n", ErrorCode::Malformed,
                              5, 11, "TOML: "},
                      BadCase{"missing source", HEAD HTTP "[component.a]\nsource = \"missing.wasm\"\n",
                              ErrorCode::NotFound, 8, 10, "source \"missing.wasm\" does not exist"},
                      BadCase{"unknown component", HEAD "[[trigger.http]]\nroute = \"/\"\ncomponent = \"b\"\n" COMP,
                              ErrorCode::Invalid, 6, 13, "component \"b\" is not defined (components: a)"},
                      BadCase{"no route", HEAD "[[trigger.http]]\ncomponent = \"a\"\n" COMP, ErrorCode::Invalid, 4, 1,
                              "has no route"},
                      BadCase{"trigger not a list", HEAD "[trigger.http]\nroute = \"/\"\ncomponent = \"a\"\n" COMP,
                              ErrorCode::Invalid, 4, 1, "write [[trigger.http]]"},
                      BadCase{"url source",
                              HEAD HTTP
                              "[component.a]\nsource = { url = \"https://x/a.wasm\", digest = \"sha256:0\" }\n",
                              ErrorCode::Unsupported, 8, 10, "URL sources are not supported"},
                      BadCase{"version 1", "spin_version = \"1\"\nname = \"x\"\n", ErrorCode::Unsupported, 1, 16,
                              "Spin manifest version 1"},
                      BadCase{"not spin", "[package]\nname = \"x\"\n", ErrorCode::Invalid, 1, 1,
                              "spin_manifest_version = 2 is missing"},
                      BadCase{"unknown key", HEAD HTTP COMP "sorce = \"a.wasm\"\n", ErrorCode::Invalid, 9, 9,
                              "unknown key \"sorce\" in [component.a]"},
                      BadCase{"variable", HEAD "[variables]\nv = { required = true, default = \"d\" }\n" HTTP COMP,
                              ErrorCode::Invalid, 5, 5, "must be `required` OR have a `default`"},
                      BadCase{"file missing", HEAD HTTP COMP "files = [\"nope.txt\"]\n", ErrorCode::NotFound, 9, 10,
                              "\"nope.txt\" does not exist and is not a glob pattern"},
                      BadCase{"file outside", HEAD HTTP COMP "files = [{ source = \"../etc\", destination = \"/\" }]\n",
                              ErrorCode::Invalid, 9, 21, "outside the application folder"},
                      BadCase{"file as dir",
                              HEAD HTTP COMP "files = [{ source = \"file.txt\", destination = \"/\" }]\n",
                              ErrorCode::Invalid, 9, 47, "not a valid destination file name"},
                      BadCase{"bad id", HEAD HTTP "[component.My_Comp]\nsource = \"a.wasm\"\n", ErrorCode::Invalid, 7,
                              1, "must be kebab-case"},
                      BadCase{"dependencies", HEAD HTTP COMP "dependencies = { \"a:b/c\" = \"1.0\" }\n",
                              ErrorCode::Unsupported, 9, 16, "component dependencies are not supported yet"}),
    [](const ::testing::TestParamInfo<BadCase>& param) {
      std::string n = param.param.name;
      for (char& ch : n)
        if (ch == ' ') ch = '_';
      return n;
    });

}  // namespace
}  // namespace wasmops::app
