#pragma once
// A guest memory for canonical ABI tests: a byte vector with a bump
// allocator as `realloc` that records every call, so tests can check the
// spec's allocation sequence. A shrinking or growing realloc moves the block
// to a fresh place (copying the old bytes), as a real allocator may.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "component/CanonicalAbi.h"

namespace wasmops::component::test {

struct ReallocCall {
  std::uint32_t old, oldSize, alignment, newSize;
  bool operator==(const ReallocCall&) const = default;
};

class TestMemory : public GuestMemory {
 public:
  explicit TestMemory(std::size_t size = 65536, std::uint32_t heapStart = 1024) : bytes_(size), next_(heapStart) {}

  std::span<std::uint8_t> bytes() override { return bytes_; }
  Expected<std::uint32_t> realloc(std::uint32_t old, std::uint32_t oldSize, std::uint32_t alignment,
                                  std::uint32_t newSize) override {
    calls.push_back({old, oldSize, alignment, newSize});
    if (forced) return *forced;  // a misbehaving realloc
    next_ = (next_ + alignment - 1) / alignment * alignment;
    std::uint32_t ptr = next_;
    next_ += newSize;
    if (next_ > bytes_.size()) bytes_.resize(next_);  // memory.grow
    if (old) std::copy_n(bytes_.begin() + old, std::min(oldSize, newSize), bytes_.begin() + ptr);
    return ptr;
  }

  std::vector<std::uint8_t>& raw() { return bytes_; }
  std::vector<ReallocCall> calls;
  std::optional<std::uint32_t> forced;

 private:
  std::vector<std::uint8_t> bytes_;
  std::uint32_t next_;
};

}  // namespace wasmops::component::test
