#include "oci/WasmArtifact.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "binary/WasmBuilder.h"

namespace wasmops::oci {
namespace {

using namespace wasmops::testing;

const std::vector<std::uint8_t> kModule = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
const std::vector<std::uint8_t> kComponent = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

TEST(WasmArtifact, ModuleArtifactIsExactlyTheDocumentedShape) {
  auto a = buildWasmArtifact(kModule, "2025-01-02T03:04:05Z", {{"org.opencontainers.image.version", "1.0"}});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->kind, "module");
  EXPECT_EQ(a->os, "wasip1");
  std::string layer = base::Digest::of(kModule).str();
  EXPECT_EQ(a->config, R"({"created":"2025-01-02T03:04:05Z","architecture":"wasm","os":"wasip1","layerDigests":[")" +
                           layer + R"("]})");
  EXPECT_EQ(a->manifest, R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                         R"("artifactType":"application/vnd.wasm.config.v0+json",)"
                         R"("config":{"mediaType":"application/vnd.wasm.config.v0+json","digest":")" +
                             base::Digest::of(a->config).str() + R"(","size":)" + std::to_string(a->config.size()) +
                             R"(},"layers":[{"mediaType":"application/wasm","digest":")" + layer +
                             R"(","size":8}],"annotations":{"org.opencontainers.image.created":"2025-01-02T03:04:05Z",)"
                             R"("org.opencontainers.image.version":"1.0"}})");
  EXPECT_EQ(a->manifestDigest, base::Digest::of(a->manifest));
}

TEST(WasmArtifact, ComponentsAreWasip2WithComponentLists) {
  auto a = buildWasmArtifact(kComponent, "2025-01-02T03:04:05Z", {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, "component");
  auto config = nlohmann::json::parse(a->config);
  EXPECT_EQ(config["os"], "wasip2");
  EXPECT_EQ(config["component"]["exports"], nlohmann::json::array());
  EXPECT_EQ(config["component"]["imports"], nlohmann::json::array());
}

// `name` with the 0x00 nameattributes prefix.
Bytes externName(const std::string& s) { return cat({{0x00}, name(s)}); }

// Top-level imports and exports of every kind (type indices need not resolve:
// the decoder does not validate, and the config only names them).
Bytes worldComponent() {
  Bytes imports = vec(5, cat({externName("wasi:cli/environment@0.2.0"), {0x05}, uleb(0),  // instance
                              externName("log"), {0x01}, uleb(1),                         // func
                              externName("counter"), {0x03, 0x01},                        // type (sub resource)
                              externName("[method]counter.inc"), {0x01}, uleb(2),         // func
                              externName("m"), {0x00, 0x11}, uleb(3)}));                  // core module
  Bytes exports = vec(4, cat({externName("run"), {0x01}, uleb(0), {0x00},                 // func
                              externName("m"), {0x00, 0x11}, uleb(0), {0x00},             // core module
                              externName("wasi:cli/run@0.2.0"), {0x05}, uleb(0), {0x00},  // instance
                              externName("t"), {0x03}, uleb(0), {0x00}}));                // type
  return cat({kComponent, section(10, imports), section(11, exports)});
}

TEST(WasmArtifact, ComponentConfigNamesTheWorldAsWkgDoes) {
  auto a = buildWasmArtifact(worldComponent(), "2025-01-02T03:04:05Z", {});
  ASSERT_TRUE(a) << a.error().format();
  ASSERT_TRUE(a->component);
  // Module imports and type and module exports are no part of a WIT world.
  EXPECT_EQ(a->component->imports,
            (std::vector<std::string>{"wasi:cli/environment@0.2.0", "log", "counter", "[method]counter.inc"}));
  EXPECT_EQ(a->component->exports, (std::vector<std::string>{"run", "wasi:cli/run@0.2.0"}));
  EXPECT_EQ(a->config, R"({"created":"2025-01-02T03:04:05Z","architecture":"wasm","os":"wasip2","layerDigests":[")" +
                           a->layer.digest.str() +
                           R"("],"component":{"exports":["run","wasi:cli/run@0.2.0"],"imports":)"
                           R"(["wasi:cli/environment@0.2.0","log","counter","[method]counter.inc"]}})");
}

TEST(WasmArtifact, ModulesHaveNoComponentMember) {
  auto a = buildWasmArtifact(kModule, "2025-01-02T03:04:05Z", {});
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->component);
  EXPECT_FALSE(nlohmann::json::parse(a->config).contains("component"));
}

TEST(WasmArtifact, ComponentThatDoesNotDecodeIsRefusedWithItsOffset) {
  Bytes truncated = worldComponent();
  truncated.resize(truncated.size() - 3);
  auto a = buildWasmArtifact(truncated, "2025-01-02T03:04:05Z", {});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::Malformed) << a.error().format();
  EXPECT_TRUE(a.error().offset) << a.error().format();
}

