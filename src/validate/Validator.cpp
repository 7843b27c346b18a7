#include "validate/Validator.h"

#include "validate/ComponentValidator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "binary/ComponentDecoder.h"
#include "binary/ModuleDecoder.h"
#include "validate/ConstExprChecker.h"
#include "validate/WabtBridge.h"

namespace wasmops::validate {

const char* toString(Verdict v) {
  switch (v) {
    case Verdict::Valid: return "valid";
    case Verdict::Malformed: return "malformed";
    case Verdict::Invalid: return "invalid";
    case Verdict::Unsupported: return "unsupported";
  }
  return "?";
}

static Verdict verdictFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::Malformed: return Verdict::Malformed;
    case ErrorCode::Invalid: return Verdict::Invalid;
    default: return Verdict::Unsupported;
  }
}

ValidationResult validateModule(const binary::Module& module, std::span<const std::uint8_t> bytes) {
  ValidationResult out;
  auto beyond = module.features.beyondWasm2();
  if (beyond.size() == 1 && module.features.has(binary::Feature::MultiMemory)) {
    // In 2.0 terms a second memory is invalid, and a memory index immediate
    // is a reserved zero byte (malformed otherwise).
    const bool several = module.memories.size() + module.importedMemories > 1;
    out.verdict = several ? Verdict::Invalid : Verdict::Malformed;
    out.diagnostics.push_back({several ? ErrorCode::Invalid : ErrorCode::Malformed, std::nullopt,
                               several ? "multiple memories (multi-memory is beyond WebAssembly 2.0 and not supported)"
                                       : "zero byte expected: a memory index other than 0 needs multi-memory, which is "
                                         "beyond WebAssembly 2.0 and not supported"});
    return out;
  }
  if (!beyond.empty()) {
    out.verdict = Verdict::Unsupported;
    out.diagnostics.push_back({ErrorCode::Unsupported, std::nullopt,
                               fmt::format("module uses {}, beyond WebAssembly 2.0; wasmops validates and runs "
                                           "WebAssembly 2.0 modules only for now",
                                           fmt::join(beyond, ", "))});
    return out;
  }
  auto extra = checkConstExprTypes(module);
  auto calls = checkCallIndirectTables(module, bytes);
  extra.insert(extra.end(), calls.begin(), calls.end());
  if (!extra.empty()) {
    out.verdict = Verdict::Invalid;
    out.diagnostics = std::move(extra);
    return out;
  }
  auto wabt = readAndValidateWithWabt(bytes, false);
  if (!wabt.diagnostics.empty()) {
    out.verdict = verdictFor(wabt.diagnostics.front().code);
    out.diagnostics = std::move(wabt.diagnostics);
  }
  return out;
}

ValidationResult validateBinary(std::span<const std::uint8_t> bytes) {
  ValidationResult out;
  auto preamble = binary::readPreamble(bytes);
  if (!preamble) {
    out.verdict = Verdict::Malformed;
    out.diagnostics.push_back(Diagnostic::fromError(preamble.error()));
    return out;
  }
  out.kind = preamble->kind;
  // Components (any version: the component decoder refuses the others by
  // name) have their own rules.
  if (preamble->kind == binary::BinaryKind::Component) return validateComponentBinary(bytes);
  auto module = binary::decodeModule(bytes);
  if (!module) {
    out.verdict = verdictFor(module.error().code);
    out.diagnostics.push_back(Diagnostic::fromError(module.error()));
    return out;
  }
  out = validateModule(*module, bytes);
  out.module = std::move(*module);
  return out;
}

}  // namespace wasmops::validate
