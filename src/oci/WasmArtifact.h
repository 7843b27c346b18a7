#pragma once
// The CNCF TAG-Runtime wasm OCI artifact (what wkg and wasmCloud's wash push):
// a config of type application/vnd.wasm.config.v0+json
//   {"created":..., "architecture":"wasm", "os":"wasip1"|"wasip2",
//    "layerDigests":[...], "component":{"exports":[...],"imports":[...]}}
// one application/wasm layer, and an OCI image manifest whose artifactType is
// the config type. JSON is written deterministically (fixed key order, no
// spaces), so the same input, time and annotations give the same digests.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/Digest.h"
#include "oci/ComponentConfig.h"

#include <nlohmann/json.hpp>

namespace wasmops::oci {

struct Descriptor {
  std::string mediaType;
  base::Digest digest;
  std::uint64_t size = 0;
};

using Json = nlohmann::ordered_json;

// A descriptor as OCI JSON writes it, and read back with located errors
// ("what": the document, "field": where in it).
Json descriptorJson(const Descriptor& d);
Expected<Descriptor> readDescriptor(const Json& j, const std::string& what, const std::string& field);

struct WasmArtifact {
  std::string kind;                          // "module" or "component"
  std::string os;                            // "wasip1" or "wasip2"
  std::optional<ComponentConfig> component;  // components only: the config's `component` member
  std::string config;
  Descriptor configDescriptor;
  Descriptor layer;
  std::string manifest;
  base::Digest manifestDigest;
};

// `created` is RFC 3339 UTC ("2025-01-31T12:00:00Z"); `annotations` go on the
// manifest after org.opencontainers.image.created. A component is decoded
// (not validated) for its world's names; one that does not decode is an
// error located in the file.
Expected<WasmArtifact> buildWasmArtifact(std::span<const std::uint8_t> wasm, const std::string& created,
                                         const std::map<std::string, std::string>& annotations);

// Now, or $SOURCE_DATE_EPOCH when set (reproducible builds), as RFC 3339 UTC.
Expected<std::string> creationTime();

// What pull needs from a manifest: its config and the one wasm layer.
struct ParsedManifest {
  Descriptor config;
  Descriptor wasmLayer;
  std::string artifactType;
};
// Accepts OCI and Docker v2 image manifests with exactly one wasm layer
// (application/wasm or the older wasm layer types); says plainly when the
// artifact is an application or has no wasm layer.
Expected<ParsedManifest> parseWasmManifest(const std::string& bytes, const std::string& what);

// For an index: the digest of the entry for wasm (architecture "wasm" or os
// wasip1/wasip2), else the only entry.
Expected<Descriptor> selectFromIndex(const std::string& bytes, const std::string& what);

}  // namespace wasmops::oci
