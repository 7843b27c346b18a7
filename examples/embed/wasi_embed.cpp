// Embedding wasmops with WASI: run a WASI command module inside your
// program, with its own arguments, environment and one directory.
// Usage: wasi_embed FILE.wasm DIR [ARGS...]   (DIR is the guest's "/")
#include <wasmops/engine.h>
#include <wasmops/wasi.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE.wasm DIR [ARGS...]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::uint8_t> wasm{std::istreambuf_iterator<char>(in), {}};

  using namespace wasmops::embed;
  Engine engine(Tier::Fast);
  auto module = engine.compile(wasm);
  if (!module) {
    std::fprintf(stderr, "compile: %s\n", module.error.c_str());
    return 1;
  }

  WasiConfig config;
  config.args.assign(argv + 1, argv + argc);  // argv[0] of the guest: the module path
  config.args.erase(config.args.begin() + 1);  // not DIR
  config.env = {"GREETING=hello"};
  config.preopens.push_back({argv[2], "/", /*readOnly=*/true});
  auto wasi = Wasi::create(config);  // fails on a missing directory
  if (!wasi) {
    std::fprintf(stderr, "wasi: %s\n", wasi.error.c_str());
    return 1;
  }

  Store store;
  wasi->define(store);  // the wasi_snapshot_preview1 imports
  auto instance = store.instantiate(*module);
  if (!instance) {
    std::fprintf(stderr, "instantiate: %s\n", instance.error.c_str());
    return 1;
  }
  WasiOutcome outcome = wasi->runCommand(*instance);
  if (!outcome.error.empty()) {
    std::fprintf(stderr, "run: %s\n", outcome.error.c_str());
    return 1;
  }
  if (outcome.trap) {
    std::fprintf(stderr, "trap: %s\n", outcome.trap->message.c_str());
    return 1;
  }
  std::printf("guest exited with %d\n", outcome.exitCode);
  return 0;
}
