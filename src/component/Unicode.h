#pragma once
// Strict UTF-8 and UTF-16 decoding and encoding as the canonical ABI and
// WAVE need them: no overlong forms, no surrogates, nothing above U+10FFFF.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wasmops::component {

// Decodes the code point at `at`, advancing it; nullopt on invalid UTF-8 (at unchanged).
std::optional<char32_t> nextUtf8(std::string_view text, std::size_t& at);
// The byte offset of the first invalid sequence, or nullopt when `text` is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);
void appendUtf8(std::string& out, char32_t c);
bool isScalarValue(std::uint64_t c);

}  // namespace wasmops::component
