// Strings across the boundary: load_string_from_range and, for a UTF-8
// source (the host's strings), the three store paths of
// store_string_into_range with the spec's allocation and realloc sequence.
#include <fmt/format.h>

#include "component/CanonicalAbi.h"
#include "component/GuestMemoryAccess.h"
#include "component/Unicode.h"

namespace wasmops::component {

using abi::checkRange;
using abi::reallocate;
using abi::trap;

namespace {

Expected<std::string> decodeUtf8(std::span<const std::uint8_t> bytes, std::uint32_t ptr) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (auto bad = firstInvalidUtf8(text))
    return trap(fmt::format("invalid UTF-8 in the string at {:#x} (byte {:#x})", ptr, ptr + *bad));
  return std::string(text);
}

Expected<std::string> decodeUtf16(std::span<const std::uint8_t> bytes, std::uint32_t ptr) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t units = bytes.size() / 2;
  auto unit = [&](std::size_t i) -> char32_t { return bytes[2 * i] | (char32_t{bytes[2 * i + 1]} << 8); };
  for (std::size_t i = 0; i < units; ++i) {
    char32_t u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < units && unit(i + 1) >= 0xdc00 && unit(i + 1) <= 0xdfff) {
      out.reserve(out.size() + 4);
      appendUtf8(out, 0x10000 + ((u - 0xd800) << 10) + (unit(i + 1) - 0xdc00));
      ++i;
    } else if (u >= 0xd800 && u <= 0xdfff) {
      return trap(fmt::format("invalid UTF-16 in the string at {:#x}: unpaired surrogate {:#06x} at byte {:#x}", ptr,
                              static_cast<std::uint32_t>(u), ptr + 2 * i));
    } else {
      appendUtf8(out, u);
    }
  }
  return out;
}

std::string decodeLatin1(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::uint8_t b : bytes) appendUtf8(out, b);
  return out;
}

std::vector<std::uint8_t> encodeUtf16(std::string_view utf8) {
  std::vector<std::uint8_t> out;
  out.reserve(utf8.size() * 2);
  auto push = [&](char32_t u) {
    out.push_back(static_cast<std::uint8_t>(u));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  std::size_t at = 0;
  while (at < utf8.size()) {
    char32_t c = *nextUtf8(utf8, at);  // lowerString checked the whole string first
    if (c >= 0x10000) {
      push(0xd800 + ((c - 0x10000) >> 10));
      push(0xdc00 + ((c - 0x10000) & 0x3ff));
    } else {
      push(c);
    }
  }
  return out;
}

Expected<void> write(AbiContext& cx, std::uint32_t ptr, std::span<const std::uint8_t> bytes) {
  WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a string"));
  WASMOPS_TRY_VOID(checkRange(memory, ptr, bytes.size(), 1, "a string store"));
  std::copy(bytes.begin(), bytes.end(), memory.begin() + ptr);
  return {};
}

// store_string_copy (utf8 to utf8).
Expected<std::pair<std::uint32_t, std::uint32_t>> copyUtf8(AbiContext& cx, std::string_view src) {
  WASMOPS_TRY(std::uint32_t ptr, reallocate(cx, 0, 0, 1, src.size(), "a utf8 string"));
  WASMOPS_TRY_VOID(write(cx, ptr, {reinterpret_cast<const std::uint8_t*>(src.data()), src.size()}));
  return std::pair{ptr, static_cast<std::uint32_t>(src.size())};
}

// store_utf8_to_utf16: allocate the worst case (2 bytes per UTF-8 byte), then shrink.
Expected<std::pair<std::uint32_t, std::uint32_t>> utf8ToUtf16(AbiContext& cx, std::string_view src) {
  std::uint64_t worst = 2 * std::uint64_t{src.size()};
  WASMOPS_TRY(std::uint32_t ptr, reallocate(cx, 0, 0, 2, worst, "a utf16 string"));
  auto encoded = encodeUtf16(src);
  WASMOPS_TRY_VOID(write(cx, ptr, encoded));
  if (encoded.size() < worst) WASMOPS_TRY_ASSIGN(ptr, reallocate(cx, ptr, static_cast<std::uint32_t>(worst), 2, encoded.size(), "a utf16 string"));
  return std::pair{ptr, static_cast<std::uint32_t>(encoded.size() / 2)};
}

// store_string_to_latin1_or_utf16: optimistically latin1 (one byte per UTF-8
// byte); at the first code point above U+00FF, grow to the UTF-16 worst case,
// inflate what was written in place, and finish as UTF-16; shrink at the end.
Expected<std::pair<std::uint32_t, std::uint32_t>> utf8ToLatin1OrUtf16(AbiContext& cx, std::string_view src) {
  auto units = static_cast<std::uint32_t>(src.size());
  WASMOPS_TRY(std::uint32_t ptr, reallocate(cx, 0, 0, 2, units, "a latin1+utf16 string"));
  std::uint32_t written = 0;
  std::size_t at = 0;
  while (at < src.size()) {
    char32_t c = *nextUtf8(src, at);
    if (c < 0x100) {
      WASMOPS_TRY_VOID(abi::writeLe(cx, ptr + written, c, 1));
      ++written;
      continue;
    }
    std::uint64_t worst = 2 * std::uint64_t{units};
    WASMOPS_TRY_ASSIGN(ptr, reallocate(cx, ptr, units, 2, worst, "a latin1+utf16 string"));
    {
      WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a string"));
      for (std::uint32_t j = written; j-- > 0;) {
        memory[ptr + 2 * j] = memory[ptr + j];
        memory[ptr + 2 * j + 1] = 0;
      }
    }
    auto encoded = encodeUtf16(src);
    WASMOPS_TRY_VOID(write(cx, ptr + 2 * written, std::span(encoded).subspan(2 * written)));
    if (worst > encoded.size())
      WASMOPS_TRY_ASSIGN(ptr, reallocate(cx, ptr, static_cast<std::uint32_t>(worst), 2, encoded.size(), "a latin1+utf16 string"));
    return std::pair{ptr, static_cast<std::uint32_t>(encoded.size() / 2) | kUtf16Tag};
  }
  if (written < units) WASMOPS_TRY_ASSIGN(ptr, reallocate(cx, ptr, units, 2, written, "a latin1+utf16 string"));
  return std::pair{ptr, written};
}

}  // namespace

