#pragma once
// Pull of a wasm OCI artifact: manifest (following an index to its wasm
// entry), config and the wasm layer into the content store, every digest and
// size verified, then the layer copied to <outputDir>/<name>.wasm. A Spin
// application (oci/SpinPull.h) becomes a folder instead.
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
  // The folder for an application; empty: <outputDir>/<name>.
  std::string appDir;
  TransferObserver* observer = nullptr;
};

struct PulledBlob {
  Descriptor descriptor;
  bool cached = false;  // already in the store; nothing downloaded
};

struct PullResult {
  base::Digest manifestDigest;
  std::string manifestMediaType;
  std::string digestReference;  // registry/repo@sha256:...
  std::string file;             // written path (an application: its spin.toml)
  std::vector<PulledBlob> blobs;
  // Set for a Spin application.
  struct Component {
    std::string id;
    std::string file;
    base::Digest digest;
    std::uint64_t size = 0;
  };
  bool application = false;
  bool olderLayout = false;  // the locked app was the config blob (Spin < 2.0)
  std::string folder;
  std::vector<Component> components;
  std::size_t fileCount = 0;
};

// A single module or component; an application is refused (with a message
// that says so), since callers want one binary.
Expected<PullResult> pullWasm(const Reference& ref, const ContentStore& store, const PullOptions& options);
// A module or component as pullWasm does, or a Spin application as a folder.
Expected<PullResult> pullArtifact(const Reference& ref, const ContentStore& store, const PullOptions& options);

}  // namespace wasmops::oci
