#pragma once
// Sizes on the command line: 65536, 64Ki, 512MiB, 4G (binary units).
#include <cstdint>
#include <string>

#include "base/Error.h"

namespace wasmops::cli {
Expected<std::uint64_t> parseSize(const std::string& text);
}
