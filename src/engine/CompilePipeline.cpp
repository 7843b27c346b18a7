// Engine::compile: compiler discovery, cache key, emit, compile, load.
#include <dlfcn.h>
#include <link.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "base/Sha256.h"
#include "engine/Engine.h"
#include "engine/MemoryReservation.h"
#include "validate/Validator.h"

namespace wasmops::engine {
namespace {

// The optimized tier splits by SplitPolicy{}; the fast tier keeps one unit,
// since tcc compiles a whole module in about the time of its pieces.
SplitPolicy defaultSplit(Tier tier) {
  SplitPolicy policy;
  if (tier == Tier::Fast) policy.maxUnits = 1;
  return policy;
}

// The C units are scratch input for the compiler, removed once it has run:
// no fsync and no rename (the artifact itself is stored atomically by
// ArtifactCache).
Expected<void> writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return makeError(ErrorCode::Io, "cannot write " + path);
  return {};
}

std::string hashText(const std::string& text) {
  return sha256Hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

// Key: the wasm, the compiler (program, fingerprint, flags), the runtime
// headers, the emitter version, the memory strategy and the number of units
// (no inlining across units).
std::string artifactKey(const std::string& wasmDigest, const Compiler& compiler, bool guardPages, std::size_t units) {
  static const std::string headersHash = hashText(runtimeHeaderText() + simdHeaderText()).substr(0, 8);
  return wasmDigest.substr(0, 40) + "-" + hashText(compiler.identity).substr(0, 8) + "-" + headersHash +
         fmt::format("-e{}-{}-u{}", kEmitterVersion, guardPages ? "guard" : "bounds", units);
}

// Emits the C units next to `soFile` (`<so>.c`, or `<so>.h` and `<so>.N.c`)
// and compiles them into it. The files stay on failure: the error names
// them, and a compile error is an emitter bug to report.
Expected<void> buildArtifact(const Compiler& compiler, const binary::Module& module, std::span<const std::uint8_t> bytes,
                             const std::vector<std::uint32_t>& unitStarts, unsigned jobs, const std::string& soFile) {
  const bool split = unitStarts.size() > 1;
  const std::string header = soFile + ".h";
  std::vector<std::string> units;
  EmitSink sink{[&](const std::string& text) { return writeFile(header, text); },
                [&](std::size_t unit, const std::string& text) {
                  units.push_back(split ? fmt::format("{}.{}.c", soFile, unit) : soFile + ".c");
                  return writeFile(units.back(), text);
                }};
  WASMOPS_TRY_VOID(emitUnits(module, bytes, unitStarts, std::filesystem::path(header).filename().string(), sink));
  WASMOPS_TRY_VOID(compileUnits(compiler, units, soFile, jobs));
  std::error_code ec;
  for (const auto& f : units) {
    std::filesystem::remove(f, ec);
    std::filesystem::remove(f + ".o", ec);
    std::filesystem::remove(f + ".log", ec);
  }
  std::filesystem::remove(header, ec);
  std::filesystem::remove(soFile + ".log", ec);
  return {};
}

// The executable segments of a loaded artifact, for the fault handler's
// "is this guest code" test.
Expected<void> findCodeRange(void* handle, std::uintptr_t& begin, std::uintptr_t& end) {
  link_map* map = nullptr;
  if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map) return makeError(ErrorCode::Internal, "dlinfo failed");
  struct Search {
    std::uintptr_t loadAddress;
    std::uintptr_t begin = UINTPTR_MAX, end = 0;
  } search{map->l_addr};
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        if (info->dlpi_addr != s->loadAddress) return 0;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
          s->begin = std::min<std::uintptr_t>(s->begin, info->dlpi_addr + ph.p_vaddr);
          s->end = std::max<std::uintptr_t>(s->end, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
        return 1;
      },
      &search);
  if (search.end == 0) return makeError(ErrorCode::Internal, "the artifact has no executable segment");
  begin = search.begin;
  end = search.end;
  return {};
}

}  // namespace

