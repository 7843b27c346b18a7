#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/Commands.h"
#include "cli/RegistrySettings.h"
#include "cli/TransferProgress.h"
#include "oci/AtomicFile.h"
#include "oci/ContentStore.h"
#include "oci/Pull.h"

namespace wasmops::cli {

using Json = nlohmann::ordered_json;

int runPull(const PullOptions& options) {
  auto ref = parseReferenceArgument(options.reference);
  if (!ref) return reportError(ref.error());
  auto registry = registryOptionsFor(ref->registry, options.insecure);
  if (!registry) return reportError(registry.error());
  auto store = oci::ContentStore::open(oci::ContentStore::defaultRoot());
  if (!store) return reportError(store.error());
  std::string dir = options.outputDir.empty() ? "." : options.outputDir;
  if (auto made = oci::makeDirectories(dir); !made) return reportError(made.error());

  oci::PullOptions pull;
  pull.registry = std::move(*registry);
  pull.outputDir = dir;
  std::optional<TransferProgress> progress;
  if (!options.quiet && !options.json && TransferProgress::wanted()) pull.observer = &progress.emplace();

  auto result = oci::pullWasm(*ref, *store, pull);
  if (!result) return reportError(result.error());

  if (options.json) {
    Json blobs = Json::array();
    for (const auto& b : result->blobs)
      blobs.push_back({{"mediaType", b.descriptor.mediaType},
                       {"digest", b.descriptor.digest.str()},
                       {"size", b.descriptor.size},
                       {"cached", b.cached}});
    Json out = {{"reference", ref->str()},
                {"digestReference", result->digestReference},
                {"digest", result->manifestDigest.str()},
                {"mediaType", result->manifestMediaType},
                {"file", result->file},
                {"size", result->blobs.back().descriptor.size},
                {"config", blobs[0]},
                {"layers", Json::array({blobs[1]})}};
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!options.quiet) std::printf("%s -> %s\n", result->digestReference.c_str(), result->file.c_str());
  return 0;
}

}  // namespace wasmops::cli
