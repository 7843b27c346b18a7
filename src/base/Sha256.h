#pragma once
// sha256 as lowercase hex (OpenSSL libcrypto), one-shot or incremental.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace wasmops {

std::string sha256Hex(std::span<const std::uint8_t> bytes);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::span<const std::uint8_t> bytes);
  std::string finishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wasmops
