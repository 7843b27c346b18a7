#pragma once
// A Spin application manifest, version 2 (spin.toml; schema in
// spinframework/spin crates/manifest/src/schema/v2.rs), turned into a locked
// application the way Spin's loader does it (crates/loader/src/local.rs):
// trigger ids and inline components normalized, metadata and component
// metadata filled, `files` expanded to the list of files each component sees.
// Errors carry the manifest's line and column.
//
// Supported: local wasm `source` paths; `files` as paths, glob patterns and
// { source, destination } mounts (folders recursively); `exclude_files`;
// environment, variables, allowed_outbound_hosts, key_value_stores,
// sqlite_databases, ai_models, build (passed through). Refused with an
// Unsupported error: URL and registry sources, component dependencies,
// trigger `components`/`dependencies`, `allowed_http_hosts`, manifest v1.
#include <string>
#include <vector>

#include "base/Error.h"
#include "app/LockedApp.h"

namespace wasmops::app {

// One file a component sees: where it is on this machine, and its path
// below the component's mount root ("static/app.css", no leading '/').
struct LocalFile {
  std::string hostPath;
  std::string guestPath;
};

struct LocalComponent {
  std::string wasmPath;
  std::vector<LocalFile> files;  // sorted by guestPath
};

// `locked` has no content references yet (SpinArtifact fills them from the
// files); `local` runs parallel to `locked.components`.
struct SpinApp {
  std::string manifestPath;
  LockedApp locked;
  std::vector<LocalComponent> local;
};

// `path` is the manifest; relative paths in it are relative to its folder.
Expected<SpinApp> loadSpinManifest(const std::string& path);
// The same for manifest text already in memory; `root` is the folder that
// relative paths start from and `path` names the manifest in errors.
Expected<SpinApp> parseSpinManifest(std::string_view text, const std::string& path, const std::string& root);

}  // namespace wasmops::app
