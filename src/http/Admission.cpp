#include "http/Admission.h"

#include <utility>

namespace wasmops::http {

Admission::Verdict Admission::admit(std::function<void()> whenAdmitted) {
  std::lock_guard lock(mu_);
  if (active_ < maxActive_) {
    ++active_;
    return Verdict::Run;
  }
  if (waiting_.size() >= maxQueued_) return Verdict::Rejected;
  waiting_.push_back(std::move(whenAdmitted));
  return Verdict::Queued;
}

void Admission::release() {
  std::function<void()> next;
  {
    std::lock_guard lock(mu_);
    if (waiting_.empty()) {
      // A release without a slot (a caller's bug) must not wrap the count
      // around, which would queue every later request forever.
      if (active_ > 0) --active_;
      return;
    }
    next = std::move(waiting_.front());  // the slot passes on: active_ stays
    waiting_.pop_front();
  }
  next();
}

std::size_t Admission::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

std::size_t Admission::queued() const {
  std::lock_guard lock(mu_);
  return waiting_.size();
}

}  // namespace wasmops::http
