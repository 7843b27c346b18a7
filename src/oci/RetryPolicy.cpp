#include "oci/RetryPolicy.h"

#include <algorithm>
#include <charconv>

namespace wasmops::oci {

bool RetryPolicy::isRetryableStatus(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds RetryPolicy::delay(int attempt, std::mt19937& rng,
                                             const std::optional<std::string>& retryAfter) const {
  if (retryAfter) {
    long seconds = 0;
    auto [end, ec] = std::from_chars(retryAfter->data(), retryAfter->data() + retryAfter->size(), seconds);
    if (ec == std::errc() && end == retryAfter->data() + retryAfter->size() && seconds >= 0)
      return std::min(std::chrono::milliseconds(seconds * 1000), maxDelay);
  }
  auto exponent = std::clamp(attempt - 1, 0, 20);
  std::chrono::milliseconds full(std::min<long long>(static_cast<long long>(baseDelay.count()) << exponent,
                                                     static_cast<long long>(maxDelay.count())));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(full.count()) * jitter(rng)));
}

}  // namespace wasmops::oci
