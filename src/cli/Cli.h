#pragma once

namespace wasmops::cli {

// The whole command line: parses arguments and dispatches to a command.
int run(int argc, char** argv);

}  // namespace wasmops::cli
