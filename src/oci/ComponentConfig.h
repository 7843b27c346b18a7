#pragma once
// The `component` member of the wasm artifact config (application/vnd.wasm.
// config.v0+json): the names of the component's world imports and exports,
// filled as oci-wasm fills it for `wkg oci push` (bytecodealliance/
// rust-oci-wasm, src/component.rs: `Component::from_world` names each key of
// the world wit-component decodes with `Resolve::name_world_key`).
//
// That world is the component's own top-level imports and exports in file
// order (wit-parser src/decoding.rs, `decode_component_import`/`_export`),
// keyed by their names: an interface `wasi:cli/environment@0.2.0` by its
// qualified name, anything else (`run`, an inline interface `host`, a type,
// a resource's `[method]counter.inc`) by its plain name. So the top-level
// names of the decoded binary are those keys, in wkg's order, without
// rebuilding the world as WIT (which `inspect` and `wit` do).
#include <optional>
#include <string>
#include <vector>

#include "binary/Component.h"

#include <nlohmann/json.hpp>

namespace wasmops::oci {

struct ComponentConfig {
  std::vector<std::string> exports;
  std::vector<std::string> imports;
  // The world the component targets ("wasi:http/proxy@0.2.0"). Optional in
  // the format; oci-wasm never sets it (a decoded component's world is the
  // anonymous `root:component/root`), so wasmops writes it only when given.
  std::optional<std::string> target;
};

// The world's items as wit-component decodes them: imports of instances,
// functions and types (module, component and value imports are not part of
// a WIT world); exports of functions and instances. wit-component refuses to
// decode other exports, so wkg cannot push such a component; they are left
// out here, and the rest is still listed.
ComponentConfig componentConfigOf(const binary::Component& component);

// {"exports":[...],"imports":[...]} with "target" after them when known: the
// member order of oci-wasm's `Component` (serde writes fields in declaration
// order). Its missing `target` reads back as None.
nlohmann::ordered_json componentConfigJson(const ComponentConfig& config);

}  // namespace wasmops::oci
