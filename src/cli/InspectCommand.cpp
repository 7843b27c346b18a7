#include <cstdio>

#include "binary/Inspection.h"
#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "cli/InspectReport.h"

namespace wasmops::cli {

int runInspect(const InspectOptions& options) {
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  auto insp = binary::inspectBinary(file->bytes());
  if (!insp) return reportError(Error(insp.error()).inFile(options.file));
  insp->sha256 = file->sha256();
  std::string out = options.json ? inspectionToJson(*insp, options.file).dump(2) + "\n"
                                 : inspectionToText(*insp, options.file);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace wasmops::cli
