#include "base/Error.h"

#include <fmt/format.h>

namespace wasmops {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
#define X(name, exit_code, text) \
  case ErrorCode::name:          \
    return #name;
#include "base/ErrorCodes.def"
#undef X
  }
  return "Internal";
}

const char* errorCodeText(ErrorCode code) {
  switch (code) {
#define X(name, exit_code, text) \
  case ErrorCode::name:          \
    return text;
#include "base/ErrorCodes.def"
#undef X
  }
  return "internal error";
}

int errorCodeExitStatus(ErrorCode code) {
  switch (code) {
#define X(name, exit_code, text) \
  case ErrorCode::name:          \
    return exit_code;
#include "base/ErrorCodes.def"
#undef X
  }
  return 1;
}

std::string Error::format() const {
  std::string out;
  if (!file.empty()) out += file;
  if (!url.empty()) out = out.empty() ? fmt::format("({})", url) : fmt::format("{} ({})", out, url);
  if (line) {
    out += fmt::format(":{}", *line);
    if (column) out += fmt::format(":{}", *column);
  }
  if (offset) out += fmt::format("{}0x{:x}", out.empty() ? "at " : ":", *offset);
  if (!out.empty()) out += ": ";
  out += message;
  return out;
}

}  // namespace wasmops