TEST(ComponentConfig, TargetFollowsTheListsWhenKnown) {
  ComponentConfig c{{"wasi:http/incoming-handler@0.2.0"}, {"wasi:io/poll@0.2.0"}, std::nullopt};
  EXPECT_EQ(componentConfigJson(c).dump(),
            R"({"exports":["wasi:http/incoming-handler@0.2.0"],"imports":["wasi:io/poll@0.2.0"]})");
  c.target = "wasi:http/proxy@0.2.0";
  EXPECT_EQ(componentConfigJson(c).dump(), R"({"exports":["wasi:http/incoming-handler@0.2.0"],)"
                                           R"("imports":["wasi:io/poll@0.2.0"],"target":"wasi:http/proxy@0.2.0"})");
}

TEST(WasmArtifact, SameInputSameDigests) {
  auto a = buildWasmArtifact(kModule, "2025-01-02T03:04:05Z", {{"b", "2"}, {"a", "1"}});
  auto b = buildWasmArtifact(kModule, "2025-01-02T03:04:05Z", {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(a->manifestDigest, b->manifestDigest);
}

TEST(WasmArtifact, RejectsWhatIsNotWasm) {
  std::vector<std::uint8_t> text = {'(', 'm', 'o', 'd', 'u', 'l', 'e', ')'};
  auto a = buildWasmArtifact(text, "2025-01-02T03:04:05Z", {});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::Malformed);
}

TEST(WasmArtifact, CreationTimeFollowsSourceDateEpoch) {
  ::setenv("SOURCE_DATE_EPOCH", "86400", 1);
  EXPECT_EQ(*creationTime(), "1970-01-02T00:00:00Z");
  ::setenv("SOURCE_DATE_EPOCH", "tomorrow", 1);
  EXPECT_FALSE(creationTime());
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(creationTime()->size(), 20u);
}

std::string descriptor(const std::string& type, const std::string& payload) {
  return R"({"mediaType":")" + type + R"(","digest":")" + base::Digest::of(payload).str() + R"(","size":)" +
         std::to_string(payload.size()) + "}";
}

TEST(ParseWasmManifest, FindsTheOneWasmLayer) {
  std::string m = R"({"schemaVersion":2,"config":)" + descriptor("application/vnd.wasm.config.v0+json", "{}") +
                  R"(,"layers":[)" + descriptor("application/wasm", "code") + "]}";
  auto p = parseWasmManifest(m, "ref");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->wasmLayer.digest, base::Digest::of(std::string_view("code")));
  EXPECT_EQ(p->wasmLayer.size, 4u);

  // Older layer types other tools push are accepted too.
  std::string old = R"({"schemaVersion":2,"config":)" + descriptor("application/vnd.oci.image.config.v1+json", "{}") +
                    R"(,"layers":[)" + descriptor("application/vnd.wasm.content.layer.v1+wasm", "code") + "]}";
  EXPECT_TRUE(parseWasmManifest(old, "ref"));
}

TEST(ParseWasmManifest, ExplainsWhatItCannotPull) {
  auto expectError = [](const std::string& m, const std::string& needle) {
    auto p = parseWasmManifest(m, "ref");
    ASSERT_FALSE(p) << m;
    EXPECT_NE(p.error().message.find(needle), std::string::npos) << p.error().message;
  };
  std::string cfg = descriptor("application/vnd.wasm.config.v0+json", "{}");
  expectError("[]", "not a JSON object");
  expectError(R"({"schemaVersion":1})", "schemaVersion");
  expectError(R"({"schemaVersion":2,"config":)" + cfg + R"(,"layers":[]})", "no WebAssembly layer");
  expectError(R"({"schemaVersion":2,"config":)" + cfg + R"(,"layers":[)" + descriptor("application/wasm", "a") + "," +
                  descriptor("application/wasm", "b") + "]}",
              "2 WebAssembly layers");
  expectError(R"({"schemaVersion":2,"config":)" + cfg + R"(,"layers":[)" +
                  descriptor("application/vnd.fermyon.spin.application.v1+config", "{}") + "]}",
              "Spin application");
  expectError(R"({"schemaVersion":2,"config":{"digest":"sha256:zz","size":1},"layers":[]})", "config: digest");
  expectError(R"({"schemaVersion":2,"config":{"digest":")" + base::Digest::of(std::string_view("x")).str() +
                  R"(","size":-1},"layers":[]})",
              "size");
}

TEST(SelectFromIndex, PicksTheWasmEntry) {
  std::string d1 = base::Digest::of(std::string_view("amd64")).str();
  std::string d2 = base::Digest::of(std::string_view("wasm")).str();
  std::string index = R"({"schemaVersion":2,"manifests":[)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                      d1 +
                      R"(","size":10,"platform":{"architecture":"amd64","os":"linux"}},)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                      d2 + R"(","size":20,"platform":{"architecture":"wasm","os":"wasip2"}}]})";
  auto picked = selectFromIndex(index, "ref");
  ASSERT_TRUE(picked) << picked.error().message;
  EXPECT_EQ(picked->digest.str(), d2);
  std::string noWasm = R"({"manifests":[{"digest":")" + d1 +
                       R"(","size":1,"platform":{"architecture":"amd64"}},)"
                       R"({"digest":")" +
                       d2 + R"(","size":1,"platform":{"architecture":"arm64"}}]})";
  EXPECT_FALSE(selectFromIndex(noWasm, "ref"));
}

}  // namespace
}  // namespace wasmops::oci
