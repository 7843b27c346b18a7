#include "cli/InputFile.h"

namespace wasmops::cli {

Expected<MappedFile> openInput(const std::string& path) {
  auto file = MappedFile::open(path);
  if (!file) return Unexpected(std::move(file.error()).inFile(path));
  return file;
}

}  // namespace wasmops::cli
