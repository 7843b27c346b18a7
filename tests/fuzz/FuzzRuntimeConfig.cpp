// Spin's runtime config (app::parseRuntimeConfig, what `up --runtime-config-file`
// would read) on arbitrary bytes. Besides ASan+UBSan: an error or warning is
// located inside the input (or names the whole file), and an accepted file
// has only "spin" stores whose paths are absolute (the file's folder is).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "app/RuntimeConfig.h"

namespace {

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "%s\n", why.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint32_t lines = 1;
  for (char c : text) lines += c == '\n';
  auto config = wasmops::app::parseRuntimeConfig(text, "/fuzz/rc.toml");
  if (!config) {
    const auto& e = config.error();
    if (e.message.empty()) fail("an error without a message");
    if (e.line && *e.line > lines) fail("an error past the end: " + e.format());
    return 0;
  }
  for (const auto& w : config->warnings)
    if (w.line > lines || w.message.empty()) fail("a warning outside the input: " + w.format("rc.toml"));
  for (const auto& [label, store] : config->keyValueStores) {
    if (store.type != "spin") fail("a store of type " + store.type + " was accepted");
    if (store.path && (store.path->empty() || store.path->front() != '/'))
      fail("store " + label + ": path " + *store.path + " is not absolute");
  }
  return 0;
}
