#pragma once
// A component's definitions in the order they were written. Sections of
// different kinds interleave and each kind is kept in its own vector, but
// index spaces grow in definition order, so every pass that builds them
// (validation, the world, the type graph, the text form, instantiation)
// replays the items by file offset through this one list.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "binary/Component.h"

namespace wasmops::binary {

enum class DefinitionKind : std::uint8_t {
  CoreModule, Component, CoreInstance, CoreType, Instance, Alias, Type, Canon, Start, Import, Export, Value,
};

struct Definition {
  DefinitionKind kind = DefinitionKind::Type;
  std::size_t index = 0;      // into the Component vector of that kind
  std::uint64_t offset = 0;   // of the item's first byte
};

// Items start at distinct offsets, so sorting by offset restores the order.
std::vector<Definition> definitionOrder(const Component& component);

}  // namespace wasmops::binary
