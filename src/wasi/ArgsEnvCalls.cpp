// args_* and environ_*: both copy a list of strings into the guest as an
// array of pointers plus one buffer of NUL-terminated strings.
#include <cstring>

#include "wasi/Calls.h"
#include "wasi/IoVectors.h"

namespace wasmops::wasi::calls {
namespace {

Errno copyStrings(const GuestMemory& mem, const std::vector<std::string>& list, std::uint32_t ptrs, std::uint32_t buf) {
  std::uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (!mem.inBounds(ptrs, list.size() * 4ull) || !mem.inBounds(buf, total)) return Errno::Fault;
  std::uint32_t at = buf;
  for (std::size_t i = 0; i < list.size(); ++i) {
    mem.store<std::uint32_t>(ptrs + static_cast<std::uint32_t>(i) * 4, at);
    auto dst = *mem.bytes(at, list[i].size() + 1);
    std::memcpy(dst.data(), list[i].c_str(), list[i].size() + 1);
    at += static_cast<std::uint32_t>(list[i].size() + 1);
  }
  return Errno::Success;
}

Errno storeSizes(const GuestMemory& mem, const std::vector<std::string>& list, std::uint32_t countPtr,
                 std::uint32_t sizePtr) {
  std::uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  WASI_TRY(storeResult(mem, countPtr, static_cast<std::uint32_t>(list.size())));
  return storeResult(mem, sizePtr, static_cast<std::uint32_t>(total));
}

}  // namespace

Errno argsGet(WasiContext& cx, Args a) { return copyStrings(cx.memory, cx.args, a[0].i32, a[1].i32); }
Errno argsSizesGet(WasiContext& cx, Args a) { return storeSizes(cx.memory, cx.args, a[0].i32, a[1].i32); }
Errno environGet(WasiContext& cx, Args a) { return copyStrings(cx.memory, cx.env, a[0].i32, a[1].i32); }
Errno environSizesGet(WasiContext& cx, Args a) { return storeSizes(cx.memory, cx.env, a[0].i32, a[1].i32); }

}  // namespace wasmops::wasi::calls
