#include "binary/Preamble.h"

#include <fmt/format.h>

#include <cstring>

namespace wasmops::binary {

Expected<Preamble> readPreamble(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  if (bytes.empty()) return makeErrorAt(ErrorCode::Malformed, 0, "empty file, expected a WebAssembly binary");
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, std::min<std::size_t>(4, bytes.size())) != 0) {
    if (bytes.size() < 4 && std::memcmp(bytes.data(), kMagic, bytes.size()) == 0)
      return makeErrorAt(ErrorCode::Malformed, bytes.size(), "unexpected end (truncated magic header)");
    bool looksText = bytes[0] == '(' || bytes[0] == ';' || bytes[0] == ' ' || bytes[0] == '\n';
    return makeErrorAt(ErrorCode::Malformed, 0,
                       looksText ? "magic header not detected (this looks like WebAssembly text; use a .wasm binary)"
                                 : "magic header not detected (not a WebAssembly binary)");
  }
  if (bytes.size() < 8) return makeErrorAt(ErrorCode::Malformed, bytes.size(), "unexpected end (truncated version field)");
  Preamble p;
  p.version = static_cast<std::uint16_t>(bytes[4] | (bytes[5] << 8));
  p.layer = static_cast<std::uint16_t>(bytes[6] | (bytes[7] << 8));
  if (p.version == 1 && p.layer == 0) {
    p.kind = BinaryKind::CoreModule;
    return p;
  }
  if (p.layer == 1) {
    p.kind = BinaryKind::Component;
    return p;
  }
  return makeErrorAt(ErrorCode::Malformed, 4,
                     fmt::format("unknown binary version 0x{:04x} layer {} (expected a core module, version 1, "
                                 "or a component, layer 1)",
                                 p.version, p.layer));
}

}  // namespace wasmops::binary
