#pragma once
// A content digest "sha256:<64 lowercase hex>", the only algorithm the OCI
// image spec requires registries to support and the only one wasmops writes.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/Error.h"

namespace wasmops::base {

class Digest {
 public:
  // Accepts exactly "sha256:" followed by 64 lowercase hex digits.
  static Expected<Digest> parse(std::string_view text);
  static Digest fromHex(std::string hex) { return Digest(std::move(hex)); }  // hex must be valid
  static Digest of(std::span<const std::uint8_t> bytes);
  static Digest of(std::string_view bytes);

  Digest() = default;
  const std::string& hex() const { return hex_; }
  std::string str() const { return "sha256:" + hex_; }
  bool empty() const { return hex_.empty(); }
  bool operator==(const Digest&) const = default;

 private:
  explicit Digest(std::string hex) : hex_(std::move(hex)) {}
  std::string hex_;
};

// True when `hex` is 64 lowercase hex digits.
bool isSha256Hex(std::string_view hex);

}  // namespace wasmops::base
