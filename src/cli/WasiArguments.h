#pragma once
// Command-line words that describe a WASI guest's world: --dir, --env,
// --timeout and --listen values.
#include <chrono>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/UniqueFd.h"
#include "wasmops/wasi.h"

namespace wasmops::cli {

// HOST[::GUEST][:ro] — GUEST defaults to HOST as written (as wasmtime's --dir).
Expected<embed::WasiPreopen> parseDirArgument(const std::string& text);
// KEY=VALUE, or KEY alone to pass the host's value of KEY (nothing if unset).
Expected<std::string> parseEnvArgument(const std::string& text);
// 500ms, 5s, 2m, 1h, or a plain number of seconds.
Expected<std::chrono::milliseconds> parseDuration(const std::string& text);
// HOST:PORT (IPv4 or [IPv6]) → a listening TCP socket.
Expected<UniqueFd> listenOn(const std::string& address);

}  // namespace wasmops::cli
