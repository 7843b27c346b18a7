#include "http/GuestRun.h"

#include <fmt/format.h>

#include <algorithm>

namespace wasmops::http {

Response guestErrorResponse(int status, const std::string& requestId, std::string_view what) {
  Response r = Response::text(status, fmt::format("{} (request id {})", what, requestId));
  if (status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

RequestClock::RequestClock(const GuestLimits& limits)
    : deadline_(std::chrono::steady_clock::now() + limits.deadline), slice_(limits.timeSlice), limit_(limits.deadline) {}

void RequestClock::arm(engine::Store& store) {
  const std::uint64_t sliceTicks = engine::EpochClock::ticksFor(slice_);
  store.onDeadline([this, sliceTicks](engine::Store& s) {
    if (s.memoryLimitReached()) return engine::Store::DeadlineAction::trap();
    if (std::chrono::steady_clock::now() >= deadline_) {
      timedOut_ = true;
      return engine::Store::DeadlineAction::trap();
    }
    return engine::Store::DeadlineAction::yieldFor(sliceTicks);
  });
  store.setDeadline(std::min<std::chrono::nanoseconds>(slice_, limit_));
}

}  // namespace wasmops::http
