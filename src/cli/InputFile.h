#pragma once
// Opens a command's input: a mapped file, with errors that name it, or a
// module in an OCI registry.
#include <string>

#include "base/MappedFile.h"

namespace wasmops::cli {

Expected<MappedFile> openInput(const std::string& path);

// A file, or else a reference that names its registry (ghcr.io/org/app:1.0,
// localhost:5000/app@sha256:...): pulled into the local content store
// (verified, cached) and read from there. A bare name ("app") is only ever a
// file, so a mistyped path never turns into a Docker Hub download.
Expected<MappedFile> openInputOrReference(const std::string& text);

}  // namespace wasmops::cli
