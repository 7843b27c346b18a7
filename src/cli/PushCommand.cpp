#include <fmt/format.h>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "cli/RegistrySettings.h"
#include "cli/TransferProgress.h"
#include "oci/ContentStore.h"
#include "oci/Push.h"
#include "oci/SpinPush.h"

namespace wasmops::cli {
namespace {

using Json = nlohmann::ordered_json;

// "K=V"; a key without a dot is short for org.opencontainers.image.<key>.
Expected<std::pair<std::string, std::string>> parseAnnotation(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return makeError(ErrorCode::Usage, fmt::format("--annotation '{}' must look like KEY=VALUE", text));
  std::string key = text.substr(0, eq);
  if (key.find('.') == std::string::npos) key = "org.opencontainers.image." + key;
  return std::make_pair(key, text.substr(eq + 1));
}

Json blobJson(const oci::PushedBlob& b) {
  Json j = oci::descriptorJson(b.descriptor);
  j["action"] = oci::blobActionName(b.action);
  return j;
}

int printAppResult(const PushOptions& options, const oci::Reference& ref, const oci::AppPushResult& result) {
  const auto& a = result.artifact;
  if (options.json) {
    Json layers = Json::array();
    for (std::size_t i = 1; i < result.blobs.size(); ++i) layers.push_back(blobJson(result.blobs[i]));
    Json components = Json::array();
    for (const auto& c : a.locked.components)
      components.push_back({{"id", c.id}, {"digest", c.source.digest->str()}, {"files", c.files.size()}});
    Json out = {{"reference", ref.str()},
                {"digestReference", result.digestReference},
                {"digest", a.manifestDigest.str()},
                {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"kind", "application"},
                {"manifestSize", a.manifest.size()},
                {"lockedApp", a.layers.back().descriptor.digest.str()},
                {"components", components},
                {"config", blobJson(result.blobs.front())},
                {"layers", layers}};
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!options.quiet) {
    std::size_t files = 0, uploaded = 0;
    for (const auto& c : a.locked.components) files += c.files.size();
    for (const auto& b : result.blobs) uploaded += b.action == oci::BlobAction::Uploaded ? 1 : 0;
    std::fprintf(stderr, "pushed application %s (%zu components, %zu files, %zu layers, %zu uploaded)\n",
                 ref.str().c_str(), a.locked.components.size(), files, a.layers.size(), uploaded);
  }
  std::printf("%s\n", result.digestReference.c_str());
  return 0;
}

}  // namespace

int runPush(const PushOptions& options) {
  auto ref = parseReferenceArgument(options.reference);
  if (!ref) return reportError(ref.error());
  if (options.file.empty() == options.manifest.empty())
    return reportError(Error(ErrorCode::Usage, "push needs FILE.wasm or --manifest spin.toml (one of them)"));
  oci::PushOptions push;
  for (const auto& a : options.annotations) {
    auto kv = parseAnnotation(a);
    if (!kv) return reportError(kv.error());
    push.annotations[kv->first] = kv->second;
  }
  push.chunkSize = options.chunkSize;
  auto registry = registryOptionsFor(ref->registry, options.insecure);
  if (!registry) return reportError(registry.error());
  push.registry = std::move(*registry);

  std::optional<TransferProgress> progress;
  if (!options.quiet && !options.json && TransferProgress::wanted()) push.observer = &progress.emplace();
  // Without a store push still works; it only cannot offer mounts.
  auto store = oci::ContentStore::open(oci::ContentStore::defaultRoot());

  if (!options.manifest.empty()) {
    auto result = oci::pushSpinApp(*ref, options.manifest, push, store ? &*store : nullptr);
    if (!result) return reportError(result.error());
    return printAppResult(options, *ref, *result);
  }

  auto file = openInput(options.file);
  if (!file) return reportError(file.error());
  auto result = oci::pushWasm(*ref, file->bytes(), push, store ? &*store : nullptr);
  if (!result) {
    // Only a malformed binary is about the file; registry errors name their URL.
    if (result.error().code == ErrorCode::Malformed) return reportError(Error(result.error()).inFile(options.file));
    return reportError(result.error());
  }

  const auto& a = result->artifact;
  if (options.json) {
    Json blobs = Json::array();
    for (const auto& b : result->blobs) {
      Json j = oci::descriptorJson(b.descriptor);
      j["action"] = oci::blobActionName(b.action);
      blobs.push_back(j);
    }
    Json out = {{"reference", ref->str()},
                {"digestReference", result->digestReference},
                {"digest", a.manifestDigest.str()},
                {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"artifactType", a.configDescriptor.mediaType},
                {"kind", a.kind},
                {"os", a.os},
                {"manifestSize", a.manifest.size()},
                {"config", blobs[0]},
                {"layers", Json::array({blobs[1]})}};
    // What the config says about a component's world, so a script need not fetch the blob.
    if (a.component) out["component"] = oci::componentConfigJson(*a.component);
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!options.quiet)
    std::fprintf(stderr, "pushed %s %s (%s, layer %s)\n", a.kind.c_str(), ref->str().c_str(),
                 humanBytes(static_cast<double>(a.layer.size)).c_str(),
                 oci::blobActionName(result->blobs.back().action));
  std::printf("%s\n", result->digestReference.c_str());
  return 0;
}

}  // namespace wasmops::cli
