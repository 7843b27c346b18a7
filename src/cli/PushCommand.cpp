#include <fmt/format.h>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "cli/RegistrySettings.h"
#include "cli/TransferProgress.h"
#include "oci/ContentStore.h"
#include "oci/Push.h"

namespace wasmops::cli {
namespace {

using Json = nlohmann::ordered_json;

// "K=V"; a key without a dot is short for org.opencontainers.image.<key>.
Expected<std::pair<std::string, std::string>> parseAnnotation(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return makeError(ErrorCode::Usage, fmt::format("--annotation '{}' must look like KEY=VALUE", text));
  std::string key = text.substr(0, eq);
  if (key.find('.') == std::string::npos) key = "org.opencontainers.image." + key;
  return std::make_pair(key, text.substr(eq + 1));
}

Json descriptorJson(const oci::Descriptor& d) {
  return {{"mediaType", d.mediaType}, {"digest", d.digest.str()}, {"size", d.size}};
}

}  // namespace

int runPush(const PushOptions& options) {
  auto ref = parseReferenceArgument(options.reference);
  if (!ref) return reportError(ref.error());
  oci::PushOptions push;
  for (const auto& a : options.annotations) {
    auto kv = parseAnnotation(a);
    if (!kv) return reportError(kv.error());
    push.annotations[kv->first] = kv->second;
  }
  push.chunkSize = options.chunkSize;
  auto file = openInput(options.file);
  if (!file) return reportError(file.error());
  auto registry = registryOptionsFor(ref->registry, options.insecure);
  if (!registry) return reportError(registry.error());
  push.registry = std::move(*registry);

  std::optional<TransferProgress> progress;
  if (!options.quiet && !options.json && TransferProgress::wanted()) push.observer = &progress.emplace();
  // Without a store push still works; it only cannot offer mounts.
  auto store = oci::ContentStore::open(oci::ContentStore::defaultRoot());

  auto result = oci::pushWasm(*ref, file->bytes(), push, store ? &*store : nullptr);
  if (!result) {
    // Only a malformed binary is about the file; registry errors name their URL.
    if (result.error().code == ErrorCode::Malformed) return reportError(Error(result.error()).inFile(options.file));
    return reportError(result.error());
  }

  const auto& a = result->artifact;
  if (options.json) {
    Json blobs = Json::array();
    for (const auto& b : result->blobs) {
      Json j = descriptorJson(b.descriptor);
      j["action"] = oci::blobActionName(b.action);
      blobs.push_back(j);
    }
    Json out = {{"reference", ref->str()},
                {"digestReference", result->digestReference},
                {"digest", a.manifestDigest.str()},
                {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"artifactType", a.configDescriptor.mediaType},
                {"kind", a.kind},
                {"os", a.os},
                {"manifestSize", a.manifest.size()},
                {"config", blobs[0]},
                {"layers", Json::array({blobs[1]})}};
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (!options.quiet)
    std::fprintf(stderr, "pushed %s %s (%s, layer %s)\n", a.kind.c_str(), ref->str().c_str(),
                 humanBytes(static_cast<double>(a.layer.size)).c_str(),
                 oci::blobActionName(result->blobs.back().action));
  std::printf("%s\n", result->digestReference.c_str());
  return 0;
}

}  // namespace wasmops::cli
