#include "binary/Inspection.h"

#include <fmt/format.h>

#include <algorithm>

#include "binary/ComponentDecoder.h"
#include "binary/ModuleDecoder.h"

namespace wasmops::binary {

const char* toString(ModuleClass c) {
  switch (c) {
    case ModuleClass::WasiCommand: return "wasi-command";
    case ModuleClass::WasiReactor: return "wasi-reactor";
    case ModuleClass::Library: return "library";
    case ModuleClass::Other: return "other";
  }
  return "other";
}

static bool isWasiPreview1(const std::string& module) {
  return module == "wasi_snapshot_preview1" || module == "wasi_unstable";
}

Classification classify(const Module& m) {
  bool wasi = false;
  std::vector<std::string> hostModules;
  for (const auto& imp : m.imports) {
    if (isWasiPreview1(imp.module)) {
      wasi = true;
    } else if (std::find(hostModules.begin(), hostModules.end(), imp.module) == hostModules.end()) {
      hostModules.push_back(imp.module);
    }
  }
  auto exportsFunc = [&](const char* name) {
    for (const auto& e : m.exports)
      if (e.kind == ExternKind::Func && e.name == name) return true;
    return false;
  };
  std::string extra;
  if (!hostModules.empty()) {
    extra = "; also imports from ";
    for (std::size_t i = 0; i < hostModules.size(); ++i) extra += (i ? ", " : "") + hostModules[i];
  }
  if (exportsFunc("_start"))
    return {ModuleClass::WasiCommand,
            std::string("exports _start") + (wasi ? " and imports wasi_snapshot_preview1" : "") + extra};
  if (exportsFunc("_initialize")) return {ModuleClass::WasiReactor, "exports _initialize" + extra};
  if (wasi && hostModules.empty()) return {ModuleClass::WasiReactor, "imports wasi_snapshot_preview1 without _start"};
  if (hostModules.empty()) return {ModuleClass::Library, wasi ? "" : "imports nothing from a host"};
  return {ModuleClass::Other, "no _start or _initialize" + extra};
}

Expected<Inspection> inspectBinary(std::span<const std::uint8_t> bytes) {
  WASMOPS_TRY(auto preamble, readPreamble(bytes));
  Inspection out;
  out.kind = preamble.kind;
  out.fileSize = bytes.size();
  const std::vector<CustomSection>* customs = nullptr;
  if (preamble.kind == BinaryKind::Component) {
    if (preamble.version == kComponentVersion) {
      WASMOPS_TRY_ASSIGN(out.decoded, decodeComponent(bytes));
      out.component = summarize(*out.decoded);
      out.world = describeWorld(*out.decoded);
    } else {
      // Other (pre-standard) versions encode sections differently: list them only.
      WASMOPS_TRY_ASSIGN(out.component, walkComponent(bytes));
      out.warnings.push_back(fmt::format("component version 0x{:x}: only its top-level sections are listed (the decoder reads 0x{:x})",
                                         preamble.version, kComponentVersion));
    }
    customs = &out.component.customs;
  } else {
    WASMOPS_TRY_ASSIGN(out.module, decodeModule(bytes));
    out.classification = classify(out.module);
    customs = &out.module.customs;
  }
  for (const auto& c : *customs) {
    // A component's `name` section has its own format (component-name), not the core one.
    if (c.name == "name" && !out.names && preamble.kind == BinaryKind::CoreModule) {
      out.names = readNameSection(c);
      if (out.names->warning) out.warnings.push_back("name section: " + *out.names->warning);
    } else if (c.name == "producers" && !out.producers) {
      out.producers = readProducersSection(c);
      if (out.producers->warning) out.warnings.push_back("producers section: " + *out.producers->warning);
    } else if (c.name == "target_features" && !out.targetFeatures) {
      out.targetFeatures = readTargetFeaturesSection(c);
      if (out.targetFeatures->warning)
        out.warnings.push_back("target_features section: " + *out.targetFeatures->warning);
    }
  }
  return out;
}

std::string functionDisplayName(const Inspection& insp, std::uint32_t index) {
  for (const auto& e : insp.module.exports)
    if (e.kind == ExternKind::Func && e.index == index) return e.name;
  if (insp.names)
    if (const auto* n = insp.names->functionName(index)) return *n;
  return fmt::format("func[{}]", index);
}

}  // namespace wasmops::binary
