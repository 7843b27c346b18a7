#pragma once
// Decodes a component (preamble version 0x0d, layer 1) in one pass: every
// section's items, nested core modules through decodeModule and nested
// components recursively. Every count and length is checked against the
// bytes that are there; an error names the section, the item index and the
// absolute byte offset.
#include <cstdint>
#include <span>

#include "base/Error.h"
#include "binary/Component.h"
#include "binary/ModuleDecoder.h"

namespace wasmops::binary {

inline constexpr std::uint16_t kComponentVersion = 0x0d;

struct ComponentDecodeOptions {
  bool decodeModules = true;  // else nested modules are kept as byte ranges only
  DecodeOptions moduleOptions;
  std::uint32_t maxNesting = 64;  // nested components and nested type declarators, together
  // Items of one kind (types, aliases, canons, ...) in one component, as
  // wasmparser's limits (1,000,000 types): a decoded item takes far more
  // memory than its smallest encoding, so huge hostile counts stop here.
  std::uint32_t maxItemsPerKind = 1000000;
};

Expected<Component> decodeComponent(std::span<const std::uint8_t> bytes, const ComponentDecodeOptions& options = {});

}  // namespace wasmops::binary
