#pragma once
// An application manifest: Spin's `spin.toml` (manifest version 2; schema in
// spinframework/spin crates/manifest/src/schema/v2.rs) or `wasmops.toml`,
// which has the same schema. Turned into a locked application the way
// Spin's loader does it (crates/loader/src/local.rs): trigger ids and inline
// components normalized, metadata and component metadata filled, `files`
// expanded to the list of files each component sees; plus what `wasmops up`
// needs: typed HTTP triggers (routes, executors) in a RouteTable, and where
// each component's code comes from. Key by key: docs/manifest.md.
//
// Every problem the parser can step past is reported in one run: errors
// (the manifest is refused; file, line, column and what to write instead)
// and warnings (keys wasmops ignores, named with their position). Only a
// TOML syntax error or a version 1 manifest stops at once.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/Diagnostic.h"
#include "app/FileMounts.h"
#include "app/LockedApp.h"
#include "app/RouteTable.h"
#include "base/Digest.h"
#include "base/Error.h"

namespace wasmops::app {

// Where a component's wasm comes from: `source = "path"`,
// `source = { url, digest }` or `source = { registry, package, version }`.
struct ComponentSource {
  enum class Kind { Path, Url, Registry };
  Kind kind = Kind::Path;
  std::string url;
  base::Digest digest;   // Url: what the download must hash to
  std::string registry;  // Registry: empty for the default registry
  std::string package;   // "namespace:name"
  std::string version;
};

struct LocalComponent {
  ComponentSource source;
  std::string wasmPath;          // Path sources: the file on this machine; empty otherwise
  std::vector<LocalFile> files;  // sorted by guestPath
};

// `executor` of an HTTP trigger: Spin's default (a wasi:http or Spin
// component) or WAGI (a preview1 command run CGI-style).
struct HttpExecutor {
  enum class Type { Spin, Wagi };
  Type type = Type::Spin;
  std::string argv = "${SCRIPT_NAME} ${ARGS}";  // WAGI's defaults (Spin's WagiTriggerConfig)
  std::string entrypoint = "_start";
};

struct HttpTrigger {
  std::string id;
  std::string component;
  std::optional<ParsedRoute> route;  // nullopt: `route = { private = true }`
  HttpExecutor executor;
};

// `locked` has no content references yet (SpinArtifact fills them from the
// files); `local` runs parallel to `locked.components`.
struct SpinApp {
  std::string manifestPath;
  LockedApp locked;
  std::vector<LocalComponent> local;
  std::string httpBase = "/";  // [application.trigger.http] base
  std::vector<HttpTrigger> http;
  RouteTable routes;                  // the public HTTP routes
  std::vector<Diagnostic> warnings;  // keys that were ignored
};

struct ManifestOptions {
  // Off for `up --build` and `build`: a source path the build writes need
  // not exist before the build runs.
  bool sourcesMustExist = true;
};

// A parse that keeps going: `app` is set when there were no errors;
// `diagnostics` holds every error and warning, sorted by position.
struct ManifestCheck {
  std::optional<SpinApp> app;
  std::vector<Diagnostic> diagnostics;
};
ManifestCheck checkManifest(std::string_view text, const std::string& path, const std::string& root,
                            ManifestOptions options = {});

// `path` is the manifest; relative paths in it are relative to its folder.
// An Error lists every error found (Error::format() shows each located);
// warnings are in SpinApp::warnings.
Expected<SpinApp> loadSpinManifest(const std::string& path, ManifestOptions options = {});
// The same for manifest text already in memory; `root` is the folder that
// relative paths start from and `path` names the manifest in errors.
Expected<SpinApp> parseSpinManifest(std::string_view text, const std::string& path, const std::string& root,
                                    ManifestOptions options = {});

// The manifest a command means: a file as given, or in a folder
// `wasmops.toml`, else `spin.toml`.
Expected<std::string> locateManifest(const std::string& fileOrFolder);

}  // namespace wasmops::app
