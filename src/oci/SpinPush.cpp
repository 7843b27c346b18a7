#include "oci/SpinPush.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/Bytes.h"
#include "base/MappedFile.h"
#include "oci/MediaTypes.h"
#include "app/SpinManifest.h"

namespace wasmops::oci {
Expected<AppPushResult> pushSpinApp(const Reference& ref, const std::string& manifestPath, const PushOptions& options,
                                    const ContentStore* store) {
  // A folder means its wasmops.toml, else its spin.toml.
  WASMOPS_TRY(auto path, app::locateManifest(manifestPath));
  WASMOPS_TRY(auto app, app::loadSpinManifest(path));
  for (const auto& w : app.warnings) spdlog::warn("{}:{}:{}: {}", path, w.line, w.column, w.message);
  WASMOPS_TRY(auto created, creationTime());
  AppPushResult result;
  WASMOPS_TRY_ASSIGN(result.artifact, buildSpinArtifact(app, created, options.annotations));
  const auto& a = result.artifact;
  if (ref.digest && *ref.digest != a.manifestDigest)
    return makeError(ErrorCode::Integrity,
                     fmt::format("the reference names digest {} but the manifest built for this application is {}",
                                 ref.digest->str(), a.manifestDigest.str()));

  RegistryClient client(ref.registry, options.registry);
  WASMOPS_TRY_VOID(client.connect());

  auto push = [&](const std::string& label, const Descriptor& d,
                  std::span<const std::uint8_t> bytes) -> Expected<void> {
    if (options.observer) options.observer->started(label + " " + d.digest.str().substr(0, 19), d.size);
    ProgressFn progress;
    if (options.observer)
      progress = [obs = options.observer](std::uint64_t done, std::uint64_t) { obs->progress(done); };
    WASMOPS_TRY(auto action, client.pushBlob(ref.repository, d.digest, bytes, mountCandidates(store, ref, d.digest),
                                             options.chunkSize, progress));
    if (options.observer) options.observer->finished(blobActionName(action));
    result.blobs.push_back({d, action});
    if (store) store->recordSource(d.digest, ref.registry + "/" + ref.repository);
    return {};
  };

  // Layers before the config and the manifest, as a registry expects.
  for (const auto& layer : a.layers) {
    const auto& d = layer.descriptor;
    std::string label = d.mediaType == media::kSpinApplication ? "app"
                        : media::isWasmLayer(d.mediaType)      ? "wasm"
                                                               : "file";
    if (layer.hostPath.empty()) {
      WASMOPS_TRY_VOID(push(label, d, asBytes(a.lockedApp)));
      continue;
    }
    WASMOPS_TRY(auto file, MappedFile::open(layer.hostPath));
    // A file that changed since it was hashed would make the registry
    // refuse the upload with a less helpful message.
    if (file.size() != d.size)
      return Unexpected(Error(ErrorCode::Io, "file changed while pushing").inFile(layer.hostPath));
    WASMOPS_TRY_VOID(push(label, d, file.bytes()));
  }
  WASMOPS_TRY_VOID(push("config", a.configDescriptor, asBytes(a.config)));
  // Report the config first, as the wasm push does.
  std::rotate(result.blobs.begin(), result.blobs.end() - 1, result.blobs.end());

  WASMOPS_TRY_ASSIGN(result.digestReference, putManifest(client, store, ref, a.manifestDigest, a.manifest));
  return result;
}

}  // namespace wasmops::oci
