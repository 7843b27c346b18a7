#pragma once
// Turns a guest iovec array into host iovecs pointing into guest memory,
// after checking that the array and every buffer lie inside it.
#include <sys/uio.h>

#include <climits>
#include <cstdint>
#include <vector>

#include "wasi/GuestMemory.h"
#include "wasi/WasiAbi.h"

namespace wasmops::wasi {

inline Errno gatherIovecs(const GuestMemory& mem, std::uint32_t ptr, std::uint32_t count, std::vector<iovec>& out) {
  if (count > IOV_MAX) return Errno::Inval;
  if (!mem.inBounds(ptr, static_cast<std::uint64_t>(count) * layout::IovecSize)) return Errno::Fault;
  out.clear();
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t at = ptr + i * layout::IovecSize;
    const std::uint32_t buf = *mem.load<std::uint32_t>(at);
    const std::uint32_t len = *mem.load<std::uint32_t>(at + 4);
    auto bytes = mem.bytes(buf, len);
    if (!bytes) return Errno::Fault;
    if (len) out.push_back(iovec{bytes->data(), len});
  }
  return Errno::Success;
}

// Stores a u32 result, EFAULT when the pointer is out of bounds.
inline Errno storeResult(const GuestMemory& mem, std::uint32_t ptr, std::uint32_t value) {
  return mem.store(ptr, value) ? Errno::Success : Errno::Fault;
}
inline Errno storeResult64(const GuestMemory& mem, std::uint32_t ptr, std::uint64_t value) {
  return mem.store(ptr, value) ? Errno::Success : Errno::Fault;
}

#define WASI_TRY(expr)                                        \
  do {                                                        \
    const ::wasmops::wasi::Errno wasiErr_ = (expr);           \
    if (wasiErr_ != ::wasmops::wasi::Errno::Success) return wasiErr_; \
  } while (0)

}  // namespace wasmops::wasi
