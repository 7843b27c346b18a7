#pragma once
// WIT text from the WIT model, formatted as wit-component's printer writes
// it (`wasm-tools component wit`): two-space indentation, keywords used as
// names escaped with `%`, `///` docs; in an interface the `use`s first,
// then the types (resource functions inside their resource), then the
// functions; the root package as `package a:b;` followed by the packages it
// depends on as nested `package x:y@1.0.0 { ... }` blocks.
#include <string>

#include "component/Wit.h"

namespace wasmops::component {

std::string printWit(const wit::Document& document);

// One type as WIT spells it where it is used: `list<u8>`, `borrow<file>`.
std::string printWitType(const wit::Type& type);

// `%`-escaped when `name` is a WIT keyword (`%type`, `%list`).
std::string escapeWitName(const std::string& name);

}  // namespace wasmops::component
