#pragma once
// What reading a manifest found: errors (the manifest is refused) and
// warnings (a key wasmops ignores), each at a line and column, so that one
// run reports every problem it can instead of the first one only.
#include <cstdint>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::app {

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  ErrorCode code = ErrorCode::Invalid;  // meaningful for errors
  std::string message;                  // what is wrong and what to write instead
  std::uint32_t line = 0;               // 1-based; 0 when the whole file is meant
  std::uint32_t column = 0;

  // "FILE:LINE:COLUMN: warning: MESSAGE" (no "warning: " for errors, which
  // the CLI prefixes with "error: " itself).
  std::string format(const std::string& file) const;
};

// One Error for a list of diagnostics with at least one error: the first
// error (by position) gives code, line and column; every further error
// follows on its own located line, so Error::format() shows them all.
Error combineErrors(const std::string& file, const std::vector<Diagnostic>& diagnostics);

bool hasErrors(const std::vector<Diagnostic>& diagnostics);

// By line and column; diagnostics at one position keep their order. (Not
// std::stable_sort: clang 19 with libstdc++ 12 refuses it under -Werror, as
// it uses the deprecated get_temporary_buffer; the fuzz preset builds with them.)
void sortByPosition(std::vector<Diagnostic>& diagnostics);

}  // namespace wasmops::app
