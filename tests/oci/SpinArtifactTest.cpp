#include "oci/SpinArtifact.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/LockedApp.h"
#include "app/SpinManifest.h"
#include "app/SpinTomlWriter.h"
#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::oci {
namespace {

using test::TempDir;
using test::writeFile;

Expected<app::SpinApp> appWithFiles(const TempDir& dir) {
  const std::string& r = dir.path();
  writeFile(r + "/small.wasm", test::wasmModule(100));
  writeFile(r + "/big.wasm", test::wasmModule(300));
  writeFile(r + "/f/edge128", std::string(128, 'e'));
  writeFile(r + "/f/over129", std::string(129, 'o'));
  writeFile(r + "/f/empty", "");
  writeFile(r + "/f/copy129", std::string(129, 'o'));  // same bytes: one layer
  return app::parseSpinManifest(R"(spin_manifest_version = 2
[application]
name = "shapes"
version = "0.1.0"
[[trigger.http]]
route = "/a"
component = "small"
[[trigger.http]]
route = "/b"
component = "big"
[component.small]
source = "small.wasm"
files = [{ source = "f", destination = "/" }]
[component.big]
source = "big.wasm"
)",
                           r + "/spin.toml", r);
}

// spinframework/spin crates/loader/tests/ui/service-chaining.toml without its
// URL-sourced component (not supported), and the lock Spin's loader gives for
// it (service-chaining.lock, "origin" and file sources replaced by what push
// puts there), compact as `spin registry push` serializes it.
TEST(SpinManifest, MatchesSpinsOwnLockForItsServiceChainingFixture) {
  TempDir dir;
  std::string wasm = test::wasmModule(300);
  ASSERT_EQ(wasm.size(), 300u);
  writeFile(dir.path() + "/wasm/dummy.wasm", wasm);
  auto app = app::parseSpinManifest(R"(spin_manifest_version = 2

[application]
authors = ["Gul Madred", "Edward Jellico", "JL"]
description = "A simple application that returns the number of lights"
name = "chain-of-command"
version = "6.11.2"

[[trigger.http]]
route = "/lights"
component = "four-lights"
executor = { type = "http" }

[[trigger.http]]
route = "/test"
component = "old-test"

[component.four-lights]
source = "wasm/dummy.wasm"
allowed_outbound_hosts = ["http://old-test.spin.internal"]
[component.four-lights.environment]
env1 = "first"
env2 = "second"

[component.old-test]
source = "wasm/dummy.wasm"
)",
                                    dir.path() + "/spin.toml", dir.path());
  ASSERT_TRUE(app) << app.error().format();
  auto artifact = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {});
  ASSERT_TRUE(artifact) << artifact.error().format();
  std::string digest = base::Digest::of(wasm).str();
  EXPECT_EQ(artifact->lockedApp,
            R"({"spin_lock_version":1,"must_understand":["component_host_requirements"],)"
            R"("metadata":{"authors":["Gul Madred","Edward Jellico","JL"],)"
            R"("description":"A simple application that returns the number of lights","name":"chain-of-command",)"
            R"("trigger":{"type":"http"},"triggers":{},"version":"6.11.2"},)"
            R"("triggers":[{"id":"four-lights-http-trigger","trigger_type":"http","trigger_config":)"
            R"({"component":"four-lights","executor":{"type":"http"},"route":"/lights"}},)"
            R"({"id":"old-test-http-trigger","trigger_type":"http","trigger_config":{"component":"old-test",)"
            R"("route":"/test"}}],)"
            R"("components":[{"id":"four-lights","metadata":{"allowed_outbound_hosts":)"
            R"(["http://old-test.spin.internal"]},"source":{"content_type":"application/wasm","digest":")" +
                digest +
                R"("},"env":{"env1":"first","env2":"second"},"host_requirements":{"local_service_chaining":)"
                R"("required"}},{"id":"old-test","source":{"content_type":"application/wasm","digest":")" +
                digest + R"("}}]})");
  // Two components, one wasm: one layer (Spin dedups), then the locked app.
  ASSERT_EQ(artifact->layers.size(), 2u);
  EXPECT_EQ(artifact->layers[0].descriptor.mediaType, "application/vnd.wasm.content.layer.v1+wasm");
  EXPECT_EQ(artifact->layers[1].descriptor.mediaType, "application/vnd.fermyon.spin.application.v1+config");
}

