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
                      BadCase{"url source without digest",
                              HEAD HTTP "[component.a]\nsource = { url = \"https://x/a.wasm\" }\n",
                              ErrorCode::Invalid, 8, 10, "has a url but no digest"},
                      BadCase{"url digest", HEAD HTTP
                              "[component.a]\nsource = { url = \"https://x/a.wasm\", digest = \"sha256:0\" }\n",
                              ErrorCode::Invalid, 8, 47, "component.a.source.digest"},
                      BadCase{"version 1", "spin_version = \"1\"\nname = \"x\"\n", ErrorCode::Unsupported, 1, 16,
                              "Spin manifest version 1"},
                      BadCase{"not spin", "[package]\nname = \"x\"\n", ErrorCode::Invalid, 1, 1,
                              "spin_manifest_version = 2 is missing"},
                      BadCase{"misspelt source", HEAD HTTP "[component.a]\nsorce = \"a.wasm\"\n", ErrorCode::Invalid, 7, 1,
                              "[component.a] has no source"},
                      BadCase{"variable", HEAD "[variables]\nv = { required = true, default = \"d\" }\n" HTTP COMP,
                              ErrorCode::Invalid, 5, 5, "must be `required` OR have a `default`"},
                      BadCase{"file missing", HEAD HTTP COMP "files = [\"nope.txt\"]\n", ErrorCode::NotFound, 9, 10,
                              "\"nope.txt\" does not exist and is not a glob pattern"},
                      BadCase{"file outside", HEAD HTTP COMP "files = [{ source = \"../etc\", destination = \"/\" }]\n",
                              ErrorCode::Invalid, 9, 21, "outside the application folder"},
                      BadCase{"file as dir",
                              HEAD HTTP COMP "files = [{ source = \"file.txt\", destination = \"/\" }]\n",
                              ErrorCode::Invalid, 9, 47, "not a valid destination file name"},
                      BadCase{"bad id", HEAD "[[trigger.http]]\nroute = \"/\"\ncomponent = { source = \"a.wasm\" }\n[component.My_Comp]\nsource = \"a.wasm\"\n", ErrorCode::Invalid, 7,
                              1, "must be kebab-case"},
                      BadCase{"dependencies", HEAD HTTP COMP "dependencies = { \"a:b/c\" = \"1.0\" }\n",
                              ErrorCode::Unsupported, 9, 16, "component dependencies are not supported yet"}),
    [](const ::testing::TestParamInfo<BadCase>& param) {
      std::string n = param.param.name;
      for (char& ch : n)
        if (ch == ' ') ch = '_';
      return n;
    });

TEST(SpinManifest, TypesHttpTriggersWithRoutesExecutorsAndTheBase) {
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "http"
[application.trigger.http]
base = "/api"
[[trigger.http]]
route = "/..."
component = "site"
[[trigger.http]]
route = "/users/:id"
component = "users"
executor = { type = "wagi", argv = "${SCRIPT_NAME} -v ${ARGS}", entrypoint = "main" }
[[trigger.http]]
route = { private = true }
component = "internal"
[component.site]
source = "a.wasm"
[component.users]
source = "a.wasm"
[component.internal]
source = "a.wasm"
)");
  ASSERT_TRUE(app) << app.error().format();
  EXPECT_EQ(app->httpBase, "/api");
  ASSERT_EQ(app->http.size(), 3u);
  EXPECT_EQ(app->http[0].executor.type, HttpExecutor::Type::Spin);
  EXPECT_EQ(app->http[1].executor.type, HttpExecutor::Type::Wagi);
  EXPECT_EQ(app->http[1].executor.argv, "${SCRIPT_NAME} -v ${ARGS}");
  EXPECT_EQ(app->http[1].executor.entrypoint, "main");
  EXPECT_EQ(app->http[1].route->based, "/api/users/:id");
  EXPECT_FALSE(app->http[2].route);  // private
  EXPECT_EQ(app->routes.entries().size(), 2u);
  auto m = app->routes.match("/api/users/7");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entry->component, "users");
  EXPECT_EQ(m->params.at("id"), "7");
  EXPECT_EQ(app->routes.match("/api/anything")->entry->component, "site");
  EXPECT_FALSE(app->routes.match("/elsewhere"));
  // The locked app keeps the trigger as written, for push.
  EXPECT_EQ(app->locked.triggers[1].config["executor"]["type"], "wagi");
  EXPECT_EQ(app->locked.triggers[2].config["route"], (SpinJson{{"private", true}}));
}

