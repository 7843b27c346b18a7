#pragma once
// Lists the top-level sections of a component binary (any version, layer
// 1) without decoding them: the cheap look, and the only one for versions
// other than the one decodeComponent reads.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
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
// The same summary, of a decoded component.
ComponentSummary summarize(const Component& component);

}  // namespace wasmops::binary
