// Instantiating a prepared component, as the HTTP host does per request: a
// component decoded and prepared once, a WASI 0.2 + wasi:http linker defined
// once, then per iteration a fresh Store (bound to one Preview2Host) and one
// instantiation. Only the instantiation is timed and its allocations counted
// (operator new, on this thread); the store's creation and destruction are not.
//
// Usage: component_instantiate_bench [--tier fast|optimized] [--cache-dir DIR] [--iterations N]
//                                    [--mode linker|linked] COMPONENT.wasm...
//
// Prints one JSON line per component and way of instantiating:
//   mode            "linker": ComponentInstance::instantiate(prepared, store, linker)
//                   (links every time); "linked": ComponentInstance::instantiate(linked, store)
//                   with linked = prepared->link(linker) once (link_us: that once)
//   median_us, p90_us, min_us   per instantiation
//   allocations, alloc_bytes    operator new calls and bytes per instantiation (median)
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "binary/ComponentDecoder.h"
#include "component/ComponentInstance.h"
#include "engine/Engine.h"
#include "engine/Store.h"
#include "wasi/Preview2Host.h"

namespace {

// Allocation counting: every operator new of this thread while `counting`.
thread_local bool counting = false;
thread_local std::uint64_t allocations = 0, allocBytes = 0;

void* allocate(std::size_t n) {
  if (counting) {
    ++allocations;
    allocBytes += n;
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace wasmops;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  double us;
  std::uint64_t allocations, bytes;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// Runs `instantiate` `iterations` times, each in a fresh store bound to `host`.
bool measure(
    const std::string& name, const char* mode, int iterations, wasi::Preview2Host& host,
    const std::function<Expected<std::unique_ptr<component::ComponentInstance>>(engine::Store&)>& instantiate) {
  std::vector<Sample> samples;
  for (int i = 0; i < iterations + 3; ++i) {  // three warm-ups
    auto store = std::make_unique<engine::Store>(engine::Store::Limits{});
    host.bind(*store);
    allocations = allocBytes = 0;
    counting = true;
    const auto t0 = Clock::now();
    auto instance = instantiate(*store);
    const auto t1 = Clock::now();
    counting = false;
    if (!instance) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), instance.error().format().c_str());
      return false;
    }
    if (i >= 3)
      samples.push_back({std::chrono::duration<double, std::micro>(t1 - t0).count(), allocations, allocBytes});
    instance->reset();
    store.reset();
  }
  std::vector<double> us, allocs, bytes;
  for (const auto& s : samples) {
    us.push_back(s.us);
    allocs.push_back(static_cast<double>(s.allocations));
    bytes.push_back(static_cast<double>(s.bytes));
  }
  std::printf(
      "%s\n",
      fmt::format("{{\"component\":\"{}\",\"mode\":\"{}\",\"iterations\":{},\"median_us\":{:.1f},\"p90_us\":{:.1f},"
                  "\"min_us\":{:.1f},\"allocations\":{:.0f},\"alloc_bytes\":{:.0f}}}",
                  name, mode, iterations, percentile(us, 0.5), percentile(us, 0.9), percentile(us, 0.0),
                  percentile(allocs, 0.5), percentile(bytes, 0.5))
          .c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string tier = "fast", cacheDir, only;
  int iterations = 200;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--tier" && i + 1 < argc)
      tier = argv[++i];
    else if (a == "--cache-dir" && i + 1 < argc)
      cacheDir = argv[++i];
    else if (a == "--iterations" && i + 1 < argc)
      iterations = std::max(1, std::atoi(argv[++i]));
    else if (a == "--mode" && i + 1 < argc)
      only = argv[++i];
    else
      files.push_back(a);
  }
  if (files.empty()) {
    std::fprintf(stderr,
                 "usage: component_instantiate_bench [--tier fast|optimized] [--cache-dir DIR] [--iterations N] "
                 "[--mode linker|linked] "
                 "COMPONENT.wasm...\n");
    return 2;
  }
  engine::EngineConfig config;
  config.tier = tier == "optimized" ? engine::Tier::Optimized : engine::Tier::Fast;
  if (!cacheDir.empty()) config.cacheDir = cacheDir;
  engine::Engine engine(config);
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 2;
    }
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    auto decoded = binary::decodeComponent(bytes);
    if (!decoded) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), decoded.error().format().c_str());
      return 1;
    }
    auto prepared = component::PreparedComponent::prepare(*decoded, engine);
    if (!prepared) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), prepared.error().format().c_str());
      return 1;
    }
    // One linker for every instance (the HTTP host's way): functions defined
    // once find each store's host through Store::hostData.
    auto host = wasi::Preview2Host::create(embed::WasiConfig{});
    component::ComponentLinker linker;
    if (!host || !(*host)->define(linker) || !(*host)->defineHttp(linker, 1 << 20)) {
      std::fprintf(stderr, "WASI host setup failed\n");
      return 1;
    }
    const std::string name = path.substr(path.find_last_of('/') + 1);
    const auto& p = **prepared;
    if (only != "linked" && !measure(name, "linker", iterations, **host, [&](engine::Store& store) {
          return component::ComponentInstance::instantiate(p, store, linker);
        }))
      return 1;
    const auto t0 = Clock::now();
    auto linked = p.link(linker);
    const auto t1 = Clock::now();
    if (!linked) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), linked.error().format().c_str());
      return 1;
    }
    std::printf("{\"component\":\"%s\",\"link_us\":%.1f}\n", name.c_str(),
                std::chrono::duration<double, std::micro>(t1 - t0).count());
    if (only != "linker" && !measure(name, "linked", iterations, **host, [&](engine::Store& store) {
          return component::ComponentInstance::instantiate(**linked, store);
        }))
      return 1;
  }
  return 0;
}
