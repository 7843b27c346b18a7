#pragma once
// sha256 of a byte range as lowercase hex (OpenSSL libcrypto).
#include <cstdint>
#include <span>
#include <string>

namespace wasmops {
std::string sha256Hex(std::span<const std::uint8_t> bytes);
}
