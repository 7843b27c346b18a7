#pragma once
// Writes a Spin manifest (version 2) back from a locked application, for the
// folder that `wasmops pull` makes of an application: each component's
// source is `components/<id>.wasm` and its files are one mount
// { source = "files/<id>", destination = "/" }, so `spin up` (and later
// `wasmops up`) serve the folder, and pushing the folder again gives the
// same locked application. Trigger ids are written out so they survive.
#include <string>

#include "app/LockedApp.h"

namespace wasmops::app {

std::string componentWasmPath(const std::string& id);  // "components/<id>.wasm"
std::string componentFilesDir(const std::string& id);  // "files/<id>"

std::string writeSpinToml(const LockedApp& app);

// TOML spellings, exposed for tests: a basic string with escapes, and a key
// (bare when it can be, else quoted).
std::string tomlString(std::string_view s);
std::string tomlKey(std::string_view key);

}  // namespace wasmops::app
