#pragma once
// The state one guest's WASI calls work on, whichever ABI they come through
// (preview1 calls, WASI 0.2 interfaces): the host services both bindings
// share, so both obey one set of sandbox rules.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasi/FdTable.h"
#include "base/Error.h"
#include "wasi/GuestMemory.h"
#include "wasi/MemoryStream.h"
#include "wasmops/wasi.h"

namespace wasmops::wasi {

struct WasiContext {
  std::vector<std::string> args;  // argv, argv[0] first
  std::vector<std::string> env;   // KEY=VALUE
  FdTable fds;
  GuestMemory memory;
  std::optional<std::uint32_t> exitCode;  // set by proc_exit
};

// Fills `cx` from the embedder's config: stdio as fds 0-2 (streams in
// `memoryStdio` replace the config's fds), then the preopens, then the
// listening sockets. Fails when a preopen is missing or not a directory, or
// a stdio fd is closed.
Expected<void> openWasiContext(WasiContext& cx, const embed::WasiConfig& config, const MemoryStdio& memoryStdio = {});

}  // namespace wasmops::wasi
