#pragma once
// Views of text as bytes and back, for hashing and I/O APIs that take bytes.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wasmops {

inline std::span<const std::uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline std::string asString(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace wasmops
