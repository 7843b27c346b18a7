#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/Commands.h"
#include "cli/RegistrySettings.h"
#include "cli/TransferProgress.h"
#include "oci/ContentStore.h"
#include "oci/Pull.h"

namespace wasmops::cli {

using Json = nlohmann::ordered_json;

namespace {

Json blobsJson(const oci::PullResult& r) {
  Json blobs = Json::array();
  for (const auto& b : r.blobs)
    blobs.push_back({{"mediaType", b.descriptor.mediaType},
                     {"digest", b.descriptor.digest.str()},
                     {"size", b.descriptor.size},
                     {"cached", b.cached}});
  return blobs;
}

int printApplication(const PullOptions& options, const oci::Reference& ref, const oci::PullResult& r) {
  if (options.json) {
    Json components = Json::array();
    for (const auto& c : r.components)
      components.push_back({{"id", c.id}, {"file", c.file}, {"digest", c.digest.str()}, {"size", c.size}});
    Json out = {{"reference", ref.str()},
                {"digestReference", r.digestReference},
                {"digest", r.manifestDigest.str()},
                {"mediaType", r.manifestMediaType},
                {"kind", "application"},
                {"layout", r.olderLayout ? "locked-app-config" : "locked-app-layer"},
                {"folder", r.folder},
                {"file", r.file},
                {"components", components},
                {"files", r.fileCount},
                {"blobs", blobsJson(r)}};
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!options.quiet)
    std::printf("%s -> %s (application: %zu components, %zu files)\n", r.digestReference.c_str(), r.folder.c_str(),
                r.components.size(), r.fileCount);
  return 0;
}

}  // namespace

int runPull(const PullOptions& options) {
  auto ref = parseReferenceArgument(options.reference);
  if (!ref) return reportError(ref.error());
  auto registry = registryOptionsFor(ref->registry, options.insecure);
  if (!registry) return reportError(registry.error());
  auto store = oci::ContentStore::open(oci::ContentStore::defaultRoot());
  if (!store) return reportError(store.error());
  // The folder is made when something is written to it: a failed pull
  // leaves none behind.
  std::string dir = options.outputDir.empty() ? "." : options.outputDir;

  oci::PullOptions pull;
  pull.registry = std::move(*registry);
  pull.outputDir = dir;
  pull.appDir = options.outputDir;  // empty: ./<name> for an application
  std::optional<TransferProgress> progress;
  if (!options.quiet && !options.json && TransferProgress::wanted()) pull.observer = &progress.emplace();

  auto result = oci::pullArtifact(*ref, *store, pull);
  if (!result) return reportError(result.error());
  if (result->application) return printApplication(options, *ref, *result);

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