Expected<std::string> liftString(AbiContext& cx, std::uint32_t ptr, std::uint32_t taggedCodeUnits) {
  enum class Form { Utf8, Utf16, Latin1 } form = Form::Utf8;
  std::uint64_t byteLength = taggedCodeUnits;
  std::uint32_t alignment = 1;
  switch (cx.encoding) {
    case binary::StringEncoding::Utf8: break;
    case binary::StringEncoding::Utf16:
      form = Form::Utf16, alignment = 2, byteLength = 2 * std::uint64_t{taggedCodeUnits};
      break;
    case binary::StringEncoding::Latin1Utf16:
      alignment = 2;
      if (taggedCodeUnits & kUtf16Tag) form = Form::Utf16, byteLength = 2 * std::uint64_t{taggedCodeUnits ^ kUtf16Tag};
      else form = Form::Latin1;
      break;
  }
  if (byteLength > kMaxStringByteLength)
    return trap(fmt::format("string at {:#x} is {} bytes, more than the limit of {}", ptr, byteLength, kMaxStringByteLength));
  WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a string"));
  WASMOPS_TRY_VOID(checkRange(memory, ptr, byteLength, alignment, "string"));
  auto bytes = std::span<const std::uint8_t>(memory).subspan(ptr, byteLength);
  switch (form) {
    case Form::Utf8: return decodeUtf8(bytes, ptr);
    case Form::Utf16: return decodeUtf16(bytes, ptr);
    case Form::Latin1: return decodeLatin1(bytes);
  }
  return std::string();
}

Expected<std::pair<std::uint32_t, std::uint32_t>> lowerString(AbiContext& cx, std::string_view utf8) {
  if (auto bad = firstInvalidUtf8(utf8))
    return makeError(ErrorCode::Invalid, fmt::format("host string has invalid UTF-8 at byte {}", *bad));
  if (utf8.size() > kMaxStringByteLength)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("host string is {} bytes, more than the limit of {}", utf8.size(), kMaxStringByteLength));
  switch (cx.encoding) {
    case binary::StringEncoding::Utf8: return copyUtf8(cx, utf8);
    case binary::StringEncoding::Utf16: return utf8ToUtf16(cx, utf8);
    case binary::StringEncoding::Latin1Utf16: return utf8ToLatin1OrUtf16(cx, utf8);
  }
  return makeError(ErrorCode::Internal, "unknown string encoding");
}

}  // namespace wasmops::component
