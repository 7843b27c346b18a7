#pragma once
// Progress of push and pull on stderr: one line per blob, redrawn in place
// with bytes done, total and rate. Only on a TTY; otherwise silent.
#include <chrono>
#include <cstdint>
#include <string>

#include "oci/TransferObserver.h"

namespace wasmops::cli {

class TransferProgress final : public oci::TransferObserver {
 public:
  // True when stderr is a terminal (and progress therefore wanted).
  static bool wanted();

  void started(const std::string& label, std::uint64_t total) override;
  void progress(std::uint64_t done) override;
  void finished(const std::string& outcome) override;

 private:
  void draw(bool final, const std::string& outcome);
  std::string label_;
  std::uint64_t total_ = 0;
  std::uint64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
};

// "12.3 MiB"
std::string humanBytes(double bytes);

}  // namespace wasmops::cli
