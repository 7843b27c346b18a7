#pragma once
// File selection for Spin manifests' `files` and `exclude_files`, with the
// semantics of the Rust `glob` crate that Spin uses: a pattern is matched one
// path component at a time (`*`, `?`, `[...]` never cross a `/`), `**` as a
// whole component matches any number of folders, and a leading dot needs no
// literal match. Only regular files are returned; symbolic links met while
// walking are skipped, so a link cannot pull files from outside the
// application folder into an artifact.
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::app {

// True when `text` has a glob metacharacter (`*`, `?`, `[`, `]`), as Spin's
// looks_like_glob_pattern decides.
bool looksLikeGlob(std::string_view text);

// The regular files under `root` that `pattern` (relative, `/`-separated)
// matches, as root-relative paths, sorted.
Expected<std::vector<std::string>> expandGlob(const std::string& root, std::string_view pattern);

// Every regular file below `dir`, as dir-relative paths, sorted.
Expected<std::vector<std::string>> listFilesRecursively(const std::string& dir);

// `exclude_files` semantics (glob::Pattern::matches_path with default
// options): `*` also matches `/`.
bool excludePatternMatches(std::string_view pattern, std::string_view relativePath);

}  // namespace wasmops::app
