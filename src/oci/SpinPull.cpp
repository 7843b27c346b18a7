#include "oci/SpinPull.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "base/AtomicFile.h"
#include "oci/MediaTypes.h"
#include "app/SpinTomlWriter.h"
#include "oci/StagingFolder.h"

namespace wasmops::oci {
namespace {

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

class AppPuller {
 public:
  AppPuller(RegistryClient& client, const Reference& ref, const SpinLayout& layout, const ContentStore& store,
            const PullOptions& options, PullResult& result)
      : client_(client), ref_(ref), layout_(layout), store_(store), options_(options), result_(result) {
    for (const auto& l : layout.layers) layers_.try_emplace(l.digest.str(), l);
  }

  // Downloads a blob into the store once (verified there).
  Expected<void> fetch(const Descriptor& d, const std::string& label) {
    if (!fetched_.insert(d.digest.str()).second) return {};
    bool cached = store_.has(d.digest, d.size);
    if (options_.observer) options_.observer->started(label + " " + d.digest.str().substr(0, 19), d.size);
    ProgressFn progress;
    if (options_.observer)
      progress = [obs = options_.observer](std::uint64_t done, std::uint64_t) { obs->progress(done); };
    WASMOPS_TRY_VOID(client_.getBlob(ref_.repository, d.digest, d.size, store_, progress));
    if (options_.observer) options_.observer->finished(cached ? "cached" : "downloaded");
    result_.blobs.push_back({d, cached});
    store_.recordSource(d.digest, ref_.registry + "/" + ref_.repository);
    return {};
  }

  // Writes content to `path`: inline bytes (already checked against their
  // digest), else the layer with that digest, verified again on export.
  Expected<void> materialize(const app::ContentRef& content, const std::string& path, const std::string& what) {
    WASMOPS_TRY_VOID(base::makeDirectories(parentOf(path)));
    if (content.inlined) return base::writeFileAtomically(path, *content.inlined, 0644);
    auto it = layers_.find(content.digest->str());
    if (it == layers_.end()) {
      bool archive = false;
      for (const auto& l : layout_.layers) archive = archive || l.mediaType == media::kSpinArchiveLayer;
      if (archive)
        return Unexpected(
            Error(ErrorCode::Unsupported, fmt::format("{} is in an archive layer ({}), which wasmops cannot unpack yet",
                                                      what, media::kSpinArchiveLayer))
                .inFile(ref_.str()));
      return Unexpected(Error(ErrorCode::Invalid, fmt::format("{} ({}) is neither inline in the locked application "
                                                              "nor a layer of the manifest",
                                                              what, content.digest->str()))
                            .inFile(ref_.str()));
    }
    WASMOPS_TRY_VOID(fetch(it->second, media::isWasmLayer(it->second.mediaType) ? "wasm" : "file"));
    return store_.exportTo(content.digest.value(), path, 0644);
  }

 private:
  RegistryClient& client_;
  const Reference& ref_;
  const SpinLayout& layout_;
  const ContentStore& store_;
  const PullOptions& options_;
  PullResult& result_;
  std::map<std::string, Descriptor> layers_;
  std::set<std::string> fetched_;
};

}  // namespace

Expected<void> pullSpinApp(RegistryClient& client, const Reference& ref, const FetchedManifest& manifest,
                           const SpinLayout& layout, const ContentStore& store, const PullOptions& options,
                           PullResult& result) {
  const std::string what = ref.str();
  std::string base = options.outputDir.empty() ? "." : options.outputDir;
  std::string dir = options.appDir.empty() ? base + "/" + ref.name() : options.appDir;
  // Checked before anything is downloaded: a folder with other files in it
  // is refused.
  WASMOPS_TRY(auto staging, StagingFolder::create(dir, {kSpinManifestFile, kSpinLockedAppFile, "components", "files"}));
  AppPuller puller(client, ref, layout, store, options, result);

  if (layout.lockedApp.size > kMaxLockedAppBytes)
    return Unexpected(Error(ErrorCode::LimitExceeded, fmt::format("locked application declared {} bytes (limit {})",
                                                                  layout.lockedApp.size, kMaxLockedAppBytes))
                          .inFile(what));
  if (!layout.lockedAppIsConfig) WASMOPS_TRY_VOID(puller.fetch(layout.config, "config"));
  WASMOPS_TRY_VOID(puller.fetch(layout.lockedApp, "app"));
  WASMOPS_TRY(auto text, store.readSmall(layout.lockedApp.digest, kMaxLockedAppBytes));
  WASMOPS_TRY(auto app, app::parseLockedApp(text, what));

  const std::string& root = staging.path();
  for (const auto& c : app.components) {
    std::string rel = app::componentWasmPath(c.id);
    std::string staged = fmt::format("{}/{}", root, rel);
    WASMOPS_TRY_VOID(puller.materialize(c.source, staged, fmt::format("component \"{}\"'s wasm", c.id)));
    base::Digest digest = c.source.digest ? *c.source.digest : base::Digest::of(*c.source.inlined);
    std::uint64_t size = 0;
    if (c.source.inlined) {
      size = c.source.inlined->size();
    } else {
      for (const auto& l : layout.layers)
        if (l.digest == digest) size = l.size;
    }
    result.components.push_back({c.id, fmt::format("{}/{}", dir, rel), digest, size});
    for (const auto& f : c.files)
      WASMOPS_TRY_VOID(puller.materialize(f.content, root + "/" + app::componentFilesDir(c.id) + "/" + f.path,
                                          fmt::format("component \"{}\"'s file \"{}\"", c.id, f.path)));
    result.fileCount += c.files.size();
  }
  WASMOPS_TRY_VOID(store.exportTo(layout.lockedApp.digest, root + "/" + kSpinLockedAppFile, 0644));
  WASMOPS_TRY_VOID(base::writeFileAtomically(root + "/" + kSpinManifestFile, app::writeSpinToml(app), 0644));
  // The manifest goes in last: its presence says the whole artifact is here.
  WASMOPS_TRY_VOID(store.put(manifest.digest, manifest.bytes));
  WASMOPS_TRY_VOID(staging.commit());

  result.application = true;
  result.olderLayout = layout.lockedAppIsConfig;
  result.folder = dir;
  result.file = dir + "/" + kSpinManifestFile;
  return {};
}

}  // namespace wasmops::oci
