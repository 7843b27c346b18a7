#pragma once
// Push of one module or component as a wasm OCI artifact: config and layer
// blobs (skipped when the repository has them, mounted when the store knows
// another repository of the registry that has them), then the manifest by
// tag, or by digest when the reference has one.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "oci/ContentStore.h"
#include "oci/Reference.h"
#include "oci/RegistryClient.h"
#include "oci/TransferObserver.h"
#include "oci/WasmArtifact.h"

namespace wasmops::oci {

inline constexpr std::uint64_t kDefaultChunkSize = 16u << 20;

struct PushOptions {
  RegistryOptions registry;
  std::map<std::string, std::string> annotations;
  std::uint64_t chunkSize = kDefaultChunkSize;  // 0: always monolithic
  TransferObserver* observer = nullptr;
};

struct PushedBlob {
  Descriptor descriptor;
  BlobAction action = BlobAction::Uploaded;
};

struct PushResult {
  WasmArtifact artifact;
  std::vector<PushedBlob> blobs;  // config, then layer
  std::string digestReference;    // registry/repo@sha256:...
};

// `store` (may be null) supplies and records where blobs are known to exist.
// Repositories of ref's registry that the store saw holding the blob: the
// candidates for a cross-repository mount instead of an upload.
std::vector<std::string> mountCandidates(const ContentStore* store, const Reference& ref, const base::Digest& digest);

// The last step of every push: the manifest, under the reference's tag (or
// its own digest), recorded in the store; the pushed reference by digest.
Expected<std::string> putManifest(RegistryClient& client, const ContentStore* store, const Reference& ref,
                                  const base::Digest& manifestDigest, const std::string& manifest);

Expected<PushResult> pushWasm(const Reference& ref, std::span<const std::uint8_t> wasm, const PushOptions& options,
                              const ContentStore* store);

}  // namespace wasmops::oci
