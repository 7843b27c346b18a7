#pragma once
// A WIT package folder (or one .wit file) to checked packages, the way
// wit-parser's `Resolve::push_dir` reads it: every `*.wit` directly in the
// folder is one package (exactly one name among their `package`
// declarations), and each entry of `deps/` (a folder of .wit files, or one
// .wit file) is a dependency package; `package a:b { ... }` blocks anywhere
// add packages. Then every `use`, import, export and include is resolved and
// the rules of design/mvp/WIT.md checked, each failure a located Diagnostic.
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "component/Wit.h"
#include "component/WitParser.h"

namespace wasmops::component::wit {

struct Diagnostic {
  Location at;  // at.file relative to the folder given (the file's own name for a single file)
  std::string message;
};

// The .wit files that make one package (a folder's files, or one file).
struct PackageSources {
  std::vector<WitFile> files;
  std::string where;  // the folder or file, relative to the folder given: named when no file declares a package
};

struct WitCheck {
  Document document;  // root package first, then the others in the order they were read
  std::vector<Diagnostic> diagnostics;  // empty: every package resolved
  bool ok() const { return diagnostics.empty(); }
};

// Reads and checks PATH: a folder (with an optional deps/) or a single .wit
// file. An Error only when PATH cannot be read at all (missing, neither a
// folder nor a .wit file); everything about the WIT is a diagnostic.
Expected<WitCheck> checkWitPath(const std::string& path);

// Checks one in-memory .wit file named `file` as a whole root package.
WitCheck checkWitSource(std::string_view source, const std::string& file);

// Checks parsed packages; groups[0] is the root package.
WitCheck resolveWit(std::vector<PackageSources> groups);

}  // namespace wasmops::component::wit
