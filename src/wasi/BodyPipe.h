#pragma once
// An HTTP message body on its way between the network and a guest, a piece
// at a time: the server writes a request body into one as it reads it and
// the guest reads it through a wasi:io input-stream; the guest writes its
// response body into one through an output-stream and the server sends what
// is there. The window is the backpressure: past it the writer is told to
// wait (room() is 0, writable() not ready) until the reader takes bytes, so
// a 100 MB body passes through a few tens of KiB of memory. The limit is
// the most the body may hold in all; past it the write fails.
//
// The reader and writer may be on different threads (an outbound request's
// body is read by the client's thread); every call takes the pipe's lock,
// and signal callbacks run outside it, on the thread whose call made the
// signal ready (callers that must not do their work there post it on).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasi/HostSignal.h"

namespace wasmops::wasi {

using HttpFieldList = std::vector<std::pair<std::string, std::string>>;

class BodyPipe : public std::enable_shared_from_this<BodyPipe> {
 public:
  static constexpr std::size_t kUnlimited = SIZE_MAX;
  enum class State { Open, Finished, Failed };

  // `window`: bytes held before the writer must wait (kUnlimited: never);
  // `limit`: bytes the whole body may have (kUnlimited: no limit).
  static std::shared_ptr<BodyPipe> create(std::size_t window, std::size_t limit = kUnlimited);
  // A body that is all here already (an upstream response read whole).
  static std::shared_ptr<BodyPipe> whole(std::string data, HttpFieldList trailers = {});

  // --- the writer's side
  // Bytes write() takes before the window is full (0: wait for writable()).
  std::size_t room() const;
  // Appends all of `bytes` (even past the window: room() is advice, as
  // output-stream.check-write's is). False when it cannot: the body passed
  // its limit (the pipe is failed, overflowed() true), or it ended.
  bool write(std::string_view bytes);
  // The end of a complete body, with its trailers.
  void finish(HttpFieldList trailers = {});
  // The end of a body cut off (the connection lost, the limit passed, the
  // guest gone): the reader gets an error once it read what is there.
  // `tooLarge`: cut off at a size limit (overflowed() turns true).
  void fail(std::string why, bool tooLarge = false);
  // Ready when room() > 0, or the body ended, or the reader left.
  std::shared_ptr<HostSignal> writable();
  // A new window (the server starts sending a response whose body was held
  // whole until then: from now on the guest waits for the network).
  void setWindow(std::size_t window);
  // A new limit on the whole body (kUnlimited: none).
  void setLimit(std::size_t limit);
  // Whether the reader said it reads no more (the writer may stop).
  bool readerGone() const;

  // --- the reader's side
  // Up to `max` bytes, in order; empty when none are there (see state()).
  std::string take(std::size_t max = kUnlimited);
  // As the reader sees it: Open while bytes are buffered, even after the
  // writer's end; Open with nothing buffered: wait for readable().
  State state() const;
  // Whether the writer ended the body (finished or failed), bytes buffered or not.
  bool ended() const;
  // Bytes buffered, not yet taken.
  std::size_t buffered() const;
  // Ready when bytes are there or the body ended.
  std::shared_ptr<HostSignal> readable();
  // The reader reads no more: writers are told (writable() turns ready).
  void closeReader();
  // Once state() is Finished.
  HttpFieldList trailers() const;
  // Once state() is Failed: why.
  std::string failure() const;

  // All bytes written so far, and whether the limit was passed.
  std::uint64_t totalWritten() const;
  bool overflowed() const;

 private:
  class Signal;
  BodyPipe(std::size_t window, std::size_t limit) : window_(window), limit_(limit) {}
  std::size_t heldLocked() const { return data_.size() - head_; }
  bool readableLocked() const { return heldLocked() > 0 || state_ != State::Open; }
  bool writableLocked() const { return heldLocked() < window_ || state_ != State::Open || readerGone_; }
  // Collects the waiters whose signal is now ready; the caller runs them unlocked.
  void collect(std::vector<std::function<void()>>& out);
  static void run(std::vector<std::function<void()>>& fns);

  mutable std::mutex mu_;
  std::string data_;        // bytes not taken yet, from head_
  std::size_t head_ = 0;    // taken bytes at the front of data_, dropped lazily
  std::size_t window_, limit_;
  std::uint64_t total_ = 0;
  State state_ = State::Open;
  bool overflowed_ = false, readerGone_ = false;
  HttpFieldList trailers_;
  std::string failure_;
  std::vector<std::function<void()>> readWaiters_, writeWaiters_;
};

}  // namespace wasmops::wasi
