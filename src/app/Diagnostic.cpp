#include "app/Diagnostic.h"

#include <fmt/format.h>

#include <algorithm>

namespace wasmops::app {

std::string Diagnostic::format(const std::string& file) const {
  std::string where = file;
  if (line) where += fmt::format(":{}:{}", line, column);
  return fmt::format("{}: {}{}", where, severity == Severity::Warning ? "warning: " : "", message);
}

bool hasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

Error combineErrors(const std::string& file, const std::vector<Diagnostic>& diagnostics) {
  Error out(ErrorCode::Internal, "no errors");
  bool first = true;
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::Error) continue;
    if (first) {
      out = Error(d.code, d.message);
      out.file = file;
      if (d.line) {
        out.line = d.line;
        out.column = d.column;
      }
      first = false;
    } else {
      out.message += '\n';
      out.message += d.format(file);
    }
  }
  return out;
}

}  // namespace wasmops::app
