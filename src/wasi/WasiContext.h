#pragma once
// The state one guest's WASI calls work on.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasi/FdTable.h"
#include "wasi/GuestMemory.h"

namespace wasmops::wasi {

struct WasiContext {
  std::vector<std::string> args;  // argv, argv[0] first
  std::vector<std::string> env;   // KEY=VALUE
  FdTable fds;
  GuestMemory memory;
  std::optional<std::uint32_t> exitCode;  // set by proc_exit
};

}  // namespace wasmops::wasi
