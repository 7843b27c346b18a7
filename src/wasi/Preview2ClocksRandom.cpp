// wasi:clocks (wall-clock, monotonic-clock) and wasi:random (random,
// insecure, insecure-seed).
#include <ctime>

#include <fmt/format.h>

#include "wasi/HostEntropy.h"
#include "wasi/Preview2State.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

// get-random-bytes asks for a u64 count; more than this traps instead of
// making the host allocate what a guest names.
constexpr std::uint64_t kMaxRandomBytes = 64u << 20;

Value datetime(const timespec& ts) {
  return Value::record({Value::u64(static_cast<std::uint64_t>(ts.tv_sec)), Value::u32(static_cast<std::uint32_t>(ts.tv_nsec))});
}

std::uint64_t nanoseconds(const timespec& ts) {
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

timespec clockNow(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return ts;
}

timespec clockResolution(clockid_t id) {
  timespec ts{};
  ::clock_getres(id, &ts);
  return ts;
}

Expected<std::vector<std::uint8_t>> randomBytes(std::uint64_t len) {
  if (len > kMaxRandomBytes)
    return makeError(ErrorCode::Invalid, fmt::format("trap: {} random bytes asked for, at most {} at once", len, kMaxRandomBytes));
  std::vector<std::uint8_t> out(static_cast<std::size_t>(len));
  if (fillRandom(out) != Errno::Success) return makeError(ErrorCode::Io, "trap: the host has no randomness");
  return out;
}

Expected<std::uint64_t> randomU64() {
  WASMOPS_TRY(auto bytes, randomBytes(8));
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(bytes[static_cast<std::size_t>(i)]) << (8 * i);
  return v;
}

}  // namespace

Expected<void> defineClocksAndRandom(Preview2State& st, component::ComponentLinker& linker) {
  StateRef s(&st);
  InterfaceDefiner wall(linker, "wasi:clocks/wall-clock");
  wall.function("now", "", [](Args) -> Result { return datetime(clockNow(CLOCK_REALTIME)); })
      .function("resolution", "", [](Args) -> Result { return datetime(clockResolution(CLOCK_REALTIME)); });
  WASMOPS_TRY_VOID(wall.finish());

  InterfaceDefiner monotonic(linker, "wasi:clocks/monotonic-clock");
  monotonic.function("now", "", [](Args) -> Result { return Value::u64(nanoseconds(clockNow(CLOCK_MONOTONIC))); })
      .function("resolution", "", [](Args) -> Result { return Value::u64(nanoseconds(clockResolution(CLOCK_MONOTONIC))); })
      .function("subscribe-instant", "u64", [s](Args a) -> Result {
                  Pollable p;
                  p.kind = Pollable::Kind::Deadline;
                  p.deadline = a[0].bits;
                  return newPollable(*s, p);
                })
      .function("subscribe-duration", "u64", [s](Args a) -> Result {
        Pollable p;
        p.kind = Pollable::Kind::Deadline;
        const std::uint64_t now = nanoseconds(clockNow(CLOCK_MONOTONIC));
        p.deadline = a[0].bits > ~now ? ~0ull : now + a[0].bits;  // saturating
        return newPollable(*s, p);
      });
  WASMOPS_TRY_VOID(monotonic.finish());

  // Both the secure and the insecure interfaces draw from getrandom: the
  // host has no cheaper source worth a weaker guarantee.
  for (const char* iface : {"wasi:random/random", "wasi:random/insecure"}) {
    const bool secure = std::string_view(iface) == "wasi:random/random";
    InterfaceDefiner d(linker, iface);
    d.function(secure ? "get-random-bytes" : "get-insecure-random-bytes", "u64",
               [](Args a) -> Result {
                 WASMOPS_TRY(auto bytes, randomBytes(a[0].bits));
                 return bytesValue(bytes);
               })
        .function(secure ? "get-random-u64" : "get-insecure-random-u64", "", [](Args) -> Result {
          WASMOPS_TRY(std::uint64_t v, randomU64());
          return Value::u64(v);
        });
    WASMOPS_TRY_VOID(d.finish());
  }
  InterfaceDefiner seed(linker, "wasi:random/insecure-seed");
  seed.function("insecure-seed", "", [](Args) -> Result {
    WASMOPS_TRY(std::uint64_t a, randomU64());
    WASMOPS_TRY(std::uint64_t b, randomU64());
    return Value::tuple({Value::u64(a), Value::u64(b)});
  });
  return seed.finish();
}

}  // namespace wasmops::wasi::preview2
