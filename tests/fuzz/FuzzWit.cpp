// The WIT front end on arbitrary bytes: lexer, parser and resolver
// (component::wit::checkWitSource) as `wasmops wit --check FILE.wit` runs
// them. Besides ASan+UBSan, every diagnostic must be located inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "component/WitResolver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto result = wasmops::component::wit::checkWitSource(source, "fuzz.wit");
  std::size_t lines = 1;
  for (char c : source) lines += c == '\n';
  for (const auto& d : result.diagnostics) {
    if (d.at.line == 0 || d.at.line > lines || d.at.column == 0 || d.at.offset > size || d.message.empty()) {
      std::fprintf(stderr, "diagnostic outside the input: %u:%u (offset %llu) %s\n", d.at.line, d.at.column,
                   static_cast<unsigned long long>(d.at.offset), d.message.c_str());
      __builtin_trap();
    }
  }
  return 0;
}
