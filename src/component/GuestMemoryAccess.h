#pragma once
// Checked access to a guest's memory for the canonical ABI's implementation
// files (not part of the layer's interface): every range is checked before
// it is touched, and every realloc result is checked for alignment and
// bounds as the spec does after each `cx.allocate`/`cx.reallocate`.
#include <cstdint>
#include <span>
#include <string>

#include <fmt/format.h>

#include "component/CanonicalAbi.h"

namespace wasmops::component::abi {

inline Unexpected trap(std::string message) { return makeError(ErrorCode::Invalid, "trap: " + std::move(message)); }

inline Expected<std::span<std::uint8_t>> memoryBytes(AbiContext& cx, const char* need) {
  if (!cx.memory) return makeError(ErrorCode::Invalid, fmt::format("{} needs the canonical option `memory`, which is missing", need));
  return cx.memory->bytes();
}

// The spec's two range traps: `ptr != align_to(ptr, alignment)` and `ptr + size > len(memory)`.
inline Expected<void> checkRange(std::span<const std::uint8_t> memory, std::uint64_t ptr, std::uint64_t size,
                                 std::uint32_t alignment, const char* what) {
  if (alignment > 1 && ptr % alignment != 0)
    return trap(fmt::format("{} at {:#x} is not aligned to {} bytes", what, ptr, alignment));
  if (ptr + size > memory.size())
    return trap(fmt::format("{} at {:#x} of {} bytes is out of bounds (memory is {} bytes)", what, ptr, size, memory.size()));
  return {};
}

inline Expected<void> checkRange(AbiContext& cx, std::uint64_t ptr, std::uint64_t size, std::uint32_t alignment,
                                 const char* what) {
  WASMOPS_TRY(auto memory, memoryBytes(cx, what));
  return checkRange(memory, ptr, size, alignment, what);
}

inline std::uint64_t readLe(std::span<const std::uint8_t> memory, std::uint64_t ptr, unsigned bytes) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < bytes; ++i) v |= std::uint64_t{memory[ptr + i]} << (8 * i);
  return v;
}

inline Expected<void> writeLe(AbiContext& cx, std::uint64_t ptr, std::uint64_t value, unsigned bytes) {
  WASMOPS_TRY(auto memory, memoryBytes(cx, "a store"));
  WASMOPS_TRY_VOID(checkRange(memory, ptr, bytes, 1, "a store"));
  for (unsigned i = 0; i < bytes; ++i) memory[ptr + i] = static_cast<std::uint8_t>(value >> (8 * i));
  return {};
}

// cx.reallocate followed by the spec's traps on the pointer it returned.
inline Expected<std::uint32_t> reallocate(AbiContext& cx, std::uint32_t old, std::uint32_t oldSize, std::uint32_t alignment,
                                          std::uint64_t newSize, const char* what) {
  if (!cx.memory) return makeError(ErrorCode::Invalid, fmt::format("{} needs the canonical options `memory` and `realloc`", what));
  if (newSize > UINT32_MAX)
    return makeError(ErrorCode::LimitExceeded, fmt::format("{} needs {} bytes, more than a 32-bit memory holds", what, newSize));
  WASMOPS_TRY(std::uint32_t ptr, cx.memory->realloc(old, oldSize, alignment, static_cast<std::uint32_t>(newSize)));
  WASMOPS_TRY_VOID(checkRange(cx, ptr, newSize, alignment, fmt::format("realloc's result for {}", what).c_str()));
  return ptr;
}

inline bool isNan32(std::uint32_t bits) { return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0; }
inline bool isNan64(std::uint64_t bits) {
  return (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0x000fffffffffffffull) != 0;
}
// canonicalize_nan32/64 (and the deterministic profile of maybe_scramble_nan).
inline std::uint32_t canonicalF32(std::uint32_t bits) { return isNan32(bits) ? 0x7fc00000u : bits; }
inline std::uint64_t canonicalF64(std::uint64_t bits) { return isNan64(bits) ? 0x7ff8000000000000ull : bits; }

}  // namespace wasmops::component::abi
