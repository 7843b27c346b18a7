#include "oci/Push.h"

#include <fmt/format.h>

#include "base/Bytes.h"
#include "oci/MediaTypes.h"

namespace wasmops::oci {
std::vector<std::string> mountCandidates(const ContentStore* store, const Reference& ref, const base::Digest& digest) {
  std::vector<std::string> out;
  if (!store) return out;
  std::string prefix = ref.registry + "/";
  for (const auto& source : store->sources(digest))
    if (source.rfind(prefix, 0) == 0 && source.substr(prefix.size()) != ref.repository)
      out.push_back(source.substr(prefix.size()));
  return out;
}

Expected<std::string> putManifest(RegistryClient& client, const ContentStore* store, const Reference& ref,
                                  const base::Digest& manifestDigest, const std::string& manifest) {
  WASMOPS_TRY(auto digest, client.putManifest(ref.repository, ref.tag.empty() ? manifestDigest.str() : ref.tag,
                                              media::kOciManifest, manifest));
  if (store) store->recordSource(digest, ref.registry + "/" + ref.repository);
  return ref.withDigest(digest);
}

Expected<PushResult> pushWasm(const Reference& ref, std::span<const std::uint8_t> wasm, const PushOptions& options,
                              const ContentStore* store) {
  WASMOPS_TRY(auto created, creationTime());
  PushResult result;
  WASMOPS_TRY_ASSIGN(result.artifact, buildWasmArtifact(wasm, created, options.annotations));
  const auto& a = result.artifact;

  RegistryClient client(ref.registry, options.registry);
  WASMOPS_TRY_VOID(client.connect());

  struct Item {
    std::string label;
    Descriptor descriptor;
    std::span<const std::uint8_t> bytes;
  };
  const Item items[] = {{"config", a.configDescriptor, asBytes(a.config)}, {"layer", a.layer, wasm}};
  for (const auto& item : items) {
    if (options.observer)
      options.observer->started(item.label + " " + item.descriptor.digest.str().substr(0, 19), item.descriptor.size);
    ProgressFn progress;
    if (options.observer)
      progress = [obs = options.observer](std::uint64_t done, std::uint64_t) { obs->progress(done); };
    WASMOPS_TRY(auto action,
                client.pushBlob(ref.repository, item.descriptor.digest, item.bytes,
                                mountCandidates(store, ref, item.descriptor.digest), options.chunkSize, progress));
    if (options.observer) options.observer->finished(blobActionName(action));
    result.blobs.push_back({item.descriptor, action});
    if (store) store->recordSource(item.descriptor.digest, ref.registry + "/" + ref.repository);
  }

  if (ref.digest && *ref.digest != a.manifestDigest)
    return makeError(ErrorCode::Integrity,
                     fmt::format("the reference names digest {} but the manifest built for this file is {}",
                                 ref.digest->str(), a.manifestDigest.str()));
  WASMOPS_TRY_ASSIGN(result.digestReference, putManifest(client, store, ref, a.manifestDigest, a.manifest));
  return result;
}

}  // namespace wasmops::oci
