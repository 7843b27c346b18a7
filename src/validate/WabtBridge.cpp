#include "validate/WabtBridge.h"

#include <wabt/apply-names.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wat-writer.h>

namespace wasmops::validate {

WabtModule::WabtModule() = default;
WabtModule::~WabtModule() = default;
WabtModule::WabtModule(WabtModule&&) noexcept = default;

static void collect(const wabt::Errors& errors, ErrorCode code, std::vector<Diagnostic>& out) {
  for (const auto& e : errors) {
    if (e.error_level != wabt::ErrorLevel::Error) continue;
    out.push_back({code, static_cast<std::uint64_t>(e.loc.offset), e.message});
  }
}

WabtModule readAndValidateWithWabt(std::span<const std::uint8_t> bytes, bool readNames) {
  WabtModule out;
  out.module = std::make_unique<wabt::Module>();
  wabt::Features features;  // wabt 1.0.32 defaults = the WebAssembly 2.0 feature set
  wabt::ReadBinaryOptions options(features, nullptr, readNames, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  wabt::Errors errors;
  auto result = wabt::ReadBinaryIr("module", bytes.data(), bytes.size(), options, &errors, out.module.get());
  if (wabt::Failed(result)) {
    // Our decoder has already judged the encoding well-formed, so what wabt's
    // reader still refuses is a semantic check (an index out of range, ...).
    collect(errors, ErrorCode::Invalid, out.diagnostics);
    if (out.diagnostics.empty()) out.diagnostics.push_back({ErrorCode::Invalid, std::nullopt, "wabt could not read the module"});
    return out;
  }
  wabt::ValidateOptions vopts(features);
  errors.clear();
  result = wabt::ValidateModule(out.module.get(), &errors, vopts);
  if (wabt::Failed(result)) {
    collect(errors, ErrorCode::Invalid, out.diagnostics);
    if (out.diagnostics.empty()) out.diagnostics.push_back({ErrorCode::Invalid, std::nullopt, "module is invalid"});
  }
  return out;
}

Expected<std::string> writeWat(wabt::Module& module, bool foldExprs, bool inlineExports) {
  // As wasm2wat does: names from the name section become $identifiers.
  (void)wabt::ApplyNames(&module);
  wabt::MemoryStream stream;
  wabt::WriteWatOptions options;
  options.fold_exprs = foldExprs;
  options.inline_export = inlineExports;
  if (wabt::Failed(wabt::WriteWat(&stream, &module, options)))
    return makeError(ErrorCode::Internal, "wabt failed to write the text format");
  const auto& data = stream.output_buffer().data;
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace wasmops::validate
