#pragma once
// Builds wasm binaries byte by byte for decoder tests, including ones no
// assembler would produce (bad sizes, bad order, truncation).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace wasmops::testing {

using Bytes = std::vector<std::uint8_t>;

inline Bytes uleb(std::uint64_t v) {
  Bytes out;
  do {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes name(const std::string& s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

inline Bytes section(std::uint8_t id, const Bytes& payload) {
  return cat({{id}, uleb(payload.size()), payload});
}

inline Bytes vec(std::uint32_t count, const Bytes& items) { return cat({uleb(count), items}); }

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Type section with one type: () -> ().
inline Bytes voidTypeSection() { return section(1, vec(1, {0x60, 0x00, 0x00})); }

// A module with `n` functions of type () -> (), each with body `end`.
inline Bytes manyFunctions(std::uint32_t n) {
  Bytes funcs = uleb(n);
  Bytes code = uleb(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    funcs.push_back(0x00);
    code.insert(code.end(), {0x02, 0x00, 0x0b});
  }
  return module({voidTypeSection(), section(3, funcs), section(10, code)});
}

}  // namespace wasmops::testing
