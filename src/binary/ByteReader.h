#pragma once
// Bounds-checked cursor over a byte range of a wasm binary. Every read either
// succeeds or returns a Malformed error located at the absolute file offset
// of the offending byte; nothing here can read past the end.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/Error.h"

namespace wasmops::binary {

class ByteReader {
 public:
  // `base` is the absolute offset of bytes[0] in the file, for error messages.
  explicit ByteReader(std::span<const std::uint8_t> bytes, std::uint64_t base = 0)
      : bytes_(bytes), base_(base) {}

  bool atEnd() const { return pos_ >= bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::size_t position() const { return pos_; }
  std::uint64_t offset() const { return base_ + pos_; }  // absolute
  const std::uint8_t* cursor() const { return bytes_.data() + pos_; }

  Expected<std::uint8_t> u8();
  Expected<std::uint8_t> peekU8() const;
  Expected<std::uint32_t> u32();  // unsigned LEB128, at most 5 bytes
  Expected<std::uint64_t> u64();  // unsigned LEB128, at most 10 bytes
  Expected<std::int32_t> s32();
  Expected<std::int64_t> s33();
  Expected<std::int64_t> s64();
  Expected<std::uint32_t> fixed32();
  Expected<std::uint64_t> fixed64();
  Expected<std::span<const std::uint8_t>> bytes(std::uint64_t count);
  // A length-prefixed UTF-8 name (malformed if not valid UTF-8).
  Expected<std::string_view> name();
  // A vector length that cannot be larger than the remaining bytes allow
  // (each element takes at least `minElementSize` bytes), so callers may
  // reserve() without letting a hostile count allocate gigabytes.
  Expected<std::uint32_t> count(std::size_t minElementSize = 1);

  Unexpected error(std::string message) const { return makeErrorAt(ErrorCode::Malformed, offset(), std::move(message)); }
  Unexpected errorAt(std::uint64_t absOffset, std::string message) const {
    return makeErrorAt(ErrorCode::Malformed, absOffset, std::move(message));
  }

 private:
  Expected<std::uint64_t> unsignedLeb(unsigned bits);
  Expected<std::int64_t> signedLeb(unsigned bits);

  std::span<const std::uint8_t> bytes_;
  std::uint64_t base_ = 0;
  std::size_t pos_ = 0;
};

bool isValidUtf8(std::string_view text);

}  // namespace wasmops::binary
