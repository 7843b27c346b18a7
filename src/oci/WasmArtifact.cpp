#include "oci/WasmArtifact.h"

#include <fmt/format.h>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "oci/MediaTypes.h"

namespace wasmops::oci {
namespace {

Unexpected bad(const std::string& what, const std::string& message) {
  return Unexpected(Error(ErrorCode::Invalid, message).inFile(what));
}

}  // namespace

Json descriptorJson(const Descriptor& d) {
  return Json{{"mediaType", d.mediaType}, {"digest", d.digest.str()}, {"size", d.size}};
}

Expected<Descriptor> readDescriptor(const Json& j, const std::string& what, const std::string& field) {
  if (!j.is_object()) return bad(what, field + " is not an object");
  if (!j.contains("digest") || !j["digest"].is_string()) return bad(what, field + " has no \"digest\"");
  if (!j.contains("size") || !j["size"].is_number_unsigned()) return bad(what, field + " has no valid \"size\"");
  Descriptor d;
  auto digest = base::Digest::parse(j["digest"].get<std::string>());
  if (!digest) return bad(what, field + ": " + digest.error().message);
  d.digest = *digest;
  d.size = j["size"].get<std::uint64_t>();
  if (j.contains("mediaType") && j["mediaType"].is_string()) d.mediaType = j["mediaType"].get<std::string>();
  return d;
}

Expected<std::string> creationTime() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || v < 0)
      return makeError(ErrorCode::Usage, fmt::format("SOURCE_DATE_EPOCH='{}' is not a number of seconds", epoch));
    t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf);
}

Expected<WasmArtifact> buildWasmArtifact(std::span<const std::uint8_t> wasm, const std::string& created,
                                         const std::map<std::string, std::string>& annotations) {
  WASMOPS_TRY(auto preamble, binary::readPreamble(wasm));
  WasmArtifact a;
  bool component = preamble.kind == binary::BinaryKind::Component;
  a.kind = component ? "component" : "module";
  a.os = component ? "wasip2" : "wasip1";
  a.layer = {std::string(media::kWasmLayer), base::Digest::of(wasm), wasm.size()};

  Json config = {{"created", created},
                 {"architecture", "wasm"},
                 {"os", a.os},
                 {"layerDigests", Json::array({a.layer.digest.str()})}};
  // A module's config has no `component` member (oci-wasm's
  // `WasmConfig::from_raw_module` leaves it None); a component's lists its
  // world (oci/ComponentConfig.h). Nested core modules are not needed.
  if (component) {
    binary::ComponentDecodeOptions options;
    options.decodeModules = false;
    WASMOPS_TRY(auto decoded, binary::decodeComponent(wasm, options));
    a.component = componentConfigOf(decoded);
    config["component"] = componentConfigJson(*a.component);
  }
  a.config = config.dump();
  a.configDescriptor = {std::string(media::kWasmConfig), base::Digest::of(a.config), a.config.size()};

  Json manifestAnnotations = {{"org.opencontainers.image.created", created}};
  for (const auto& [k, v] : annotations) manifestAnnotations[k] = v;
  Json manifest = {{"schemaVersion", 2},
                   {"mediaType", media::kOciManifest},
                   {"artifactType", media::kWasmConfig},
                   {"config", descriptorJson(a.configDescriptor)},
                   {"layers", Json::array({descriptorJson(a.layer)})},
                   {"annotations", manifestAnnotations}};
  a.manifest = manifest.dump();
  a.manifestDigest = base::Digest::of(a.manifest);
  return a;
}

Expected<ParsedManifest> parseWasmManifest(const std::string& bytes, const std::string& what) {
  auto doc = Json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad(what, "manifest is not a JSON object");
  if (!doc.contains("schemaVersion") || doc["schemaVersion"] != 2)
    return bad(what, "manifest schemaVersion is not 2 (only OCI and Docker v2 manifests are supported)");
  if (!doc.contains("config")) return bad(what, "manifest has no \"config\"");
  if (!doc.contains("layers") || !doc["layers"].is_array()) return bad(what, "manifest has no \"layers\" list");
  ParsedManifest m;
  WASMOPS_TRY_ASSIGN(m.config, readDescriptor(doc["config"], what, "config"));
  if (doc.contains("artifactType") && doc["artifactType"].is_string())
    m.artifactType = doc["artifactType"].get<std::string>();
  if (m.config.size > (4u << 20)) return bad(what, "config blob declared larger than 4 MiB");

  std::vector<Descriptor> wasmLayers;
  bool spinLayer = m.config.mediaType == media::kSpinApplication;
  std::size_t index = 0;
  for (const auto& layer : doc["layers"]) {
    WASMOPS_TRY(auto d, readDescriptor(layer, what, fmt::format("layers[{}]", index++)));
    if (d.mediaType == media::kSpinApplication) spinLayer = true;
    if (media::isWasmLayer(d.mediaType)) wasmLayers.push_back(std::move(d));
  }
  if (spinLayer)
    return Unexpected(Error(ErrorCode::Unsupported,
                            "this is a Spin application, not a single module or component; `wasmops pull` writes "
                            "it out as an application folder")
                          .inFile(what));
  if (wasmLayers.empty())
    return bad(what, fmt::format("manifest has no WebAssembly layer ({} layers, none of type application/wasm)",
                                 doc["layers"].size()));
  if (wasmLayers.size() > 1)
    return Unexpected(Error(ErrorCode::Unsupported,
                            fmt::format("manifest has {} WebAssembly layers (an application?); only single-module "
                                        "artifacts can be pulled yet",
                                        wasmLayers.size()))
                          .inFile(what));
  m.wasmLayer = wasmLayers.front();
  return m;
}

Expected<Descriptor> selectFromIndex(const std::string& bytes, const std::string& what) {
  auto doc = Json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("manifests") || !doc["manifests"].is_array())
    return bad(what, "index has no \"manifests\" list");
  const auto& list = doc["manifests"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& entry = list[i];
    if (!entry.is_object() || !entry.contains("platform") || !entry["platform"].is_object()) continue;
    const auto& p = entry["platform"];
    bool wasm = (p.contains("architecture") && p["architecture"] == "wasm") ||
                (p.contains("os") && (p["os"] == "wasip1" || p["os"] == "wasip2" || p["os"] == "wasi"));
    if (wasm) return readDescriptor(entry, what, fmt::format("manifests[{}]", i));
  }
  if (list.size() == 1) return readDescriptor(list[0], what, "manifests[0]");
  return bad(what, fmt::format("index lists {} manifests and none is for wasm (architecture \"wasm\")", list.size()));
}

}  // namespace wasmops::oci
