#pragma once
// One .wit file to the WIT model (grammar: design/mvp/WIT.md). Only the
// syntax is checked here, and the first error ends the file; names are
// resolved across files and packages by WitResolver.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "component/Wit.h"

namespace wasmops::component::wit {

// `use wasi:io/streams@0.2.6 as s;` outside any interface: a name for an
// interface, visible in the file (or nested package block) it is written in.
struct TopLevelUse {
  UsePath path;
  std::string as;  // empty: the interface's own name
  Location at;
};

// The items of one package as one file (or one `package a:b { ... }` block) spells them.
struct PackageBody {
  Package package;  // name set when declared; interfaces and worlds in source order
  bool declared = false;
  std::vector<TopLevelUse> uses;
};

struct WitFile {
  std::string file;
  PackageBody root;                 // `package a:b;` (optional) and the items outside nested blocks
  std::vector<PackageBody> nested;  // `package a:b { ... }`, each declared
};

// Bounds that keep hostile input from exhausting the stack or memory.
inline constexpr std::size_t kMaxWitSourceBytes = 4u << 20;
inline constexpr unsigned kMaxWitTypeDepth = 100;

// `file` is how locations name the file (relative to the folder given).
Expected<WitFile> parseWitFile(std::string_view source, const std::string& file);

// `major.minor.patch[-pre][+build]` as semver.org defines it.
bool isValidSemver(std::string_view version);

// Kebab-case as the component model defines a label: `a-b2-CD`, each
// fragment all lower- or all upper-case, the first starting with a letter.
bool isValidWitIdentifier(std::string_view id);

}  // namespace wasmops::component::wit
