#include "oci/Pull.h"

#include <nlohmann/json.hpp>

#include "base/AtomicFile.h"
#include "oci/MediaTypes.h"
#include "oci/SpinPull.h"

namespace wasmops::oci {
namespace {

std::string documentMediaType(const FetchedManifest& m) {
  if (!m.mediaType.empty() && m.mediaType != "application/json" && m.mediaType != "text/plain") return m.mediaType;
  auto doc = nlohmann::json::parse(m.bytes, nullptr, false);
  if (doc.is_object() && doc.contains("mediaType") && doc["mediaType"].is_string())
    return doc["mediaType"].get<std::string>();
  if (doc.is_object() && doc.contains("manifests")) return std::string(media::kOciIndex);
  return std::string(media::kOciManifest);
}

// The image manifest REF names, following an index to its wasm entry.
Expected<FetchedManifest> fetchImageManifest(RegistryClient& client, const Reference& ref) {
  WASMOPS_TRY(auto manifest, client.getManifest(ref.repository, ref.manifestSelector()));
  if (media::isIndex(documentMediaType(manifest))) {
    WASMOPS_TRY(auto entry, selectFromIndex(manifest.bytes, ref.str()));
    WASMOPS_TRY_ASSIGN(manifest, client.getManifest(ref.repository, entry.digest.str()));
    if (manifest.bytes.size() != entry.size)
      return Unexpected(Error(ErrorCode::Integrity, "manifest size differs from the index entry").inFile(ref.str()));
  }
  return manifest;
}

Expected<PullResult> pullWasmManifest(RegistryClient& client, const Reference& ref, const FetchedManifest& manifest,
                                      const ContentStore& store, const PullOptions& options) {
  WASMOPS_TRY(auto parsed, parseWasmManifest(manifest.bytes, ref.str()));

  PullResult result;
  result.manifestDigest = manifest.digest;
  result.manifestMediaType = documentMediaType(manifest);
  result.digestReference = ref.withDigest(manifest.digest);

  for (const auto* d : {&parsed.config, &parsed.wasmLayer}) {
    bool cached = store.has(d->digest, d->size);
    std::string label = (d == &parsed.config ? "config " : "layer ") + d->digest.str().substr(0, 19);
    if (options.observer) options.observer->started(label, d->size);
    ProgressFn progress;
    if (options.observer)
      progress = [obs = options.observer](std::uint64_t done, std::uint64_t) { obs->progress(done); };
    WASMOPS_TRY_VOID(client.getBlob(ref.repository, d->digest, d->size, store, progress));
    if (options.observer) options.observer->finished(cached ? "cached" : "downloaded");
    result.blobs.push_back({*d, cached});
    store.recordSource(d->digest, ref.registry + "/" + ref.repository);
  }
  // The manifest goes in last: its presence says the whole artifact is here.
  WASMOPS_TRY_VOID(store.put(manifest.digest, manifest.bytes));

  if (options.outputDir.empty()) {
    result.file = store.blobPath(parsed.wasmLayer.digest);  // read in place, verified
  } else {
    result.file = options.outputDir + "/" + ref.name() + ".wasm";
    WASMOPS_TRY_VOID(base::makeDirectories(options.outputDir));
    WASMOPS_TRY_VOID(store.exportTo(parsed.wasmLayer.digest, result.file, 0644));
  }
  return result;
}

}  // namespace

Expected<PullResult> pullWasm(const Reference& ref, const ContentStore& store, const PullOptions& options) {
  RegistryClient client(ref.registry, options.registry);
  WASMOPS_TRY(auto manifest, fetchImageManifest(client, ref));
  return pullWasmManifest(client, ref, manifest, store, options);
}

Expected<PullResult> pullArtifact(const Reference& ref, const ContentStore& store, const PullOptions& options) {
  RegistryClient client(ref.registry, options.registry);
  WASMOPS_TRY(auto manifest, fetchImageManifest(client, ref));
  WASMOPS_TRY(auto layout, detectSpinLayout(manifest.bytes, ref.str()));
  if (!layout) return pullWasmManifest(client, ref, manifest, store, options);
  PullResult result;
  result.manifestDigest = manifest.digest;
  result.manifestMediaType = documentMediaType(manifest);
  result.digestReference = ref.withDigest(manifest.digest);
  WASMOPS_TRY_VOID(pullSpinApp(client, ref, manifest, *layout, store, options, result));
  return result;
}

}  // namespace wasmops::oci
