#pragma once
// toml++ for the app layer's TOML readers (SpinManifest.cpp, RuntimeConfig.cpp),
// configured in this one place so that the two translation units compile its
// header-only (inline) functions identically: no exceptions (errors come
// back as parse_result values), no formatters, no shared library.
//
// TOML_UNREACHABLE becomes a trap: toml++ 3.3.0 reaches it on some inputs
// (TomlGuard.h), where its own definition, __builtin_unreachable(), is
// undefined behaviour. findTomlHazard() refuses those inputs with a located
// error first; the trap is what is left if it ever misses one.
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/impl/preprocessor.h>
#undef TOML_UNREACHABLE
#define TOML_UNREACHABLE __builtin_trap()
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/Diagnostic.h"
#include "app/TomlGuard.h"

namespace wasmops::app {

// The document of `text` (named `path` in toml++'s errors), or nullopt with
// its one located error added to `diags`: an input toml++ 3.3 would
// mishandle (findTomlHazard), or toml++'s own parse error.
inline std::optional<toml::table> parseTomlDocument(std::string_view text, const std::string& path,
                                                    std::vector<Diagnostic>& diags) {
  if (auto hazard = findTomlHazard(text)) {
    diags.push_back({Severity::Error, ErrorCode::Malformed, "TOML: " + hazard->message(), hazard->line, hazard->column});
    return std::nullopt;
  }
  auto parsed = toml::parse(text, std::string_view(path));
  if (!parsed) {
    const auto& e = parsed.error();
    diags.push_back({Severity::Error, ErrorCode::Malformed, "TOML: " + std::string(e.description()),
                     e.source().begin.line, e.source().begin.column});
    return std::nullopt;
  }
  return std::move(parsed.table());
}

}  // namespace wasmops::app
