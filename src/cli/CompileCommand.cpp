#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "component/ComponentInstance.h"
#include "engine/Runtime.h"

namespace wasmops::cli {
namespace {

// A component's core modules compiled into the cache, one artifact path per
// line: `run` of the component then finds them all there.
int compileComponent(const CompileOptions& options, std::span<const std::uint8_t> bytes, engine::Engine& eng,
                     engine::Tier tier) {
  if (!options.output.empty())
    return reportError(Error(ErrorCode::Usage, "-o takes a core module; a component's modules go into the artifact cache")
                           .inFile(options.file));
  auto component = binary::decodeComponent(bytes);
  if (!component) return reportError(Error(component.error()).inFile(options.file));
  const auto start = std::chrono::steady_clock::now();
  auto prepared = component::PreparedComponent::prepare(*component, eng);
  if (!prepared) return reportError(Error(prepared.error()).inFile(options.file));
  const auto& modules = (*prepared)->modules();
  for (const auto& [nested, compiled] : modules) std::printf("%s\n", compiled->artifactPath().c_str());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "compiled %s (%zu core modules, %s tier) in %.0f ms\n", options.file.c_str(), modules.size(),
               engine::toString(tier), ms);
  return 0;
}

}  // namespace

int runCompile(const CompileOptions& options) {
  auto tier = engine::parseTier(options.tier);
  if (!tier) return reportError(tier.error());
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  engine::EngineConfig config{.tier = *tier, .cacheDir = options.cacheDir};
  engine::Engine eng(config);
  if (auto preamble = binary::readPreamble(file->bytes()); preamble && preamble->kind == binary::BinaryKind::Component)
    return compileComponent(options, file->bytes(), eng, *tier);
  const auto start = std::chrono::steady_clock::now();
  auto compiled = eng.compile(file->bytes());
  if (!compiled) return reportError(Error(compiled.error()).inFile(options.file));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::string artifact = (*compiled)->artifactPath();
  if (!options.output.empty()) {
    std::error_code ec;
    std::filesystem::copy_file(artifact, options.output, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return reportError(Error(ErrorCode::Io, "cannot write the artifact: " + ec.message()).inFile(options.output));
    artifact = options.output;
  }
  std::printf("%s\n", artifact.c_str());
  std::fprintf(stderr, "compiled %s (%s tier) in %.0f ms\n", options.file.c_str(), engine::toString(*tier), ms);
  return 0;
}

int runCache(const CacheOptions& options) {
  auto cache = engine::ArtifactCache::open(options.cacheDir);
  if (options.action == "ls") {
    for (const auto& e : cache.list()) std::printf("%s  %llu  %s\n", e.key.c_str(), static_cast<unsigned long long>(e.size), e.path.c_str());
    return 0;
  }
  if (options.action == "size") {
    auto entries = cache.list();
    std::printf("%zu artifacts, %llu bytes in %s\n", entries.size(), static_cast<unsigned long long>(cache.totalSize()),
                cache.dir().c_str());
    return 0;
  }
  if (options.action == "clear") {
    auto n = cache.clear();
    if (!n) return reportError(n.error());
    std::printf("removed %zu artifacts from %s\n", *n, cache.dir().c_str());
    return 0;
  }
  return reportError(Error(ErrorCode::Usage, "unknown cache action '" + options.action + "' (use ls, size or clear)"));
}

}  // namespace wasmops::cli
