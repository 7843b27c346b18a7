#include "cli/GuestExit.h"

#include <cstdio>

namespace wasmops::cli {

int guestExitStatus(std::uint32_t code) {
  if (code <= 255) return static_cast<int>(code);
  std::fprintf(stderr, "wasmops: the guest exited with status %u, which a process cannot; exiting 1\n", code);
  return 1;
}

}  // namespace wasmops::cli
