#include "wasi/BodyPipe.h"

#include <algorithm>

namespace wasmops::wasi {

// One of the pipe's two signals: ready as the pipe's state says now, and
// its callbacks kept by the pipe until then.
class BodyPipe::Signal final : public HostSignal {
 public:
  Signal(std::shared_ptr<BodyPipe> pipe, bool forReader) : pipe_(std::move(pipe)), forReader_(forReader) {}
  bool ready() const override {
    std::lock_guard lock(pipe_->mu_);
    return forReader_ ? pipe_->readableLocked() : pipe_->writableLocked();
  }
  void whenReady(std::function<void()> fn) override {
    {
      std::lock_guard lock(pipe_->mu_);
      if (!(forReader_ ? pipe_->readableLocked() : pipe_->writableLocked())) {
        (forReader_ ? pipe_->readWaiters_ : pipe_->writeWaiters_).push_back(std::move(fn));
        return;
      }
    }
    fn();
  }

 private:
  std::shared_ptr<BodyPipe> pipe_;
  bool forReader_;
};

std::shared_ptr<BodyPipe> BodyPipe::create(std::size_t window, std::size_t limit) {
  return std::shared_ptr<BodyPipe>(new BodyPipe(window, limit));
}

std::shared_ptr<BodyPipe> BodyPipe::whole(std::string data, HttpFieldList trailers) {
  auto pipe = create(kUnlimited);
  pipe->total_ = data.size();
  pipe->data_ = std::move(data);
  pipe->state_ = State::Finished;
  pipe->trailers_ = std::move(trailers);
  return pipe;
}

void BodyPipe::collect(std::vector<std::function<void()>>& out) {
  auto drain = [&out](std::vector<std::function<void()>>& waiters) {
    for (auto& fn : waiters) out.push_back(std::move(fn));
    waiters.clear();
  };
  if (readableLocked()) drain(readWaiters_);
  if (writableLocked()) drain(writeWaiters_);
}

void BodyPipe::run(std::vector<std::function<void()>>& fns) {
  for (auto& fn : fns) fn();
}

std::size_t BodyPipe::room() const {
  std::lock_guard lock(mu_);
  if (state_ != State::Open) return 0;
  const std::size_t held = data_.size() - head_;
  return held < window_ ? window_ - held : 0;
}

bool BodyPipe::write(std::string_view bytes) {
  std::vector<std::function<void()>> wake;
  bool ok = true;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::Open) return false;
    if (bytes.size() > limit_ - std::min<std::uint64_t>(total_, limit_)) {
      overflowed_ = true;
      state_ = State::Failed;
      failure_ = "the body passed its size limit";
      ok = false;
    } else if (!readerGone_) {
      if (head_ > 0 && head_ >= data_.size() / 2) {
        data_.erase(0, head_);
        head_ = 0;
      }
      data_.append(bytes);
      total_ += bytes.size();
    } else {
      total_ += bytes.size();  // nobody reads: dropped, as a closed socket would
    }
    collect(wake);
  }
  run(wake);
  return ok;
}

void BodyPipe::finish(HttpFieldList trailers) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::Open) return;
    state_ = State::Finished;
    trailers_ = std::move(trailers);
    collect(wake);
  }
  run(wake);
}

void BodyPipe::fail(std::string why, bool tooLarge) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::Open) return;
    state_ = State::Failed;
    overflowed_ = tooLarge;
    failure_ = std::move(why);
    collect(wake);
  }
  run(wake);
}

std::shared_ptr<HostSignal> BodyPipe::writable() { return std::make_shared<Signal>(shared_from_this(), false); }
std::shared_ptr<HostSignal> BodyPipe::readable() { return std::make_shared<Signal>(shared_from_this(), true); }

void BodyPipe::setWindow(std::size_t window) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    window_ = window;
    collect(wake);
  }
  run(wake);
}

void BodyPipe::setLimit(std::size_t limit) {
  std::lock_guard lock(mu_);
  limit_ = limit;
}

bool BodyPipe::readerGone() const {
  std::lock_guard lock(mu_);
  return readerGone_;
}

std::string BodyPipe::take(std::size_t max) {
  std::vector<std::function<void()>> wake;
  std::string out;
  {
    std::lock_guard lock(mu_);
    const std::size_t held = data_.size() - head_;
    const std::size_t n = std::min(max, held);
    if (n == 0) return out;
    if (head_ == 0 && n == data_.size()) {
      out = std::move(data_);
      data_.clear();
    } else {
      out.assign(data_, head_, n);
      head_ += n;
      if (head_ == data_.size()) {
        data_.clear();
        head_ = 0;
      }
    }
    collect(wake);
  }
  run(wake);
  return out;
}

BodyPipe::State BodyPipe::state() const {
  std::lock_guard lock(mu_);
  // Bytes still buffered come before the end.
  return data_.size() > head_ ? State::Open : state_;
}

bool BodyPipe::ended() const {
  std::lock_guard lock(mu_);
  return state_ != State::Open;
}

std::size_t BodyPipe::buffered() const {
  std::lock_guard lock(mu_);
  return data_.size() - head_;
}

void BodyPipe::closeReader() {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    readerGone_ = true;
    data_.clear();
    head_ = 0;
    collect(wake);
  }
  run(wake);
}

HttpFieldList BodyPipe::trailers() const {
  std::lock_guard lock(mu_);
  return trailers_;
}

std::string BodyPipe::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

std::uint64_t BodyPipe::totalWritten() const {
  std::lock_guard lock(mu_);
  return total_;
}

bool BodyPipe::overflowed() const {
  std::lock_guard lock(mu_);
  return overflowed_;
}

}  // namespace wasmops::wasi
