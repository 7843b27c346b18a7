// Embedding wasmops: compile a module, give it a host function, call it.
// Usage: embed FILE.wasm   (tests/data/embed.wat is the module it expects)
#include <wasmops/engine.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.wasm\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::uint8_t> wasm{std::istreambuf_iterator<char>(in), {}};

  using namespace wasmops::embed;
  Engine engine(Tier::Fast);  // tcc; Tier::Optimized uses cc -O2
  auto module = engine.compile(wasm);
  if (!module) {
    std::fprintf(stderr, "compile: %s\n", module.error.c_str());
    return 1;
  }

  Store store;  // one per thread
  store.defineFunction("host", "log", {ValueType::I32}, {},
                       [](std::span<const Value> args, std::span<Value>) -> std::optional<std::string> {
                         std::printf("guest logged %d\n", args[0].i32);
                         return std::nullopt;  // a message here would trap the guest
                       });
  auto instance = store.instantiate(*module);
  if (!instance) {
    std::fprintf(stderr, "instantiate: %s\n", instance.error.c_str());
    return 1;
  }

  auto sum = instance->call("sum", {Value::fromI32(40), Value::fromI32(2)});
  if (!sum.ok()) return 1;
  std::printf("sum = %d\n", sum.results[0].i32);

  auto bytes = instance->memory("memory");
  std::printf("memory starts with %.5s\n", reinterpret_cast<const char*>(bytes.data()));

  auto div = instance->call("div", {Value::fromI32(1), Value::fromI32(0)});
  if (div.trap) std::printf("trap: %s\n", div.trap->message.c_str());
  return 0;
}
