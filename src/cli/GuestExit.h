#pragma once
// What the process exits with when the guest exited with `code` (preview1's
// proc_exit, wasi:cli/exit): the code itself, or 1 with a message when a
// process cannot exit with it.
#include <cstdint>

namespace wasmops::cli {

int guestExitStatus(std::uint32_t code);

}  // namespace wasmops::cli