TEST(SpinArtifact, InlinesUpTo128BytesAndDedupsLayersAsSpinDoes) {
  TempDir dir;
  auto app = appWithFiles(dir);
  ASSERT_TRUE(app) << app.error().format();
  auto a = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {{"org.opencontainers.image.version", "override"}});
  ASSERT_TRUE(a) << a.error().format();
  const auto& small = a->locked.components[0];
  ASSERT_EQ(small.files.size(), 4u);
  EXPECT_EQ(small.files[0].path, "copy129");
  EXPECT_FALSE(small.files[0].content.inlined);
  EXPECT_EQ(small.files[1].path, "edge128");
  EXPECT_EQ(small.files[1].content.inlined, std::string(128, 'e'));
  EXPECT_EQ(small.files[2].content.inlined, "");
  EXPECT_TRUE(small.source.inlined);                     // a 100-byte wasm is inlined...
  EXPECT_FALSE(a->locked.components[1].source.inlined);  // ...a 300-byte one not
  std::vector<std::string> types;
  for (const auto& l : a->layers) types.push_back(l.descriptor.mediaType);
  // small.wasm (inlined but still a layer), one layer for both 129-byte
  // files, big.wasm, the locked app.
  EXPECT_EQ(types,
            (std::vector<std::string>{
                "application/vnd.wasm.content.layer.v1+wasm", "application/vnd.wasm.content.layer.v1+data",
                "application/vnd.wasm.content.layer.v1+wasm", "application/vnd.fermyon.spin.application.v1+config"}));
  EXPECT_EQ(a->layers.back().descriptor.digest, base::Digest::of(a->lockedApp));

  EXPECT_EQ(a->config, R"({"architecture":"wasm","os":"wasip1","config":{"Labels":)"
                       R"({"com.fermyon.spin.lockedAppDigest":")" +
                           base::Digest::of(a->lockedApp).str() + R"("}},"rootfs":{"type":"layers","diff_ids":[]}})");
  auto manifest = nlohmann::json::parse(a->manifest);
  EXPECT_EQ(manifest["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  EXPECT_FALSE(manifest.contains("artifactType"));
  EXPECT_EQ(manifest["annotations"], (nlohmann::json{{"org.opencontainers.image.created", "2025-01-01T00:00:00Z"},
                                                     {"org.opencontainers.image.title", "shapes"},
                                                     {"org.opencontainers.image.version", "override"}}));
  EXPECT_EQ(a->manifestDigest, base::Digest::of(a->manifest));
  // Inline content is base64 without padding (spin_serde::base64).
  EXPECT_NE(
      a->lockedApp.find(
          R"("inline":"","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","path":"empty")"),
      std::string::npos);
  EXPECT_EQ(a->lockedApp.find('='), std::string::npos);
}

TEST(SpinArtifact, RefusesComponentsThatAreNotWasm) {
  TempDir dir;
  writeFile(dir.path() + "/a.wasm", "not wasm at all");
  auto app = app::parseSpinManifest(
      "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\n"
      "route = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"a.wasm\"\n",
      dir.path() + "/spin.toml", dir.path());
  ASSERT_TRUE(app);
  auto a = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::Malformed);
  EXPECT_EQ(a.error().file, dir.path() + "/a.wasm");
}

