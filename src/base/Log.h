#pragma once
// Process-wide logging setup: spdlog to stderr, human format on a TTY or by
// default, JSON lines with --log-format json.
#include <string_view>

#include "base/Error.h"

namespace wasmops::log {

enum class Format { Human, Json };

Expected<Format> parseFormat(std::string_view text);
void setup(Format format, bool verbose);

}  // namespace wasmops::log
