#pragma once
// The 8-byte preamble tells a core module (version 1) from a component
// (version 0x0d, layer 1).
#include <cstdint>
#include <span>

#include "base/Error.h"

namespace wasmops::binary {

enum class BinaryKind : std::uint8_t { CoreModule, Component };

struct Preamble {
  BinaryKind kind = BinaryKind::CoreModule;
  std::uint16_t version = 1;
  std::uint16_t layer = 0;
};

Expected<Preamble> readPreamble(std::span<const std::uint8_t> bytes);

}  // namespace wasmops::binary
