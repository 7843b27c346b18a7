#include "cli/TransferProgress.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cstdio>

namespace wasmops::cli {

std::string humanBytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, units[unit]);
}

bool TransferProgress::wanted() {
  return ::isatty(STDERR_FILENO) == 1;
}

void TransferProgress::started(const std::string& label, std::uint64_t total) {
  label_ = label;
  total_ = total;
  done_ = 0;
  start_ = lastDraw_ = std::chrono::steady_clock::now();
  draw(false, "");
}

void TransferProgress::progress(std::uint64_t done) {
  done_ = done;
  // Redrawing on every libcurl callback would flood a slow terminal.
  auto now = std::chrono::steady_clock::now();
  if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  draw(false, "");
}

void TransferProgress::finished(const std::string& outcome) {
  if (outcome == "uploaded" || outcome == "downloaded") done_ = total_;
  draw(true, outcome);
}

void TransferProgress::draw(bool final, const std::string& outcome) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string rate = seconds > 0.05 && done_ > 0 ? humanBytes(static_cast<double>(done_) / seconds) + "/s" : "";
  std::string line = fmt::format("\r\x1b[2K  {}  {} / {}", label_, humanBytes(static_cast<double>(done_)),
                                 humanBytes(static_cast<double>(total_)));
  if (!rate.empty() && !final) line += "  " + rate;
  if (final)
    line +=
        "  " + outcome + (rate.empty() || outcome == "exists" || outcome == "cached" ? "" : " (" + rate + ")") + "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace wasmops::cli
