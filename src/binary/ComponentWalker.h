#pragma once
// Lists the top-level sections of a component binary (version 0x0d, layer
// 1). Decoding what is inside them is the component layer's job (later).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::binary {

struct ComponentSummary {
  std::uint16_t version = 0;
  std::vector<SectionInfo> sections;  // name = component section name (or custom name)
  std::vector<CustomSection> customs;
  std::uint32_t coreModules = 0;
  std::uint32_t nestedComponents = 0;
};

const char* componentSectionName(std::uint8_t id);
Expected<ComponentSummary> walkComponent(std::span<const std::uint8_t> bytes);

}  // namespace wasmops::binary
