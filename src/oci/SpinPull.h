#pragma once
// Pull of a Spin application into a folder the host can serve:
//   DIR/spin.toml                the manifest, regenerated (SpinTomlWriter.h)
//   DIR/spin.lock.json           the locked application, byte for byte as pulled
//   DIR/components/<id>.wasm     each component's wasm
//   DIR/files/<id>/<path>        each component's files, at their mount paths
// Every blob is verified (digest and size) on its way into the content
// store and again on its way out; inline content is checked against its
// digest. The folder is staged beside DIR and moved into place when whole.
#include "base/Error.h"
#include "oci/ContentStore.h"
#include "oci/Pull.h"
#include "oci/Reference.h"
#include "oci/RegistryClient.h"
#include "oci/SpinArtifact.h"

namespace wasmops::oci {

inline constexpr const char* kSpinManifestFile = "spin.toml";
inline constexpr const char* kSpinLockedAppFile = "spin.lock.json";
// The locked app holds only small inline content; Spin's own apps are a few KiB.
inline constexpr std::size_t kMaxLockedAppBytes = 16u << 20;

// Fills `result` (application, folder, components, fileCount, blobs, file).
Expected<void> pullSpinApp(RegistryClient& client, const Reference& ref, const FetchedManifest& manifest,
                           const SpinLayout& layout, const ContentStore& store, const PullOptions& options,
                           PullResult& result);

}  // namespace wasmops::oci
