#include "wasi/HttpExchange.h"

namespace wasmops::wasi {

bool HttpOutboundCall::ready() const {
  std::lock_guard lock(mu_);
  return ready_;
}

void HttpOutboundCall::whenReady(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!ready_) {
      waiters_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

void HttpOutboundCall::complete(Result result) {
  std::vector<std::function<void()>> waiters;
  {
    std::lock_guard lock(mu_);
    if (ready_) return;
    ready_ = true;
    if (const auto* e = std::get_if<HttpOutboundError>(&result)) error_ = *e;
    result_ = std::move(result);
    waiters.swap(waiters_);
    abandonWaiters_.clear();  // nothing left to give up
  }
  for (auto& fn : waiters) fn();
}

std::optional<HttpOutboundError> HttpOutboundCall::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

std::optional<HttpOutboundCall::Result> HttpOutboundCall::take() {
  std::lock_guard lock(mu_);
  if (!ready_ || taken_) return std::nullopt;
  taken_ = true;
  std::optional<Result> out = std::move(result_);
  result_.reset();
  return out;
}

void HttpOutboundCall::abandon() {
  std::vector<std::function<void()>> waiters;
  {
    std::lock_guard lock(mu_);
    if (abandoned_.exchange(true)) return;
    waiters.swap(abandonWaiters_);
  }
  for (auto& fn : waiters) fn();
}

void HttpOutboundCall::whenAbandoned(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (ready_) return;
    if (!abandoned_.load()) {
      abandonWaiters_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

}  // namespace wasmops::wasi
