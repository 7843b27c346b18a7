#pragma once
// Checks wabt 1.0.32 leaves out (see ../shared/conformance/spec README,
// "wabt validator gaps"): the result type of constant expressions (an empty
// offset expression is a type mismatch) and `call_indirect` through a table
// that does not hold function references.
#include <span>
#include <vector>

#include "binary/Module.h"
#include "validate/Diagnostic.h"

namespace wasmops::validate {

std::vector<Diagnostic> checkConstExprTypes(const binary::Module& module);
std::vector<Diagnostic> checkCallIndirectTables(const binary::Module& module, std::span<const std::uint8_t> bytes);

}  // namespace wasmops::validate