TEST(SpinArtifact, RefusesUrlAndRegistrySourcesUntilPushCanFetchThem) {
  TempDir dir;
  for (const std::string& source :
       {"{ url = \"https://example.com/a.wasm\", digest = \"sha256:" + std::string(64, 'a') + "\" }",
        std::string("{ package = \"example:a\", version = \"1.0.0\" }")}) {
    auto app = app::parseSpinManifest("spin_manifest_version = 2\n[application]\nname = \"r\"\n[[trigger.http]]\n"
                                      "route = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = " +
                                          source + "\n",
                                      dir.path() + "/spin.toml", dir.path());
    ASSERT_TRUE(app) << app.error().format();
    auto artifact = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {});
    ASSERT_FALSE(artifact);
    EXPECT_EQ(artifact.error().code, ErrorCode::Unsupported);
    EXPECT_NE(artifact.error().message.find("sources are not supported yet for push"), std::string::npos)
        << artifact.error().message;
  }
}

TEST(SpinArtifact, DetectsBothLayoutsAndNothingElse) {
  std::string d1 = base::Digest::of(std::string("1")).str(), d2 = base::Digest::of(std::string("2")).str();
  auto manifest = [&](const std::string& configType, const std::string& layerType) {
    return R"({"schemaVersion":2,"config":{"mediaType":")" + configType + R"(","digest":")" + d1 +
           R"(","size":1},"layers":[{"mediaType":")" + layerType + R"(","digest":")" + d2 + R"(","size":1}]})";
  };
  auto current = detectSpinLayout(
      manifest("application/vnd.oci.image.config.v1+json", "application/vnd.fermyon.spin.application.v1+config"), "r");
  ASSERT_TRUE(current && *current);
  EXPECT_FALSE((*current)->lockedAppIsConfig);
  EXPECT_EQ((*current)->lockedApp.digest.str(), d2);
  auto older =
      detectSpinLayout(manifest("application/vnd.fermyon.spin.application.v1+config", "application/wasm"), "r");
  ASSERT_TRUE(older && *older);
  EXPECT_TRUE((*older)->lockedAppIsConfig);
  EXPECT_EQ((*older)->lockedApp.digest.str(), d1);
  auto wasm = detectSpinLayout(manifest("application/vnd.wasm.config.v0+json", "application/wasm"), "r");
  ASSERT_TRUE(wasm);
  EXPECT_FALSE(*wasm);
}

TEST(SpinTomlWriter, WritesAManifestThatLoadsBackToTheSameLockedApp) {
  TempDir dir;
  auto app = appWithFiles(dir);
  ASSERT_TRUE(app);
  app->locked.components[0].env = {{"PLAIN", "1"}, {"with space", "quote\" backslash\\ tab\t"}};
  app->locked.components[0].config = {{"greeting", "{{ greeting }}"}};
  app->locked.components[0].metadata["build"] = {{"command", {"make", "strip"}}, {"workdir", "src"}};
  app->locked.variables["greeting"] = {std::string("says hi"), std::string("hello"), false};
  app->locked.variables["token"] = {std::nullopt, std::nullopt, true};
  app->locked.triggers[0].config["executor"] = {{"type", "wagi"}, {"argv", "${SCRIPT_NAME}"}};
  auto first = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {});
  ASSERT_TRUE(first) << first.error().format();

  // The folder pull would write: the manifest, components/, files/.
  TempDir out;
  for (const auto& c : first->locked.components) {
    std::size_t i = &c - first->locked.components.data();
    std::ifstream in(app->local[i].wasmPath, std::ios::binary);
    writeFile(out.path() + "/" + app::componentWasmPath(c.id), std::string(std::istreambuf_iterator<char>(in), {}));
    for (const auto& f : c.files)
      writeFile(out.path() + "/" + app::componentFilesDir(c.id) + "/" + f.path,
                f.content.inlined.value_or(std::string(129, 'o')));
  }
  std::string toml = app::writeSpinToml(first->locked);
  auto again = app::parseSpinManifest(toml, out.path() + "/spin.toml", out.path());
  ASSERT_TRUE(again) << again.error().format() << "\n" << toml;
  auto second = buildSpinArtifact(*again, "2025-01-01T00:00:00Z", {});
  ASSERT_TRUE(second) << second.error().format();
  EXPECT_EQ(second->lockedApp, first->lockedApp) << toml;
  EXPECT_EQ(second->manifestDigest, first->manifestDigest);
}

}  // namespace
}  // namespace wasmops::oci
