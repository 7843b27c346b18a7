#pragma once
// Opens a command's input: a mapped file, with errors that name it.
#include <string>

#include "base/MappedFile.h"

namespace wasmops::cli {

Expected<MappedFile> openInput(const std::string& path);

}  // namespace wasmops::cli
