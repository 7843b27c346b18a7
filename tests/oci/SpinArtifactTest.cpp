#include "oci/SpinArtifact.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "SpinTestSupport.h"
#include "TempDir.h"
#include "oci/LockedApp.h"
#include "oci/SpinTomlWriter.h"

namespace wasmops::oci {
namespace {

using test::TempDir;
using test::writeFile;

Expected<SpinApp> appWithFiles(const TempDir& dir) {
  const std::string& r = dir.path();
  writeFile(r + "/small.wasm", test::wasmModule(100));
  writeFile(r + "/big.wasm", test::wasmModule(300));
  writeFile(r + "/f/edge128", std::string(128, 'e'));
  writeFile(r + "/f/over129", std::string(129, 'o'));
  writeFile(r + "/f/empty", "");
  writeFile(r + "/f/copy129", std::string(129, 'o'));  // same bytes: one layer
  return parseSpinManifest(R"(spin_manifest_version = 2
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
  EXPECT_EQ(a->layers.back().descriptor.digest, Digest::of(a->lockedApp));

  EXPECT_EQ(a->config, R"({"architecture":"wasm","os":"wasip1","config":{"Labels":)"
                       R"({"com.fermyon.spin.lockedAppDigest":")" +
                           Digest::of(a->lockedApp).str() + R"("}},"rootfs":{"type":"layers","diff_ids":[]}})");
  auto manifest = nlohmann::json::parse(a->manifest);
  EXPECT_EQ(manifest["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  EXPECT_FALSE(manifest.contains("artifactType"));
  EXPECT_EQ(manifest["annotations"], (nlohmann::json{{"org.opencontainers.image.created", "2025-01-01T00:00:00Z"},
                                                     {"org.opencontainers.image.title", "shapes"},
                                                     {"org.opencontainers.image.version", "override"}}));
  EXPECT_EQ(a->manifestDigest, Digest::of(a->manifest));
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
  auto app = parseSpinManifest(
      "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\n"
      "route = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"a.wasm\"\n",
      dir.path() + "/spin.toml", dir.path());
  ASSERT_TRUE(app);
  auto a = buildSpinArtifact(*app, "2025-01-01T00:00:00Z", {});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::Malformed);
  EXPECT_EQ(a.error().file, dir.path() + "/a.wasm");
}

TEST(SpinArtifact, DetectsBothLayoutsAndNothingElse) {
  std::string d1 = Digest::of(std::string("1")).str(), d2 = Digest::of(std::string("2")).str();
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

TEST(LockedApp, ParsesWhatItWritesAndRefusesUnsafeContent) {
  LockedApp app;
  app.metadata = {{"name", "n"}, {"triggers", SpinJson::object()}};
  app.variables["v"] = {std::string("d"), std::nullopt, true};
  app.triggers.push_back({"t", "http", {{"component", "c"}, {"route", "/..."}}});
  LockedComponent c;
  c.id = "c";
  c.source.digest = Digest::of(std::string("wasm"));
  c.files.push_back({{std::nullopt, std::string("hi"), Digest::of(std::string("hi"))}, "dir/hi.txt"});
  c.env = {{"K", "V"}};
  app.components.push_back(c);
  std::string json = serializeLockedApp(app);
  auto back = parseLockedApp(json, "r");
  ASSERT_TRUE(back) << back.error().format();
  EXPECT_EQ(serializeLockedApp(*back), json);

  auto refuse = [&](const std::string& doc, ErrorCode code, const char* text) {
    auto r = parseLockedApp(doc, "r");
    ASSERT_FALSE(r) << doc;
    EXPECT_EQ(r.error().code, code) << r.error().format();
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().format();
  };
  std::string d = Digest::of(std::string("x")).str();
  std::string head = R"({"spin_lock_version":0,"triggers":[],"components":[{"id":)";
  refuse(head + R"("c","source":{"content_type":"application/wasm","digest":")" + d + R"("},"files":[{"digest":")" + d +
             R"(","path":"../etc/passwd"}]}]})",
         ErrorCode::Invalid, "not a plain relative path");
  refuse(head + R"("../x","source":{"content_type":"application/wasm","digest":")" + d + R"("}}]})", ErrorCode::Invalid,
         "not kebab-case");
  refuse(head + R"("c","source":{"content_type":"application/wasm","inline":"eA","digest":")" +
             Digest::of(std::string("y")).str() + R"("}}]})",
         ErrorCode::Integrity, "does not match its digest");
  refuse(head + R"("c","source":{"content_type":"application/wasm","source":"file:///x.wasm"}}]})",
         ErrorCode::Unsupported, "only content by digest or inline");
  refuse(head + R"("c","source":{"content_type":"application/wasm","digest":")" + d +
             R"("},"dependencies":{"a:b/c":{"source":{"content_type":"application/wasm","digest":")" + d +
             R"("},"export":null}}}]})",
         ErrorCode::Unsupported, "component dependencies");
  refuse(R"({"spin_lock_version":1,"must_understand":["teleport"],"triggers":[],"components":[]})",
         ErrorCode::Unsupported, "teleport");
  refuse(R"({"spin_lock_version":2,"triggers":[],"components":[]})", ErrorCode::Unsupported, "newer");
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
    writeFile(out.path() + "/" + componentWasmPath(c.id), std::string(std::istreambuf_iterator<char>(in), {}));
    for (const auto& f : c.files)
      writeFile(out.path() + "/" + componentFilesDir(c.id) + "/" + f.path,
                f.content.inlined.value_or(std::string(129, 'o')));
  }
  std::string toml = writeSpinToml(first->locked);
  auto again = parseSpinManifest(toml, out.path() + "/spin.toml", out.path());
  ASSERT_TRUE(again) << again.error().format() << "\n" << toml;
  auto second = buildSpinArtifact(*again, "2025-01-01T00:00:00Z", {});
  ASSERT_TRUE(second) << second.error().format();
  EXPECT_EQ(second->lockedApp, first->lockedApp) << toml;
  EXPECT_EQ(second->manifestDigest, first->manifestDigest);
}

TEST(SpinTomlWriter, QuotesWhatTomlNeedsQuoted) {
  EXPECT_EQ(tomlString("a\"b\\c\n\x01\x7f"), R"("a\"b\\c\n\u0001\u007F")");
  EXPECT_EQ(tomlKey("plain_key-1"), "plain_key-1");
  EXPECT_EQ(tomlKey("with space"), "\"with space\"");
  EXPECT_EQ(tomlKey(""), "\"\"");
}

}  // namespace
}  // namespace wasmops::oci
