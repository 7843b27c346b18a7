#include "component/Unicode.h"

namespace wasmops::component {

bool isScalarValue(std::uint64_t c) { return c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff); }

std::optional<char32_t> nextUtf8(std::string_view text, std::size_t& at) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  if (at >= text.size()) return std::nullopt;
  std::uint8_t b0 = byte(at);
  if (b0 < 0x80) {
    ++at;
    return b0;
  }
  std::size_t length = 0;
  char32_t c = 0, min = 0;
  if ((b0 & 0xe0) == 0xc0) length = 2, c = b0 & 0x1f, min = 0x80;
  else if ((b0 & 0xf0) == 0xe0) length = 3, c = b0 & 0x0f, min = 0x800;
  else if ((b0 & 0xf8) == 0xf0) length = 4, c = b0 & 0x07, min = 0x10000;
  else return std::nullopt;
  if (text.size() - at < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    std::uint8_t b = byte(at + i);
    if ((b & 0xc0) != 0x80) return std::nullopt;
    c = (c << 6) | (b & 0x3f);
  }
  if (c < min || !isScalarValue(c)) return std::nullopt;
  at += length;
  return c;
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size())
    if (!nextUtf8(text, at)) return at;
  return std::nullopt;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

}  // namespace wasmops::component