TEST(SpinManifest, ReadsUrlAndRegistrySources) {
  TempDir dir;
  std::string digest = "sha256:" + std::string(64, 'a');
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "remote"
[[trigger.http]]
route = "/a"
component = "u"
[[trigger.http]]
route = "/b"
component = "r"
[component.u]
source = { url = "https://example.com/u.wasm", digest = ")" + digest + R"(" }
[component.r]
source = { registry = "ghcr.io", package = "example:hello", version = "1.2.0" }
)");
  ASSERT_TRUE(app) << app.error().format();
  const auto& u = app->local[0].source;
  EXPECT_EQ(u.kind, ComponentSource::Kind::Url);
  EXPECT_EQ(u.url, "https://example.com/u.wasm");
  EXPECT_EQ(u.digest.str(), digest);
  EXPECT_TRUE(app->local[0].wasmPath.empty());
  const auto& r = app->local[1].source;
  EXPECT_EQ(r.kind, ComponentSource::Kind::Registry);
  EXPECT_EQ(r.registry, "ghcr.io");
  EXPECT_EQ(r.package, "example:hello");
  EXPECT_EQ(r.version, "1.2.0");
}

TEST(SpinManifest, WarnsAboutIgnoredKeysWithTheirPosition) {
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "warn"
licence = "MIT"
[[trigger.http]]
route = "/"
component = "a"
retries = 3
[component.a]
source = "a.wasm"
enviroment = { A = "1" }
[component.a.build]
command = "make"
wokdir = "src"
)");
  ASSERT_TRUE(app) << app.error().format();
  std::vector<std::string> got;
  for (const auto& w : app->warnings) got.push_back(w.format("spin.toml"));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "spin.toml:4:1: warning: unknown key \"licence\" in [application] is ignored",
                     "spin.toml:8:1: warning: unknown key \"retries\" in [[trigger.http]] is ignored",
                     "spin.toml:11:1: warning: unknown key \"enviroment\" in [component.a] is ignored; did you mean "
                     "\"environment\"?",
                     "spin.toml:14:1: warning: unknown key \"wokdir\" in component.a.build is ignored; did you mean "
                     "\"workdir\"?"}));
}

TEST(SpinManifest, ReportsEveryErrorOfAFileInOneRun) {
  TempDir dir;
  auto app = parse(dir, R"(spin_manifest_version = 2
[application]
name = "many"
[[trigger.http]]
route = "/one"
component = "one"
[[trigger.http]]
route = "/two"
component = "two"
[component.one]
source = "one.wasm"
[component.two]
source = "two.wasm"
)");
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().line.value_or(0), 11u);
  EXPECT_NE(app.error().message.find("source \"one.wasm\" does not exist"), std::string::npos);
  EXPECT_NE(app.error().message.find(dir.path() + "/spin.toml:13:10: component \"two\": source \"two.wasm\" does "
                                                   "not exist"),
            std::string::npos)
      << app.error().format();
}

TEST(SpinManifest, LocatesWasmopsTomlBeforeSpinToml) {
  TempDir dir;
  EXPECT_FALSE(locateManifest(dir.path()));
  writeFile(dir.path() + "/spin.toml", "");
  EXPECT_EQ(locateManifest(dir.path()).value(), dir.path() + "/spin.toml");
  writeFile(dir.path() + "/wasmops.toml", "");
  EXPECT_EQ(locateManifest(dir.path()).value(), dir.path() + "/wasmops.toml");
  EXPECT_EQ(locateManifest(dir.path() + "/spin.toml").value(), dir.path() + "/spin.toml");
  EXPECT_FALSE(locateManifest(dir.path() + "/other.toml"));
}

}  // namespace
}  // namespace wasmops::app
