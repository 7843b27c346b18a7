#pragma once
// Errors as values: every fallible function returns Expected<T>.
// An Error carries a code from ErrorCodes.def plus the context a user needs to
// find the problem (file, byte offset, URL, line/column).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace wasmops {

enum class ErrorCode : std::uint8_t {
#define X(name, exit_code, text) name,
#include "base/ErrorCodes.def"
#undef X
};

const char* errorCodeName(ErrorCode code);
const char* errorCodeText(ErrorCode code);
int errorCodeExitStatus(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string file;                   // path or reference the error is about
  std::optional<std::uint64_t> offset;  // byte offset in `file`
  std::string url;
  std::optional<std::uint32_t> line;    // 1-based, for text inputs
  std::optional<std::uint32_t> column;  // 1-based

  Error() = default;
  Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}

  Error&& atOffset(std::uint64_t off) && {
    offset = off;
    return std::move(*this);
  }
  Error&& inFile(std::string path) && {
    if (file.empty()) file = std::move(path);
    return std::move(*this);
  }

  // "FILE:0x1a: message" — the located, human form used on stderr.
  std::string format() const;
};

template <typename T>
using Expected = tl::expected<T, Error>;
using Unexpected = tl::unexpected<Error>;

inline Unexpected makeError(ErrorCode code, std::string message) {
  return Unexpected(Error(code, std::move(message)));
}
inline Unexpected makeErrorAt(ErrorCode code, std::uint64_t offset, std::string message) {
  return Unexpected(Error(code, std::move(message)).atOffset(offset));
}

}  // namespace wasmops

// WASMOPS_TRY(var, expr): evaluate an Expected, return its error early, else
// bind the value. WASMOPS_TRY_VOID(expr) for Expected<void>.
#define WASMOPS_CONCAT_INNER(a, b) a##b
#define WASMOPS_CONCAT(a, b) WASMOPS_CONCAT_INNER(a, b)
#define WASMOPS_TRY_IMPL(tmp, var, expr)                     \
  auto tmp = (expr);                                         \
  if (!tmp) return ::tl::unexpected(std::move(tmp).error()); \
  var = std::move(*tmp)
#define WASMOPS_TRY(var, expr) WASMOPS_TRY_IMPL(WASMOPS_CONCAT(wasmops_try_, __LINE__), var, expr)
#define WASMOPS_TRY_VOID(expr)                                                       \
  do {                                                                               \
    auto wasmops_try_v = (expr);                                                     \
    if (!wasmops_try_v) return ::tl::unexpected(std::move(wasmops_try_v).error()); \
  } while (0)
// WASMOPS_TRY_ASSIGN(lvalue, expr): as WASMOPS_TRY for an existing variable;
// declares nothing, so it is safe between case labels.
#define WASMOPS_TRY_ASSIGN(lhs, expr)                                              \
  do {                                                                             \
    auto wasmops_try_a = (expr);                                                   \
    if (!wasmops_try_a) return ::tl::unexpected(std::move(wasmops_try_a).error()); \
    lhs = std::move(*wasmops_try_a);                                               \
  } while (0)
