#pragma once
// Readers for the encodings the component sections share: sorts, value and
// defined types, function/component/instance/resource types, core types
// (recursion groups and module types), extern names and extern types, and
// aliases. Component and instance types nest; `depth` counts how deep, so a
// hostile binary cannot recurse past `maxNesting`.
#include <cstdint>

#include "binary/ByteReader.h"
#include "binary/Component.h"
#include "binary/ModuleDecoder.h"

namespace wasmops::binary {

struct ComponentTypeContext {
  DecodeLimits limits;            // for core types inside module types
  std::uint32_t maxNesting = 64;  // nested components + nested type declarators
  std::uint32_t depth = 0;
  FeatureSet coreFeatures;        // features core types in the component use
};

// Capacity to reserve for a vector of `count` decoded items: a decoded item
// is far larger than its smallest encoding, so a hostile count (bounded only
// by the bytes left) must not size the allocation; vectors grow as items
// actually decode.
inline std::uint32_t initialCapacity(std::uint32_t count) { return count < 1024 ? count : 1024; }

Expected<Sort> readSort(ByteReader& r);      // sort (0x00 prefixes a core sort)
Expected<Sort> readCoreSort(ByteReader& r);  // core:sort
Expected<ComponentValType> readComponentValType(ByteReader& r);
Expected<std::optional<ComponentValType>> readOptionalValType(ByteReader& r);  // 0x00 | 0x01 valtype
Expected<std::optional<ComponentValType>> readResultList(ByteReader& r);      // 0x00 valtype | 0x01 0x00
Expected<ExternName> readExternName(ByteReader& r);
Expected<ExternDesc> readExternDesc(ByteReader& r);
Expected<ComponentAlias> readAlias(ByteReader& r);
Expected<ComponentTypeDef> readComponentType(ByteReader& r, ComponentTypeContext& ctx);
Expected<CoreTypeDef> readCoreType(ByteReader& r, ComponentTypeContext& ctx);

}  // namespace wasmops::binary
