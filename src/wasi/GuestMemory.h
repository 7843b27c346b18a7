#pragma once
// Bounds-checked access to the guest's linear memory for WASI calls. Every
// pointer and length a guest passes goes through here, so a garbage pointer
// becomes EFAULT and never a host memory access.
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

#include "engine/rt/wasmops_rt.h"

namespace wasmops::wasi {

class GuestMemory {
 public:
  GuestMemory() = default;
  // `memory` is the instance's live record: base and size follow memory.grow.
  explicit GuestMemory(const wasmops_memory* memory) : memory_(memory) {}

  bool bound() const { return memory_ != nullptr; }
  std::uint64_t size() const { return memory_ ? memory_->size : 0; }

  bool inBounds(std::uint32_t ptr, std::uint64_t len) const {
    return memory_ && static_cast<std::uint64_t>(ptr) + len <= memory_->size;
  }
  // The bytes [ptr, ptr+len), or nothing when any of them is out of bounds.
  std::optional<std::span<std::uint8_t>> bytes(std::uint32_t ptr, std::uint64_t len) const {
    if (!inBounds(ptr, len)) return std::nullopt;
    return std::span<std::uint8_t>(memory_->base + ptr, static_cast<std::size_t>(len));
  }
  std::optional<std::string_view> string(std::uint32_t ptr, std::uint32_t len) const {
    auto b = bytes(ptr, len);
    if (!b) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(b->data()), b->size());
  }
  template <typename T>
  std::optional<T> load(std::uint32_t ptr) const {
    if (!inBounds(ptr, sizeof(T))) return std::nullopt;
    T v;
    std::memcpy(&v, memory_->base + ptr, sizeof(T));  // little-endian hosts only (DESIGN.md §5)
    return v;
  }
  template <typename T>
  bool store(std::uint32_t ptr, T value) const {
    if (!inBounds(ptr, sizeof(T))) return false;
    std::memcpy(memory_->base + ptr, &value, sizeof(T));
    return true;
  }

 private:
  const wasmops_memory* memory_ = nullptr;
};

}  // namespace wasmops::wasi