const char* toString(MemoryStrategy strategy) {
  switch (strategy) {
    case MemoryStrategy::Auto: return "auto";
    case MemoryStrategy::GuardPages: return "guard-pages";
    case MemoryStrategy::BoundsChecks: return "bounds-checks";
  }
  return "?";
}

Engine::Engine(EngineConfig config) : config_(std::move(config)), cache_(ArtifactCache::open(config_.cacheDir)) {}

Expected<std::shared_ptr<CompiledModule>> Engine::compile(std::span<const std::uint8_t> bytes, Lookup lookup) const {
  ModuleInput input(bytes);
  return compile(input, lookup);
}

Expected<std::shared_ptr<CompiledModule>> Engine::compile(ModuleInput& input, Lookup lookup) const {
  WASMOPS_TRY(auto compiler, findCompiler(config_.tier));
  const bool guardPages = config_.memory == MemoryStrategy::GuardPages ||
                          (config_.memory == MemoryStrategy::Auto && MemoryReservation::available());
  if (guardPages) {
    compiler.flags.emplace_back("-DWASMOPS_GUARD_PAGES=1");
    compiler.identity += " -DWASMOPS_GUARD_PAGES=1";
  }
  if (config_.background) compiler.niceness = 19;
  compiler.cancel = config_.cancel;
  // The sections are enough for the key (the partition into units needs only
  // the body sizes) and for a cached artifact, which was built from exactly
  // these bytes after they validated.
  WASMOPS_TRY(const binary::Module* sections, input.sections());
  const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  const auto unitStarts = partitionFunctions(*sections, config_.split.value_or(defaultSplit(config_.tier)), jobs);
  const std::string key = artifactKey(input.digest(), compiler, guardPages, unitStarts.size());
  std::optional<std::string> path = cache_.lookup(key);
  if (!path) {
    if (lookup == Lookup::CachedOnly) return makeError(ErrorCode::NotFound, "no cached artifact for this module and tier");
    WASMOPS_TRY(const binary::Module* module, input.decoded());
    auto verdict = validate::validateModule(*module, input.bytes());
    if (!verdict.ok()) return Unexpected(verdict.diagnostics.front().toError());
    WASMOPS_TRY_ASSIGN(path, cache_.getOrBuild(key, [&](const std::string& tmpSo) {
      return buildArtifact(compiler, *module, input.bytes(), unitStarts, jobs, tmpSo);
    }));
  }
  auto cm = std::shared_ptr<CompiledModule>(new CompiledModule());
  cm->bytes_.assign(input.bytes().begin(), input.bytes().end());
  WASMOPS_TRY(const binary::Module* decoded, input.sections());
  cm->module_ = *decoded;
  // Custom sections point into the bytes they were decoded from: re-point
  // them at the module's own copy, which lives as long as it does.
  for (auto& c : cm->module_.customs) c.payload = {cm->bytes_.data() + c.offset, c.payload.size()};
  cm->artifactPath_ = *path;
  cm->handle_ = ::dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!cm->handle_) return makeError(ErrorCode::Internal, fmt::format("cannot load {}: {}", *path, ::dlerror()));
  cm->desc_ = static_cast<const wasmops_module_desc*>(::dlsym(cm->handle_, "wasmops_module"));
  if (!cm->desc_ || cm->desc_->abi_version != WASMOPS_ABI_VERSION)
    return makeError(ErrorCode::Internal, "artifact " + *path + " has no wasmops_module of this ABI version");
  cm->guardPages_ = guardPages;
  WASMOPS_TRY_VOID(findCodeRange(cm->handle_, cm->codeBegin_, cm->codeEnd_));
  for (const auto& t : cm->module_.types)
    cm->typeIds_.push_back(t.kind == binary::CompositeKind::Func ? canonicalTypeId(t.func) : 0);
  return cm;
}

}  // namespace wasmops::engine
