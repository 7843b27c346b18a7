// component_prefix_check FILE...: decodes each component, then every proper
// prefix of it. A prefix must either fail with an error located at or before
// its end, or (cut exactly between sections) decode as a shorter component.
// Run by tests/cli/component_inspect_test.py over real components built with
// jco; crashes and sanitizer reports show up as a failed test.
#include <cstdio>
#include <string>

#include "base/MappedFile.h"
#include "binary/ComponentDecoder.h"

using namespace wasmops;

namespace {

bool checkFile(const std::string& path) {
  auto file = MappedFile::open(path);
  if (!file) {
    std::fprintf(stderr, "%s\n", file.error().format().c_str());
    return false;
  }
  const auto bytes = file->bytes();
  auto whole = binary::decodeComponent(bytes);
  if (!whole) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), whole.error().format().c_str());
    return false;
  }
  std::size_t located = 0, boundaries = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = binary::decodeComponent(bytes.first(n));
    if (r) {
      ++boundaries;
      continue;
    }
    if (!r.error().offset || *r.error().offset > n) {
      std::fprintf(stderr, "%s: prefix of %zu bytes: error not located within the prefix: %s\n", path.c_str(), n,
                   r.error().format().c_str());
      return false;
    }
    ++located;
  }
  std::printf("%s: %zu prefixes, %zu located errors, %zu decode (cut between sections)\n", path.c_str(), bytes.size(),
              located, boundaries);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMPONENT.wasm...\n", argv[0]);
    return 2;
  }
  bool ok = true;
  for (int i = 1; i < argc; ++i) ok = checkFile(argv[i]) && ok;
  return ok ? 0 : 1;
}
