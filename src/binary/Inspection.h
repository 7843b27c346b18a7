#pragma once
// The `inspect` model: what a binary is and holds, built from the decoders
// in this layer. Rendering (table, JSON) belongs to the CLI.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
#include "binary/ComponentWalker.h"
#include "binary/ComponentWorld.h"
#include "binary/CustomSections.h"
#include "binary/Module.h"
#include "binary/Preamble.h"

namespace wasmops::binary {

enum class ModuleClass : std::uint8_t { WasiCommand, WasiReactor, Library, Other };
const char* toString(ModuleClass c);

struct Classification {
  ModuleClass kind = ModuleClass::Other;
  std::string reason;
};

// Command: exports `_start`; reactor: exports `_initialize`, or imports WASI
// preview1 without `_start`; library: imports nothing outside WASI;
// other: needs imports from a host-specific module (env, bench, ...).
Classification classify(const Module& module);

struct Inspection {
  BinaryKind kind = BinaryKind::CoreModule;
  std::uint64_t fileSize = 0;
  std::string sha256;             // set by the caller, who owns the bytes
  Module module;                 // kind == CoreModule
  ComponentSummary component;    // kind == Component: top-level sections
  std::optional<Component> decoded;  // kind == Component, when its version is the one the decoder reads
  ComponentWorld world;              // of `decoded`: its imports and exports
  std::optional<NameSection> names;
  std::optional<ProducersSection> producers;
  std::optional<TargetFeaturesSection> targetFeatures;
  Classification classification;
  std::vector<std::string> warnings;
};

Expected<Inspection> inspectBinary(std::span<const std::uint8_t> bytes);

// Display name of function `index`: its export name, else its `name` section
// name, else `func[index]`.
std::string functionDisplayName(const Inspection& insp, std::uint32_t index);

}  // namespace wasmops::binary
