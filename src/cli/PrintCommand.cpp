#include <cstdio>
#include <fstream>

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "cli/Commands.h"
#include "component/ComponentText.h"
#include "cli/InputFile.h"
#include "validate/Validator.h"
#include "validate/WabtBridge.h"

namespace wasmops::cli {
namespace {

// A component prints if it decodes (as `wasm-tools print`); its nested core
// modules go through wabt, which checks each of them.
Expected<std::string> componentText(std::span<const std::uint8_t> bytes) {
  binary::ComponentDecodeOptions decode;
  decode.decodeModules = false;
  WASMOPS_TRY(auto component, binary::decodeComponent(bytes, decode));
  return component::printComponentText(component);
}

Expected<std::string> moduleText(std::span<const std::uint8_t> bytes, const PrintOptions& options) {
  // wabt's text writer assumes a valid module; validate first, with the same
  // guard as `validate`, so a bad input gets an error and never an abort.
  auto result = validate::validateBinary(bytes);
  if (!result.ok()) {
    Error e = result.diagnostics.front().toError();
    e.message = "cannot print: the module is " + std::string(validate::toString(result.verdict)) + ": " + e.message;
    return tl::unexpected(std::move(e));
  }
  auto wabt = validate::readAndValidateWithWabt(bytes, /*readNames=*/true);
  if (!wabt.diagnostics.empty()) return tl::unexpected(wabt.diagnostics.front().toError());
  return validate::writeWat(*wabt.module, options.foldExprs, options.inlineExports);
}

}  // namespace

int runPrint(const PrintOptions& options) {
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  auto preamble = binary::readPreamble(file->bytes());
  const bool component = preamble && preamble->kind == binary::BinaryKind::Component;
  auto text = component ? componentText(file->bytes()) : moduleText(file->bytes(), options);
  if (!text) return reportError(Error(text.error()).inFile(options.file));
  if (options.output.empty()) {
    std::fwrite(text->data(), 1, text->size(), stdout);
    return 0;
  }
  std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
  out << *text;
  out.close();
  if (!out) return reportError(Error(ErrorCode::Io, "cannot write the output file").inFile(options.output));
  return 0;
}

}  // namespace wasmops::cli
