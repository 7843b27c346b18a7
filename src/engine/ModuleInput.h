#pragma once
// The bytes of one module on their way through the engine. However many
// artifacts are looked up for them (the tier policy tries the optimized one,
// then the fast one, then compiles), they are hashed once and decoded at
// most once: the sections first (enough for a cache key and a cached
// artifact), the function bodies only when an artifact has to be built.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::engine {

class ModuleInput {
 public:
  explicit ModuleInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  ModuleInput(const ModuleInput&) = delete;
  ModuleInput& operator=(const ModuleInput&) = delete;

  std::span<const std::uint8_t> bytes() const { return bytes_; }
  // sha256 of the bytes in hex, computed on first use.
  const std::string& digest();
  // Every section decoded, function bodies only sized (first use decodes).
  Expected<const binary::Module*> sections();
  // The instruction pass over every body as well (first use runs it).
  Expected<const binary::Module*> decoded();
  // How often each stage ran: tests hold the engine to "once".
  struct Counts {
    int hashes = 0, sectionDecodes = 0, bodyDecodes = 0;
  };
  const Counts& counts() const { return counts_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::optional<std::string> digest_;
  std::optional<Expected<binary::Module>> module_;
  bool bodiesDecoded_ = false;
  std::optional<Error> bodyError_;
  Counts counts_;
};

}  // namespace wasmops::engine
