#pragma once
// A decoded component as WebAssembly text (the component model's text
// format, as `wasm-tools print` writes it, without names): every definition
// in its original order, indices written as numbers with `(;N;)` comments,
// nested core modules through wabt's text writer. Parsing the text back
// (`wasm-tools parse`, `jco parse`) gives the same component, custom
// sections aside.
#include <span>
#include <string>

#include "base/Error.h"
#include "binary/Component.h"

namespace wasmops::component {

// Nested modules are printed from their bytes, so the file `component` was
// decoded from must still be mapped. Refused with Unsupported: value definitions,
// the async/stream/thread canon built-ins, and nested modules wabt cannot
// read (features past WebAssembly 2.0).
Expected<std::string> printComponentText(const binary::Component& component);

}  // namespace wasmops::component
