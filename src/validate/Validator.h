#pragma once
// Validation of a binary: our own decoder first (so nothing malformed reaches
// wabt, whose Debian build keeps its asserts), then the checks wabt 1.0.32
// lacks, then wabt's validator with the WebAssembly 2.0 feature set (what the
// engine runs).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "binary/Module.h"
#include "binary/Preamble.h"
#include "validate/Diagnostic.h"

namespace wasmops::validate {

enum class Verdict : std::uint8_t { Valid, Malformed, Invalid, Unsupported };
const char* toString(Verdict v);

struct ValidationResult {
  Verdict verdict = Verdict::Valid;
  binary::BinaryKind kind = binary::BinaryKind::CoreModule;
  std::vector<Diagnostic> diagnostics;
  // The decoded module, when decoding succeeded (so callers need not decode again).
  std::optional<binary::Module> module;
  bool ok() const { return verdict == Verdict::Valid; }
};

ValidationResult validateBinary(std::span<const std::uint8_t> bytes);

// Validates a module already decoded from `bytes` (bodies included: see
// binary::decodeFunctionBodies), without decoding it again; `module` in the
// result stays empty. wabt still reads `bytes`: it is the validator.
ValidationResult validateModule(const binary::Module& module, std::span<const std::uint8_t> bytes);

}  // namespace wasmops::validate
