#pragma once
// The host's randomness for guests: getrandom(2), retried until `out` is
// full. Both WASI bindings take their random bytes from here.
#include <cstdint>
#include <span>

#include "wasi/WasiAbi.h"

namespace wasmops::wasi {

Errno fillRandom(std::span<std::uint8_t> out);

}  // namespace wasmops::wasi
