#pragma once
// A Spin application as `spin registry push` stores it (spinframework/spin
// crates/oci/src/client.rs, push_locked_core and assemble_layers):
//   - one application/vnd.wasm.content.layer.v1+wasm layer per component;
//   - one application/vnd.wasm.content.layer.v1+data layer per file, except
//     files of at most 128 bytes, which are inlined in the locked app and get
//     no layer (DEFAULT_CONTENT_REF_INLINE_MAX_SIZE); wasm of at most 128
//     bytes is inlined too but keeps its layer;
//   - layers deduplicated, in component order (wasm, then its files);
//   - the locked application JSON as the last layer, of type
//     application/vnd.fermyon.spin.application.v1+config;
//   - an OCI image config {"architecture":"wasm","os":"wasip1",
//     "config":{"Labels":{"com.fermyon.spin.lockedAppDigest":...}},
//     "rootfs":{"type":"layers","diff_ids":[]}};
//   - annotations created, title, description, version, authors.
// On pull, the older layout (before Spin 2.0: the locked application is the
// config blob, with the Spin media type) and plain application/wasm layers
// are recognised too.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "app/LockedApp.h"
#include "app/SpinManifest.h"
#include "oci/WasmArtifact.h"

namespace wasmops::oci {

inline constexpr std::size_t kSpinInlineMaxSize = 128;
// The lowest per-image layer limit among well-known registries (ECR), which
// Spin also uses before switching to archive layers.
inline constexpr std::size_t kSpinMaxLayers = 500;

struct SpinLayer {
  Descriptor descriptor;
  std::string hostPath;  // the file holding its bytes; empty for the locked app
};

struct SpinArtifact {
  app::LockedApp locked;  // with content references filled
  std::string lockedApp;
  std::string config;
  Descriptor configDescriptor;
  std::vector<SpinLayer> layers;  // manifest order; the locked app last
  std::string manifest;
  base::Digest manifestDigest;
};

// Hashes every wasm and data file, inlines the small ones, and builds the
// locked app, config and manifest. Component sources must be wasm (module
// or component), as Spin's validate::ensure_wasms requires. `annotations`
// override the inferred ones.
Expected<SpinArtifact> buildSpinArtifact(const app::SpinApp& app, const std::string& created,
                                         const std::map<std::string, std::string>& annotations);

// Where a manifest keeps a Spin application, if it is one.
struct SpinLayout {
  Descriptor lockedApp;
  bool lockedAppIsConfig = false;  // the older layout
  Descriptor config;
  std::vector<Descriptor> layers;
};
// nullopt: not a Spin application (a wasm artifact, say). An error: a Spin
// media type is there but the manifest is unusable.
Expected<std::optional<SpinLayout>> detectSpinLayout(const std::string& manifest, const std::string& what);

}  // namespace wasmops::oci
