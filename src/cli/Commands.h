#pragma once
// One function per command; each prints its own output and returns the exit
// status (0 ok, 1 failure, 2 usage; see docs/errors.md).
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::cli {

struct InspectOptions {
  std::string file;
  bool json = false;
};
int runInspect(const InspectOptions& options);

struct PrintOptions {
  std::string file;
  std::string output;  // empty: stdout
  bool foldExprs = false;
  bool inlineExports = false;
};
int runPrint(const PrintOptions& options);

struct ValidateOptions {
  std::vector<std::string> files;
  bool json = false;
};
int runValidate(const ValidateOptions& options);

// Prints a located error to stderr ("wasmops: FILE:0x1a: message").
int reportError(const Error& error);

}  // namespace wasmops::cli
