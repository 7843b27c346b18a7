#pragma once
// Pull of a wasm OCI artifact: manifest (following an index to its wasm
// entry), config and the wasm layer into the content store, every digest and
// size verified, then the layer copied to <outputDir>/<name>.wasm.
#include <cstdint>
#include <string>
#include <vector>

#include "base/Error.h"
#include "oci/ContentStore.h"
#include "oci/Reference.h"
#include "oci/RegistryClient.h"
#include "oci/TransferObserver.h"
#include "oci/WasmArtifact.h"

namespace wasmops::oci {

struct PullOptions {
  RegistryOptions registry;
  std::string outputDir = ".";  // empty: leave the module in the store; PullResult::file is its blob
  TransferObserver* observer = nullptr;
};

struct PulledBlob {
  Descriptor descriptor;
  bool cached = false;  // already in the store; nothing downloaded
};

struct PullResult {
  Digest manifestDigest;
  std::string manifestMediaType;
  std::string digestReference;  // registry/repo@sha256:...
  std::string file;             // written path
  std::vector<PulledBlob> blobs;
};

Expected<PullResult> pullWasm(const Reference& ref, const ContentStore& store, const PullOptions& options);

}  // namespace wasmops::oci
