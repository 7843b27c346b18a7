#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::validate {

// One problem found in a module, located by byte offset when known.
struct Diagnostic {
  ErrorCode code = ErrorCode::Invalid;  // Malformed, Invalid, Unsupported, LimitExceeded
  std::optional<std::uint64_t> offset;
  std::string message;

  static Diagnostic fromError(const Error& e) { return {e.code, e.offset, e.message}; }
  Error toError() const {
    Error e(code, message);
    e.offset = offset;
    return e;
  }
};

}  // namespace wasmops::validate
