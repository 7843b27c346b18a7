#pragma once
// A guard in front of toml++ 3.3.0 (Debian 12's libtomlplusplus-dev): its
// is_non_ascii_horizontal_whitespace() reaches __builtin_unreachable() for
// some non-ASCII code points (U+00A1..U+0499, U+2C5E..U+2FFF,
// U+3001..U+3057, U+FB26..U+FEFE), which is undefined behaviour in a
// release build (marzer/tomlplusplus issues 190 and 295, fixed upstream
// after 3.4). The parser asks that question only where whitespace may
// stand: outside strings and comments (where such a character is a TOML
// error anyway), right after a backslash in a multi-line basic string, and
// at the first character after a line-ending backslash. This scanner finds
// such a character at such a place, so the manifest and runtime-config
// parsers refuse the file with a located error before toml++ sees it.
// Found by fuzz_runtime_config (tests/fuzz/FuzzRuntimeConfig.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wasmops::app {

struct TomlHazard {
  std::uint32_t line = 1, column = 1;  // 1-based; the column counts code points, as toml++'s do
  char32_t codePoint = 0;
  bool inString = false;  // in a multi-line basic string (after a backslash), not outside
  std::string message() const;
};

std::optional<TomlHazard> findTomlHazard(std::string_view text);

}  // namespace wasmops::app
