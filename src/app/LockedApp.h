#pragma once
// Spin's locked application ("spin.lock", crates/locked-app/src/locked.rs in
// spinframework/spin): the fully resolved application that `spin registry
// push` stores in an OCI artifact. wasmops writes it byte for byte as Spin's
// serde_json does (struct members in declaration order, maps sorted, compact)
// and reads the subset documented in docs/oci.md ("Spin applications").
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/Error.h"
#include "base/Digest.h"

namespace wasmops::app {

// Sorted keys: serde_json's Map is a BTreeMap in Spin's build.
using SpinJson = nlohmann::json;

// At least one of the three. `inlined` holds raw bytes (base64 without
// padding in JSON, as spin_serde::base64 writes it).
struct ContentRef {
  std::optional<std::string> source;
  std::optional<std::string> inlined;
  std::optional<base::Digest> digest;
};

struct LockedFile {
  ContentRef content;
  std::string path;  // relative to the component's mount root, `/`-separated
};

struct LockedVariable {
  std::optional<std::string> description;
  std::optional<std::string> defaultValue;
  bool secret = false;
};

struct LockedTrigger {
  std::string id;
  std::string type;
  SpinJson config = SpinJson::object();  // trigger_config, with "component"
};

struct LockedComponent {
  std::string id;
  SpinJson metadata = SpinJson::object();
  std::string contentType = "application/wasm";
  ContentRef source;
  std::map<std::string, std::string> env;
  std::vector<LockedFile> files;
  std::map<std::string, std::string> config;  // component variables
  SpinJson hostRequirements = SpinJson::object();
};

struct LockedApp {
  std::vector<std::string> mustUnderstand;
  SpinJson metadata = SpinJson::object();
  SpinJson hostRequirements = SpinJson::object();
  std::map<std::string, LockedVariable> variables;
  std::vector<LockedTrigger> triggers;
  std::vector<LockedComponent> components;
};

// spin_lock_version is 0 unless must_understand or host_requirements is set
// (then 1), as Spin's Serialize impl decides.
std::string serializeLockedApp(const LockedApp& app);

// For pull: a locked app from a registry. Refuses what wasmops cannot turn
// into a folder (component dependencies, archive-only content, unknown
// must_understand entries) and anything unsafe as a file name (component ids
// that are not kebab-case, file paths with "..", "." or a leading "/").
Expected<LockedApp> parseLockedApp(std::string_view json, const std::string& what);

// Spin's identifiers (spin_serde::id): words of ASCII letters and digits,
// each starting with a letter, all lower or all upper case, joined by '-'
// (kebab: component ids) or '_' (snake: variable names, lower case only).
bool isKebabId(std::string_view id);
bool isLowerSnakeId(std::string_view id);

// A relative path whose every component is a plain name (Spin's
// is_safe_to_join): no "", ".", ".." and no leading "/".
bool isSafeRelativePath(std::string_view path);

}  // namespace wasmops::app
