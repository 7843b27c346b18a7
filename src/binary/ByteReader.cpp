#include "binary/ByteReader.h"

#include <cstring>

namespace wasmops::binary {

Expected<std::uint8_t> ByteReader::u8() {
  if (pos_ >= bytes_.size()) return error("unexpected end");
  return bytes_[pos_++];
}

Expected<std::uint8_t> ByteReader::peekU8() const {
  if (pos_ >= bytes_.size()) return error("unexpected end");
  return bytes_[pos_];
}

Expected<std::uint64_t> ByteReader::unsignedLeb(unsigned bits) {
  const std::uint64_t start = offset();
  const unsigned maxBytes = (bits + 6) / 7;
  std::uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ >= bytes_.size()) return errorAt(offset(), i == 0 ? "unexpected end" : "unexpected end of LEB128 integer");
    std::uint8_t byte = bytes_[pos_++];
    if (i == maxBytes - 1) {
      // The last byte may only carry the bits that remain, and no continuation.
      unsigned usedBits = bits - 7 * i;
      if (byte & 0x80) return errorAt(start, "integer representation too long");
      if (usedBits < 7 && (byte >> usedBits) != 0) return errorAt(start, "integer too large");
      result |= static_cast<std::uint64_t>(byte) << (7 * i);
      return result;
    }
    result |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) return result;
  }
}

Expected<std::int64_t> ByteReader::signedLeb(unsigned bits) {
  const std::uint64_t start = offset();
  const unsigned maxBytes = (bits + 6) / 7;
  std::uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ >= bytes_.size()) return errorAt(offset(), i == 0 ? "unexpected end" : "unexpected end of LEB128 integer");
    std::uint8_t byte = bytes_[pos_++];
    unsigned shift = 7 * i;
    if (i == maxBytes - 1) {
      if (byte & 0x80) return errorAt(start, "integer representation too long");
      // Bits beyond `bits` must all equal the sign bit.
      unsigned usedBits = bits - shift;  // 1..7
      std::uint8_t signAndUnused = static_cast<std::uint8_t>(byte >> (usedBits - 1)) & 0x7f;
      std::uint8_t allOnes = static_cast<std::uint8_t>(0x7f >> (usedBits - 1));
      if (signAndUnused != 0 && signAndUnused != allOnes) return errorAt(start, "integer too large");
      result |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      shift += 7;
      if (shift < 64 && (byte & 0x40)) result |= ~std::uint64_t{0} << shift;
      return static_cast<std::int64_t>(result);
    }
    result |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      shift += 7;
      if (shift < 64 && (byte & 0x40)) result |= ~std::uint64_t{0} << shift;
      return static_cast<std::int64_t>(result);
    }
  }
}

Expected<std::uint32_t> ByteReader::u32() {
  WASMOPS_TRY(auto v, unsignedLeb(32));
  return static_cast<std::uint32_t>(v);
}
Expected<std::uint64_t> ByteReader::u64() { return unsignedLeb(64); }
Expected<std::int32_t> ByteReader::s32() {
  WASMOPS_TRY(auto v, signedLeb(32));
  return static_cast<std::int32_t>(v);
}
Expected<std::int64_t> ByteReader::s33() { return signedLeb(33); }
Expected<std::int64_t> ByteReader::s64() { return signedLeb(64); }

Expected<std::uint32_t> ByteReader::fixed32() {
  WASMOPS_TRY(auto b, bytes(4));
  std::uint32_t v;
  std::memcpy(&v, b.data(), 4);
  return v;
}

Expected<std::uint64_t> ByteReader::fixed64() {
  WASMOPS_TRY(auto b, bytes(8));
  std::uint64_t v;
  std::memcpy(&v, b.data(), 8);
  return v;
}

Expected<std::span<const std::uint8_t>> ByteReader::bytes(std::uint64_t count) {
  if (count > remaining()) return error("unexpected end");
  auto out = bytes_.subspan(pos_, static_cast<std::size_t>(count));
  pos_ += static_cast<std::size_t>(count);
  return out;
}

Expected<std::string_view> ByteReader::name() {
  WASMOPS_TRY(auto len, u32());
  if (len > remaining()) return error("unexpected end (name length exceeds the section)");
  const std::uint64_t start = offset();
  WASMOPS_TRY(auto b, bytes(len));
  std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
  if (!isValidUtf8(text)) return errorAt(start, "malformed UTF-8 encoding");
  return text;
}

Expected<std::uint32_t> ByteReader::count(std::size_t minElementSize) {
  const std::uint64_t start = offset();
  WASMOPS_TRY(auto n, u32());
  if (minElementSize > 0 && static_cast<std::uint64_t>(n) * minElementSize > remaining())
    return errorAt(start, "unexpected end (vector of " + std::to_string(n) + " elements does not fit in the remaining " +
                              std::to_string(remaining()) + " bytes)");
  return n;
}

bool isValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

}  // namespace wasmops::binary
