#include <cstdio>
#include <fstream>

#include "binary/Preamble.h"
#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "validate/Validator.h"
#include "validate/WabtBridge.h"

namespace wasmops::cli {

int runPrint(const PrintOptions& options) {
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  // wabt's text writer assumes a valid module; validate first, with the same
  // guard as `validate`, so a bad input gets an error and never an abort.
  auto result = validate::validateBinary(file->bytes());
  if (result.kind == binary::BinaryKind::Component)
    return reportError(Error(ErrorCode::Unsupported,
                             "cannot print a component yet: only core modules can be printed as text for now")
                           .inFile(options.file));
  if (!result.ok()) {
    Error e = result.diagnostics.front().toError();
    e.message = "cannot print: the module is " + std::string(validate::toString(result.verdict)) + ": " + e.message;
    return reportError(std::move(e).inFile(options.file));
  }
  auto wabt = validate::readAndValidateWithWabt(file->bytes(), /*readNames=*/true);
  if (!wabt.diagnostics.empty()) return reportError(wabt.diagnostics.front().toError().inFile(options.file));
  auto text = validate::writeWat(*wabt.module, options.foldExprs, options.inlineExports);
  if (!text) return reportError(text.error());
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
