// Instantiation cost on the engine API: a fresh Store and instance per
// iteration, as the HTTP host makes one per request. Times each iteration
// (steady clock) and prints one JSON line with percentiles.
//
// Usage: instantiate_bench [--tier fast|optimized] [--cache-dir DIR] [--iterations N] [--live N] MODULE.wasm
//
//   instantiate_ns  Store construction + Store::instantiate (imports: none)
//   destroy_ns      the Store's destruction (memory back to its pool)
//   --live N        density: N instances (one store each) alive at once:
//                   time to create them, resident set and mappings before
//                   and after
//
//   instantiate_bench --load-all [--tier T] [--cache-dir DIR] MODULE.wasm...
//                   density of code: every module loaded (from the artifact
//                   cache when it has them) and instantiated once, all kept
//                   alive: time, resident set, mappings
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/MappedFile.h"
#include "engine/Runtime.h"

using namespace wasmops;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

int mappingCount() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  int n = 0;
  while (std::getline(maps, line)) ++n;
  return n;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int loadAll(const std::string& tier, const std::string& cacheDir, const std::vector<std::string>& files) {
  auto t = engine::parseTier(tier);
  if (!t) return 2;
  engine::Engine eng(engine::EngineConfig{.tier = *t, .cacheDir = cacheDir});
  auto none = [](const std::string&, const std::string&) -> std::optional<engine::Extern> { return std::nullopt; };
  const auto rss0 = residentBytes();
  const auto maps0 = mappingCount();
  std::vector<std::shared_ptr<engine::CompiledModule>> modules;
  std::vector<std::unique_ptr<engine::Store>> stores;
  int cached = 0;
  const auto t0 = Clock::now();
  for (const auto& f : files) {
    auto bytes = MappedFile::open(f);
    if (!bytes) return 1;
    const bool hit = static_cast<bool>(eng.compile(bytes->bytes(), engine::Engine::Lookup::CachedOnly));
    cached += hit ? 1 : 0;
    auto cm = eng.compile(bytes->bytes());
    if (!cm) {
      std::fprintf(stderr, "instantiate_bench: %s: %s\n", f.c_str(), cm.error().format().c_str());
      return 1;
    }
    auto store = std::make_unique<engine::Store>();
    if (!store->instantiate(*cm, none)) return 1;
    modules.push_back(*cm);
    stores.push_back(std::move(store));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("{\"modules\":%zu,\"cached\":%d,\"seconds\":%.3f,\"rss_delta_bytes\":%lld,\"maps_delta\":%d}\n", files.size(),
              cached, seconds, static_cast<long long>(residentBytes()) - static_cast<long long>(rss0), mappingCount() - maps0);
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--load-all") {
    std::string tier = "fast", cacheDir;
    std::vector<std::string> files;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--tier" && i + 1 < argc) tier = argv[++i];
      else if (a == "--cache-dir" && i + 1 < argc) cacheDir = argv[++i];
      else files.push_back(a);
    }
    return loadAll(tier, cacheDir, files);
  }
  std::string tier = "optimized", cacheDir, file;
  int iterations = 20000;
  int live = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--tier" && i + 1 < argc) tier = argv[++i];
    else if (a == "--cache-dir" && i + 1 < argc) cacheDir = argv[++i];
    else if (a == "--iterations" && i + 1 < argc) iterations = std::max(1, std::atoi(argv[++i]));
    else if (a == "--live" && i + 1 < argc) live = std::max(0, std::atoi(argv[++i]));
    else if (file.empty()) file = a;
    else {
      std::fprintf(stderr, "usage: instantiate_bench [--tier fast|optimized] [--cache-dir DIR] [--iterations N] MODULE.wasm\n");
      return 2;
    }
  }
  auto t = engine::parseTier(tier);
  auto bytes = MappedFile::open(file);
  if (!t || !bytes || file.empty()) {
    std::fprintf(stderr, "instantiate_bench: bad tier or unreadable module\n");
    return 2;
  }
  engine::Engine eng(engine::EngineConfig{.tier = *t, .cacheDir = cacheDir});
  auto cm = eng.compile(bytes->bytes());
  if (!cm) {
    std::fprintf(stderr, "instantiate_bench: %s\n", cm.error().format().c_str());
    return 1;
  }
  auto none = [](const std::string&, const std::string&) -> std::optional<engine::Extern> { return std::nullopt; };
  std::vector<double> inst, destroy;
  inst.reserve(static_cast<std::size_t>(iterations));
  destroy.reserve(static_cast<std::size_t>(iterations));
  std::uint64_t check = 0;
  for (int i = 0; i < iterations + 100; ++i) {  // the first 100 warm the pool and caches
    const auto t0 = Clock::now();
    auto* store = new engine::Store();
    auto instance = store->instantiate(*cm, none);
    const auto t1 = Clock::now();
    if (!instance) {
      std::fprintf(stderr, "instantiate_bench: %s\n", instance.error().message.c_str());
      return 1;
    }
    // Touch the memory as a request would (and keep the optimizer honest).
    auto mem = (*instance)->memoryBytes("memory");
    if (!mem.empty()) {
      check += mem[mem.size() / 2];
      mem[0] = static_cast<std::uint8_t>(i);
    }
    const auto t2 = Clock::now();
    delete store;
    const auto t3 = Clock::now();
    if (i >= 100) {
      inst.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
      destroy.push_back(std::chrono::duration<double, std::nano>(t3 - t2).count());
    }
  }
  std::string density;
  if (live > 0) {
    const auto rss0 = residentBytes();
    const auto maps0 = mappingCount();
    std::vector<std::unique_ptr<engine::Store>> stores;
    stores.reserve(static_cast<std::size_t>(live));
    const auto t0 = Clock::now();
    for (int i = 0; i < live; ++i) {
      auto store = std::make_unique<engine::Store>();
      auto instance = store->instantiate(*cm, none);
      if (!instance) {
        std::fprintf(stderr, "instantiate_bench: instance %d: %s\n", i, instance.error().message.c_str());
        return 1;
      }
      auto mem = (*instance)->memoryBytes("memory");
      if (!mem.empty()) mem[0] = 1;  // one written page each, as a live instance has
      stores.push_back(std::move(store));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    density = fmt::format(",\"live\":{},\"live_seconds\":{:.4f},\"live_rss_delta_bytes\":{},\"live_maps_delta\":{}",
                          live, seconds, static_cast<long long>(residentBytes()) - static_cast<long long>(rss0),
                          mappingCount() - maps0);
  }
  std::printf(
      "{\"module\":\"%s\",\"tier\":\"%s\",\"memory_image\":%s,\"iterations\":%d,\"instantiate_ns_p50\":%.0f,"
      "\"instantiate_ns_p99\":%.0f,\"destroy_ns_p50\":%.0f,\"destroy_ns_p99\":%.0f,\"check\":%llu%s}\n",
      file.c_str(), tier.c_str(), (*cm)->memoryImage() ? "true" : "false", iterations, percentile(inst, 0.5),
      percentile(inst, 0.99), percentile(destroy, 0.5), percentile(destroy, 0.99), static_cast<unsigned long long>(check),
      density.c_str());
  return 0;
}
