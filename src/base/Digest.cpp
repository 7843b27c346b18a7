#include "base/Digest.h"

#include "base/Sha256.h"

namespace wasmops::base {

bool isSha256Hex(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Expected<Digest> Digest::parse(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    auto colon = text.find(':');
    if (colon != std::string_view::npos && colon > 0)
      return makeError(ErrorCode::Unsupported,
                       "digest algorithm '" + std::string(text.substr(0, colon)) + "' is not supported (only sha256)");
    return makeError(ErrorCode::Invalid, "digest '" + std::string(text) + "' must look like sha256:<64 hex digits>");
  }
  auto hex = text.substr(kPrefix.size());
  if (!isSha256Hex(hex))
    return makeError(ErrorCode::Invalid,
                     "digest '" + std::string(text) + "' must have 64 lowercase hex digits after 'sha256:'");
  return Digest(std::string(hex));
}

Digest Digest::of(std::span<const std::uint8_t> bytes) {
  return Digest(sha256Hex(bytes));
}

Digest Digest::of(std::string_view bytes) {
  return of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace wasmops::base
