#include "cli/InputFile.h"

#include <sys/stat.h>

#include "cli/RegistrySettings.h"
#include "oci/ContentStore.h"
#include "oci/Pull.h"

namespace wasmops::cli {

Expected<MappedFile> openInput(const std::string& path) {
  auto file = MappedFile::open(path);
  if (!file) return Unexpected(std::move(file.error()).inFile(path));
  return file;
}

namespace {

// registry.example/..., host:port/..., localhost/...: the first component names a registry.
bool namesRegistry(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  const std::string first = text.substr(0, slash);
  return first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost";
}

}  // namespace

Expected<MappedFile> openInputOrReference(const std::string& text) {
  struct stat st {};
  if (::stat(text.c_str(), &st) == 0 || !namesRegistry(text)) return openInput(text);
  auto ref = oci::Reference::parse(text);
  if (!ref) return openInput(text);  // not a reference either: "no such file" is the clearer message
  WASMOPS_TRY(auto registry, registryOptionsFor(ref->registry, false));
  WASMOPS_TRY(auto store, oci::ContentStore::open(oci::ContentStore::defaultRoot()));
  oci::PullOptions pull;
  pull.registry = std::move(registry);
  pull.outputDir.clear();
  auto pulled = oci::pullWasm(*ref, store, pull);
  if (!pulled) return Unexpected(std::move(pulled.error()).inFile(text));
  auto file = MappedFile::open(pulled->file);
  if (!file) return Unexpected(std::move(file.error()).inFile(text));
  return file;
}

}  // namespace wasmops::cli
