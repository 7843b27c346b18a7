#pragma once
// When and how long to wait before retrying a registry request: bounded
// attempts, exponential backoff with jitter (so many clients retrying at once
// do not stay in step), and a registry's Retry-After honoured up to a cap.
#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace wasmops::oci {

struct RetryPolicy {
  int maxAttempts = 4;
  std::chrono::milliseconds baseDelay{250};
  std::chrono::milliseconds maxDelay{4000};

  // 429 and the 5xx statuses that mean "try later" (500, 502, 503, 504), and 408.
  static bool isRetryableStatus(long status);
  // Delay before attempt `attempt + 1` (attempt counts from 1): base·2^(attempt-1),
  // capped, scaled by a random factor in [0.5, 1]; a Retry-After value in
  // seconds replaces it (still capped).
  std::chrono::milliseconds delay(int attempt, std::mt19937& rng,
                                  const std::optional<std::string>& retryAfter = std::nullopt) const;
};

}  // namespace wasmops::oci
