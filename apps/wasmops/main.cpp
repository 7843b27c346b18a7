#include "cli/Cli.h"

int main(int argc, char** argv) { return wasmops::cli::run(argc, argv); }
