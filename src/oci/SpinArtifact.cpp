#include "oci/SpinArtifact.h"

#include <fmt/format.h>

#include <set>

#include "base/Bytes.h"
#include "base/MappedFile.h"
#include "binary/Preamble.h"
#include "oci/MediaTypes.h"

namespace wasmops::oci {
namespace {

using Ordered = nlohmann::ordered_json;

Unexpected bad(const std::string& what, const std::string& message) {
  return Unexpected(Error(ErrorCode::Invalid, message).inFile(what));
}

// Spin's content_ref_for_layer: a digest always, the bytes too when small.
Expected<app::ContentRef> contentOf(const MappedFile& file) {
  app::ContentRef c;
  c.digest = base::Digest::fromHex(file.sha256());
  if (file.size() <= kSpinInlineMaxSize) c.inlined = asString(file.bytes());
  return c;
}

// Spin's all_annotations: inferred values never replace explicit ones.
std::map<std::string, std::string> annotationsFor(const app::LockedApp& app, const std::string& created,
                                                  std::map<std::string, std::string> explicitOnes) {
  auto infer = [&](const char* key, const std::string& value) {
    if (!value.empty()) explicitOnes.try_emplace(std::string("org.opencontainers.image.") + key, value);
  };
  const auto& m = app.metadata;
  if (m.contains("authors") && m["authors"].is_array()) {
    std::string authors;
    for (const auto& a : m["authors"])
      if (a.is_string()) authors += (authors.empty() ? "" : ", ") + a.get<std::string>();
    infer("authors", authors);
  }
  for (const char* key : {"name", "description", "version"})
    if (m.contains(key) && m[key].is_string())
      infer(std::string_view(key) == "name" ? "title" : key, m[key].get<std::string>());
  infer("created", created);
  return explicitOnes;
}

}  // namespace

Expected<SpinArtifact> buildSpinArtifact(const app::SpinApp& app, const std::string& created,
                                         const std::map<std::string, std::string>& annotations) {
  SpinArtifact a;
  a.locked = app.locked;
  std::set<std::pair<std::string, std::string>> seen;  // Spin dedups equal layers
  auto addLayer = [&](std::string_view mediaType, const base::Digest& digest, std::uint64_t size, const std::string& path) {
    if (seen.emplace(digest.str(), std::string(mediaType)).second)
      a.layers.push_back({{std::string(mediaType), digest, size}, path});
  };
  for (std::size_t i = 0; i < a.locked.components.size(); ++i) {
    auto& comp = a.locked.components[i];
    const auto& local = app.local[i];
    if (local.source.kind == app::ComponentSource::Kind::Url)
      return makeError(ErrorCode::Unsupported,
                       fmt::format("component \"{}\": URL sources are not supported yet for push; download the file "
                                   "(and check its digest) and name the local path as source",
                                   comp.id));
    if (local.source.kind == app::ComponentSource::Kind::Registry)
      return makeError(ErrorCode::Unsupported,
                       fmt::format("component \"{}\": registry sources are not supported yet for push; fetch the "
                                   "component and name the local path as source",
                                   comp.id));
    WASMOPS_TRY(auto wasm, MappedFile::open(local.wasmPath));
    if (auto pre = binary::readPreamble(wasm.bytes()); !pre)
      return Unexpected(Error(pre.error()).inFile(local.wasmPath));
    WASMOPS_TRY_ASSIGN(comp.source, contentOf(wasm));
    addLayer(media::kWasmContentLayer, *comp.source.digest, wasm.size(), local.wasmPath);
    for (const auto& f : local.files) {
      WASMOPS_TRY(auto file, MappedFile::open(f.hostPath));
      WASMOPS_TRY(auto content, contentOf(file));
      // Inlined files get no layer: registries that refuse tiny blobs
      // (distribution/distribution#4029) are why Spin inlines them.
      if (!content.inlined) addLayer(media::kWasmDataLayer, *content.digest, file.size(), f.hostPath);
      comp.files.push_back({std::move(content), f.guestPath});
    }
  }
  if (a.layers.size() + 1 > kSpinMaxLayers)
    return makeError(ErrorCode::Unsupported,
                     fmt::format("the application needs {} layers; registries allow {} and Spin's archive layers "
                                 "({}) are not supported yet",
                                 a.layers.size() + 1, kSpinMaxLayers, media::kSpinArchiveLayer));

  a.lockedApp = app::serializeLockedApp(a.locked);
  base::Digest lockedDigest = base::Digest::of(a.lockedApp);
  a.layers.push_back({{std::string(media::kSpinApplication), lockedDigest, a.lockedApp.size()}, ""});

  // oci_client's ConfigFile as serde writes it. Without the locked app's
  // digest every Spin app would share one config (and one image id).
  Ordered config = {{"architecture", "wasm"},
                    {"os", "wasip1"},
                    {"config", Ordered{{"Labels", Ordered{{"com.fermyon.spin.lockedAppDigest", lockedDigest.str()}}}}},
                    {"rootfs", Ordered{{"type", "layers"}, {"diff_ids", Ordered::array()}}}};
  a.config = config.dump();
  a.configDescriptor = {std::string(media::kOciImageConfig), base::Digest::of(a.config), a.config.size()};

  Ordered layers = Ordered::array();
  for (const auto& l : a.layers) layers.push_back(descriptorJson(l.descriptor));
  Ordered manifest = {{"schemaVersion", 2},
                      {"mediaType", media::kOciManifest},
                      {"config", descriptorJson(a.configDescriptor)},
                      {"layers", std::move(layers)}};
  Ordered notes = Ordered::object();
  for (const auto& [k, v] : annotationsFor(a.locked, created, annotations)) notes[k] = v;
  manifest["annotations"] = std::move(notes);
  a.manifest = manifest.dump(-1, ' ', false, Ordered::error_handler_t::replace);
  a.manifestDigest = base::Digest::of(a.manifest);
  return a;
}

Expected<std::optional<SpinLayout>> detectSpinLayout(const std::string& manifest, const std::string& what) {
  auto doc = Ordered::parse(manifest, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad(what, "manifest is not a JSON object");
  if (!doc.contains("config") || !doc.contains("layers") || !doc["layers"].is_array())
    return std::optional<SpinLayout>();
  SpinLayout layout;
  WASMOPS_TRY_ASSIGN(layout.config, readDescriptor(doc["config"], what, "config"));
  std::size_t index = 0;
  int lockedLayers = 0;
  for (const auto& l : doc["layers"]) {
    WASMOPS_TRY(auto d, readDescriptor(l, what, fmt::format("layers[{}]", index++)));
    if (d.mediaType == media::kSpinApplication) {
      layout.lockedApp = d;
      ++lockedLayers;
    }
    layout.layers.push_back(std::move(d));
  }
  if (lockedLayers > 1) return bad(what, fmt::format("manifest has {} locked-application layers", lockedLayers));
  if (lockedLayers == 0) {
    if (layout.config.mediaType != media::kSpinApplication) return std::optional<SpinLayout>();
    layout.lockedApp = layout.config;  // before Spin 2.0 the config blob was the locked app
    layout.lockedAppIsConfig = true;
  }
  return std::optional<SpinLayout>(std::move(layout));
}

}  // namespace wasmops::oci
