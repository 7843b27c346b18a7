#include <cstdio>

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "component/WitFromComponent.h"
#include "component/WitPrinter.h"
#include "validate/ComponentValidator.h"

namespace wasmops::cli {

int runWitPrint(const WitOptions& options) {
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  auto preamble = binary::readPreamble(file->bytes());
  if (!preamble) return reportError(Error(preamble.error()).inFile(options.file));
  if (preamble->kind != binary::BinaryKind::Component)
    return reportError(Error(ErrorCode::Invalid, "a core module has no WIT world: `wit` reads components (inspect shows "
                                                 "a module's imports and exports)")
                           .inFile(options.file));
  auto decoded = binary::decodeComponent(file->bytes());
  if (!decoded) return reportError(Error(decoded.error()).inFile(options.file));
  // The world is read from the component's types, so they must make sense
  // first. A nested core module using features beyond what the validator
  // knows (GC, exceptions: Kotlin's components) does not change the world,
  // and the WIT decoder copes with unchecked types without crashing.
  auto verdict = validate::validateComponent(*decoded, file->bytes());
  if (!verdict.ok() && verdict.verdict != validate::Verdict::Unsupported) {
    Error e = verdict.diagnostics.front().toError();
    e.message = "the component is invalid: " + e.message;
    return reportError(std::move(e).inFile(options.file));
  }
  auto doc = component::witOfComponent(*decoded);
  if (!doc) {
    Error e = doc.error();
    e.message = "cannot describe the component in WIT: " + e.message;
    return reportError(std::move(e).inFile(options.file));
  }
  const std::string text = component::printWit(*doc);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace wasmops::cli
