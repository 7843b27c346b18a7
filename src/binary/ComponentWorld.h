#pragma once
// A component's imports and exports as `inspect` shows them: name, kind, and
// for functions their type in WIT spelling (`func(name: string) -> u32`),
// found through the component-level type and function index spaces. This is
// a description, not validation: an index that does not resolve leaves the
// type empty.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binary/Component.h"

namespace wasmops::binary {

struct WorldItem {
  std::string name;
  InterfaceName interfaceName;
  std::string kind;                        // "instance", "func", "type", "module", "component", "value", "core func", ...
  std::optional<std::uint32_t> typeIndex;  // imports, and exports with a type ascription or a known func type
  std::uint32_t index = 0;                 // exports: index in the space of its sort
  std::string type;                        // functions: "func(x: u32) -> string", when resolvable
  std::uint64_t offset = 0;
};

struct ComponentWorld {
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
};

ComponentWorld describeWorld(const Component& component);

}  // namespace wasmops::binary
