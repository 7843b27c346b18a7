#pragma once
// Media types wasmops writes or recognises.
#include <string_view>

namespace wasmops::oci::media {

inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

// CNCF TAG-Runtime wasm artifact (what wkg and wash push).
inline constexpr std::string_view kWasmConfig = "application/vnd.wasm.config.v0+json";
inline constexpr std::string_view kWasmLayer = "application/wasm";
// Layer types other tools use for a wasm binary; accepted on pull.
inline constexpr std::string_view kWasmContentLayer = "application/vnd.wasm.content.layer.v1+wasm";
inline constexpr std::string_view kWasmToOciLayer = "application/vnd.module.wasm.content.layer.v1+wasm";
// Spin applications (spinframework/spin crates/oci/src/client.rs): the locked
// application (a layer now; the config blob in the older layout), file
// layers, and the archive layer Spin uses past 500 layers (not supported).
inline constexpr std::string_view kSpinApplication = "application/vnd.fermyon.spin.application.v1+config";
inline constexpr std::string_view kWasmDataLayer = "application/vnd.wasm.content.layer.v1+data";
inline constexpr std::string_view kSpinArchiveLayer = "application/vnd.wasm.content.bundle.v1.tar+gzip";
inline constexpr std::string_view kOciImageConfig = "application/vnd.oci.image.config.v1+json";

inline constexpr std::string_view kManifestAccept =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

inline bool isWasmLayer(std::string_view type) {
  return type == kWasmLayer || type == kWasmContentLayer || type == kWasmToOciLayer;
}
inline bool isIndex(std::string_view type) {
  return type == kOciIndex || type == kDockerManifestList;
}

}  // namespace wasmops::oci::media
