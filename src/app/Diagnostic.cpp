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

void sortByPosition(std::vector<Diagnostic>& diagnostics) {
  std::vector<std::size_t> order(diagnostics.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Diagnostic &x = diagnostics[a], &y = diagnostics[b];
    if (x.line != y.line) return x.line < y.line;
    if (x.column != y.column) return x.column < y.column;
    return a < b;
  });
  std::vector<Diagnostic> sorted;
  sorted.reserve(diagnostics.size());
  for (std::size_t i : order) sorted.push_back(std::move(diagnostics[i]));
  diagnostics = std::move(sorted);
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
