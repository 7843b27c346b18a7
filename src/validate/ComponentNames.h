#pragma once
// Name rules of the component model (Explainer.md "Import and Export
// Definitions", "Name Uniqueness"): kebab-case labels, annotated plain names
// (`[constructor]r`, `[method]r.m`, `[static]r.m`, `[async]...`), interface
// names `ns:pkg/iface@semver`, and strong uniqueness.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmops::validate {

// `a-b-c`: fragments of lowercase words or uppercase acronyms, `-` between.
bool isKebabLabel(std::string_view s);

// Semantic version 2.0.0 (`1.2.3`, `0.2.0-rc.1+build`).
bool isSemver(std::string_view s);

// Why an import or export name is not well-formed, or nothing when it is.
std::optional<std::string> externNameError(std::string_view name);

// Names in one scope (imports, exports, fields, cases): `add` returns the
// earlier name this one is not strongly-unique against, if any.
class UniqueNames {
 public:
  std::optional<std::string> add(const std::string& name);

 private:
  struct Entry {
    std::string name;
    bool constructor = false;  // `[constructor]l`
    bool plain = false;        // `l`
  };
  std::map<std::string, std::vector<Entry>> byKey_;
};

}  // namespace wasmops::validate
