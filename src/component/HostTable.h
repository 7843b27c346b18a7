#pragma once
// The host's side of a resource type: host objects by the rep a guest's
// handles carry (Value::own(rep) / Value::borrow(rep)). The component layer
// keeps the guest's handle table and checks every handle's type, so a rep a
// host function receives always names an object of this table's type; a rep
// that is gone (a host bug, or a destructor already run) is an error, never
// a dangling access. Reps are reused, so a table stays as small as the
// objects alive at once.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/Error.h"

namespace wasmops::component {

template <typename T>
class HostTable {
 public:
  // The spec's handle tables hold at most 2^28 - 1 entries; so does this.
  static constexpr std::uint32_t kMaxLive = (1u << 28) - 1;

  explicit HostTable(const char* what) : what_(what) {}

  Expected<std::uint32_t> add(T object) {
    if (live_ >= kMaxLive) return makeError(ErrorCode::LimitExceeded, fmt::format("too many live {} resources", what_));
    ++live_;
    if (!free_.empty()) {
      std::uint32_t rep = free_.back();
      free_.pop_back();
      slots_[rep - 1].emplace(std::move(object));
      return rep;
    }
    slots_.emplace_back(std::move(object));
    return static_cast<std::uint32_t>(slots_.size());  // reps start at 1
  }

  Expected<T*> get(std::uint32_t rep) {
    if (rep == 0 || rep > slots_.size() || !slots_[rep - 1])
      return makeError(ErrorCode::Invalid, fmt::format("trap: unknown {} resource {}", what_, rep));
    return &*slots_[rep - 1];
  }

  Expected<void> remove(std::uint32_t rep) {
    WASMOPS_TRY_VOID(get(rep));
    slots_[rep - 1].reset();
    free_.push_back(rep);
    --live_;
    return {};
  }

  std::uint32_t live() const { return live_; }

 private:
  const char* what_;
  std::vector<std::optional<T>> slots_;
  std::vector<std::uint32_t> free_;
  std::uint32_t live_ = 0;
};

}  // namespace wasmops::component
