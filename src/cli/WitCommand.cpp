#include "cli/Commands.h"

namespace wasmops::cli {

int runWit(const WitOptions& options) { return options.check ? runWitCheck(options) : runWitPrint(options); }

}  // namespace wasmops::cli
