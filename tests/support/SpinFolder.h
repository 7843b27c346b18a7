#pragma once
// Small application folders for the manifest and Spin artifact unit tests.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "base/AtomicFile.h"

namespace wasmops::test {

inline void writeFile(const std::string& path, const std::string& bytes) {
  auto slash = path.rfind('/');
  (void)base::makeDirectories(path.substr(0, slash));
  std::ofstream(path, std::ios::binary) << bytes;
}

// A valid core module of `size` bytes (>= 12): the header and one custom
// section of filler.
inline std::string wasmModule(std::size_t size, char fill = 'x') {
  std::string m("\0asm\x01\0\0\0", 8);
  std::size_t body = size - 8 - 2;  // id byte and a one-byte LEB128 size (< 128)
  if (body >= 128) --body;          // a two-byte size
  std::string payload = std::string(1, '\x01') + "p" + std::string(body - 2, fill);
  m += '\0';
  if (payload.size() < 128) {
    m += static_cast<char>(payload.size());
  } else {
    m += static_cast<char>((payload.size() & 0x7f) | 0x80);
    m += static_cast<char>(payload.size() >> 7);
  }
  return m + payload;
}

}  // namespace wasmops::test
