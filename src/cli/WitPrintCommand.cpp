#include "cli/Commands.h"

namespace wasmops::cli {

// Scaffolding for this session's work on issue 19 item 3; replaced before it lands.
int runWitPrint(const WitOptions&) {
  return reportError(Error{ErrorCode::Unsupported, "wit: not implemented yet"});
}

}  // namespace wasmops::cli
