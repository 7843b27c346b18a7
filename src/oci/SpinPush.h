#pragma once
// Push of a Spin application from its manifest (spin.toml), in the layout
// `spin registry push` writes (oci/SpinArtifact.h): wasm and file layers
// (skipped when the repository has them, mounted when the store knows
// another repository of the registry that has them), the locked-app layer,
// the config, then the manifest by tag or by digest.
#include <string>
#include <vector>

#include "base/Error.h"
#include "oci/ContentStore.h"
#include "oci/Push.h"
#include "oci/Reference.h"
#include "oci/SpinArtifact.h"

namespace wasmops::oci {

struct AppPushResult {
  SpinArtifact artifact;
  std::vector<PushedBlob> blobs;  // config, then the layers in manifest order
  std::string digestReference;
};

Expected<AppPushResult> pushSpinApp(const Reference& ref, const std::string& manifestPath, const PushOptions& options,
                                    const ContentStore* store);

}  // namespace wasmops::oci
