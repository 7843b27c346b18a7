// wasi:io (error, poll, streams) over host fds, memory streams and HTTP body pipes.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "engine/GuestTask.h"
#include "wasi/Preview2State.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

// At most this much per read and per check-write permit: a guest asking for
// 4 GiB gets it in pieces, and the host never allocates what it asked blindly.
constexpr std::uint64_t kChunk = 1u << 20;

std::uint64_t monotonicNow() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

bool fdReady(int fd, short events, int timeoutMs) {
  pollfd p{fd, events, 0};
  int n;
  do n = ::poll(&p, 1, timeoutMs);
  while (n < 0 && errno == EINTR);
  return n != 0;  // an error (a closed fd) counts as ready: the next operation reports it
}

bool isRegularFile(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

bool ready(const Pollable& p) {
  switch (p.kind) {
    case Pollable::Kind::Ready: return true;
    case Pollable::Kind::Deadline: return monotonicNow() >= p.deadline;
    case Pollable::Kind::Readable: return fdReady(p.fd, POLLIN, 0);
    case Pollable::Kind::Writable: return fdReady(p.fd, POLLOUT, 0);
    case Pollable::Kind::Signal: return p.signal->ready();
  }
  return true;
}

std::vector<std::uint32_t> readyNow(const std::vector<const Pollable*>& ps) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < ps.size(); ++i)
    if (ready(*ps[i])) out.push_back(i);
  return out;
}

// Blocks the thread until at least one of `ps` is ready; the indices of the
// ready ones. Signals wake the poll through an eventfd they write to.
std::vector<std::uint32_t> blockUntilReady(const std::vector<const Pollable*>& ps) {
  std::shared_ptr<UniqueFd> wake;
  for (;;) {
    std::vector<std::uint32_t> out = readyNow(ps);
    if (!out.empty()) return out;
    std::vector<pollfd> fds;
    std::optional<std::uint64_t> nearest;
    for (const Pollable* p : ps) {
      if (p->kind == Pollable::Kind::Deadline) nearest = std::min(nearest.value_or(p->deadline), p->deadline);
      if (p->kind == Pollable::Kind::Readable) fds.push_back({p->fd, POLLIN, 0});
      if (p->kind == Pollable::Kind::Writable) fds.push_back({p->fd, POLLOUT, 0});
      if (p->kind == Pollable::Kind::Signal && !wake) {
        wake = std::make_shared<UniqueFd>(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        for (const Pollable* q : ps)
          if (q->kind == Pollable::Kind::Signal && *wake)
            q->signal->whenReady([wake] {
              const std::uint64_t one = 1;
              (void)!::write(wake->get(), &one, sizeof one);
            });
      }
    }
    int timeoutMs = -1;
    if (wake) {
      if (*wake)
        fds.push_back({wake->get(), POLLIN, 0});
      else
        timeoutMs = 1;  // no eventfd to be had: look again soon
    }
    if (nearest) {
      const std::uint64_t now = monotonicNow();
      const std::uint64_t left = *nearest > now ? *nearest - now : 0;
      const int ms = static_cast<int>(std::min<std::uint64_t>((left + 999999) / 1000000, 60000));
      timeoutMs = timeoutMs < 0 ? ms : std::min(timeoutMs, ms);
    }
    ::poll(fds.data(), fds.size(), timeoutMs);
  }
}

// Waits until at least one of `ps` is ready; the indices of the ready ones.
// A guest on an engine::GuestTask (the HTTP host's) does not block its
// thread, which serves other requests: its task is suspended, with what it
// waits for in `st.waiting`, until whoever resumes it finds one ready. A
// task cancelled meanwhile (the request's deadline) ends the guest with a trap.
Expected<std::vector<std::uint32_t>> waitAny(Preview2State& st, const std::vector<const Pollable*>& ps) {
  engine::GuestTask* task = engine::GuestTask::current();
  if (!task) return blockUntilReady(ps);
  for (;;) {
    std::vector<std::uint32_t> out = readyNow(ps);
    if (!out.empty()) return out;
    GuestWait wait;
    for (const Pollable* p : ps) {
      switch (p->kind) {
        case Pollable::Kind::Deadline: {
          const auto at = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(p->deadline));
          wait.until = std::min(wait.until.value_or(at), at);
          break;
        }
        case Pollable::Kind::Signal: wait.signals.push_back(p->signal); break;
        case Pollable::Kind::Readable:
        case Pollable::Kind::Writable: wait.soon = true; break;
        case Pollable::Kind::Ready: break;
      }
    }
    st.waiting = std::move(wait);
    task->suspend();
    st.waiting.reset();
    if (task->cancelled()) return makeError(ErrorCode::Internal, "trap: cancelled");
  }
}

// Reads at most `len` bytes; an empty list when nothing is there yet (non-blocking).
// A pipe's bytes as they come; a blocking read waits for some (or the end).
Expected<Value> readFromPipe(Preview2State& st, StreamTarget& t, std::uint64_t len, bool blocking) {
  BodyPipe& pipe = *t.pipe;
  for (;;) {
    std::string got = pipe.take(static_cast<std::size_t>(std::min(len, kChunk)));
    if (!got.empty()) return Value::ok(Value::bytes(std::move(got)));
    switch (pipe.state()) {
      case BodyPipe::State::Finished: t.closed = true; return streamClosed();
      case BodyPipe::State::Failed: t.closed = true; return streamFailed(st, pipe.failure());
      case BodyPipe::State::Open: break;
    }
    if (!blocking) return Value::ok(bytesValue({}));
    Pollable p;
    p.kind = Pollable::Kind::Signal;
    p.signal = pipe.readable();
    WASMOPS_TRY_VOID(waitAny(st, {&p}));
  }
}

// A blocking writer to a pipe waits until the reader has made room.
Expected<void> waitForRoom(Preview2State& st, BodyPipe& pipe) {
  if (pipe.room() > 0 || pipe.ended() || pipe.readerGone()) return {};
  Pollable p;
  p.kind = Pollable::Kind::Signal;
  p.signal = pipe.writable();
  WASMOPS_TRY_VOID(waitAny(st, {&p}));
  return {};
}

Expected<Value> readFrom(Preview2State& st, StreamTarget& t, std::uint64_t len, bool blocking) {
  if (t.closed) return streamClosed();
  if (len == 0) return Value::ok(bytesValue({}));
  if (t.pipe) return readFromPipe(st, t, len, blocking);
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min(len, kChunk)));
  if (buf.empty()) return Value::ok(bytesValue({}));
  if (t.memory) {
    iovec v{buf.data(), buf.size()};
    const std::size_t n = t.memory->read({v});
    if (n == 0) {
      t.closed = true;
      return streamClosed();
    }
    buf.resize(n);
    return Value::ok(bytesValue(buf));
  }
  if (!blocking && !t.offset && !fdReady(t.fd, POLLIN, 0)) return Value::ok(bytesValue({}));
  ssize_t n;
  do n = t.offset ? ::pread(t.fd, buf.data(), buf.size(), static_cast<off_t>(*t.offset)) : ::read(t.fd, buf.data(), buf.size());
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return Value::ok(bytesValue({}));
    const int err = errno;
    return streamFailed(st, fmt::format("read: {}", std::strerror(err)), err);
  }
  if (n == 0) {
    t.closed = true;
    return streamClosed();
  }
  if (t.offset) *t.offset += static_cast<std::uint64_t>(n);
  buf.resize(static_cast<std::size_t>(n));
  return Value::ok(bytesValue(buf));
}

// Writes all of `bytes` (the host flushes as it writes: nothing is buffered).
Expected<Value> writeTo(Preview2State& st, StreamTarget& t, std::span<const std::uint8_t> bytes) {
  if (t.closed) return streamClosed();
  if (t.pipe) {
    BodyPipe& pipe = *t.pipe;
    if (pipe.readerGone()) {
      t.closed = true;  // the client went away: nobody reads the rest
      return streamClosed();
    }
    if (!pipe.write({reinterpret_cast<const char*>(bytes.data()), bytes.size()})) {
      t.closed = true;
      if (pipe.overflowed()) return streamFailed(st, "the output limit is exceeded");
      return streamClosed();
    }
    return Value::ok();
  }
  if (t.memory) {
    iovec v{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    std::size_t written = 0;
    if (t.memory->write({v}, written) != Errno::Success) {
      t.closed = true;
      return streamFailed(st, "the output limit is exceeded");
    }
    return Value::ok();
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    std::uint64_t at = 0;
    if (t.append) {
      struct stat s {};
      if (::fstat(t.fd, &s) != 0) {
        const int err = errno;
        return streamFailed(st, fmt::format("write: {}", std::strerror(err)), err);
      }
      at = static_cast<std::uint64_t>(s.st_size);
    } else if (t.offset) {
      at = *t.offset;
    }
    const bool positioned = t.append || t.offset;
    const ssize_t n = positioned ? ::pwrite(t.fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(at))
                                 : ::write(t.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        fdReady(t.fd, POLLOUT, -1);
        continue;
      }
      if (errno == EPIPE) {
        t.closed = true;
        return streamClosed();
      }
      const int err = errno;
      return streamFailed(st, fmt::format("write: {}", std::strerror(err)), err);
    }
    done += static_cast<std::size_t>(n);
    if (t.offset) *t.offset += static_cast<std::uint64_t>(n);
  }
  return Value::ok();
}

Expected<Value> skipFrom(Preview2State& st, StreamTarget& t, std::uint64_t len, bool blocking) {
  WASMOPS_TRY(Value read, readFrom(st, t, len, blocking));
  if (read.caseIndex() != 0) return read;
  return Value::ok(Value::u64(read.payload()->listSize()));
}

// A stream operation's Value as a host function's result.
Result returned(Expected<Value> v) {
  if (!v) return tl::unexpected(std::move(v).error());
  return std::optional<Value>(std::move(*v));
}

Pollable pollableFor(const StreamTarget& t, bool input) {
  Pollable p;
  if (t.pipe && !t.closed) {
    p.kind = Pollable::Kind::Signal;
    p.signal = input ? t.pipe->readable() : t.pipe->writable();
    return p;
  }
  if (t.memory || t.closed || t.offset || t.append || (t.fd >= 0 && isRegularFile(t.fd))) return p;  // always ready
  p.kind = input ? Pollable::Kind::Readable : Pollable::Kind::Writable;
  p.fd = t.fd;
  p.file = t.file;
  return p;
}

}  // namespace

Expected<void> defineIo(Preview2State& st, component::ComponentLinker& linker) {
  StateRef s(&st);
  InterfaceDefiner error(linker, "wasi:io/error");
  error.resource("error", s, &Preview2State::errors).function("[method]error.to-debug-string", "borrow", [s](Args a) -> Result {
    WASMOPS_TRY(HostError * e, s->errors.get(a[0].bits));
    return Value::string(e->message);
  });
  WASMOPS_TRY_VOID(error.finish());

  InterfaceDefiner poll(linker, "wasi:io/poll");
  poll.resource("pollable", s, &Preview2State::pollables)
      .function("[method]pollable.ready", "borrow",
                [s](Args a) -> Result {
                  WASMOPS_TRY(Pollable * p, s->pollables.get(a[0].bits));
                  return Value::boolean(ready(*p));
                })
      .function("[method]pollable.block", "borrow",
                [s](Args a) -> Result {
                  Preview2State& state = *s;
                  WASMOPS_TRY(Pollable * p, state.pollables.get(a[0].bits));
                  WASMOPS_TRY_VOID(waitAny(state, {p}));
                  return std::nullopt;
                })
      .function("poll", "list<borrow>", [s](Args a) -> Result {
        if (a[0].items.empty()) return makeError(ErrorCode::Invalid, "trap: wasi:io/poll.poll of an empty list");
        Preview2State& state = *s;
        std::vector<const Pollable*> ps;
        for (const auto& v : a[0].items) {
          WASMOPS_TRY(Pollable * p, state.pollables.get(v.bits));
          ps.push_back(p);
        }
        WASMOPS_TRY(std::vector<std::uint32_t> readyOnes, waitAny(state, ps));
        std::vector<Value> out;
        for (std::uint32_t i : readyOnes) out.push_back(Value::u32(i));
        return Value::list(std::move(out));
      });
  WASMOPS_TRY_VOID(poll.finish());

  InterfaceDefiner streams(linker, "wasi:io/streams");
  auto input = [s](const Value& self) -> Expected<StreamTarget*> {
    WASMOPS_TRY(InputStream * in, s->inputs.get(self.bits));
    return &in->from;
  };
  auto output = [s](const Value& self) -> Expected<StreamTarget*> {
    WASMOPS_TRY(OutputStream * out, s->outputs.get(self.bits));
    return &out->to;
  };
  streams.resource("input-stream", s, &Preview2State::inputs)
      .resource("output-stream", s, &Preview2State::outputs)
      .function("[method]input-stream.read", "borrow, u64", [s, input](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, input(a[0]));
        return returned(readFrom(*s, *t, a[1].bits, false));
      })
      .function("[method]input-stream.blocking-read", "borrow, u64", [s, input](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, input(a[0]));
        return returned(readFrom(*s, *t, a[1].bits, true));
      })
      .function("[method]input-stream.skip", "borrow, u64", [s, input](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, input(a[0]));
        return returned(skipFrom(*s, *t, a[1].bits, false));
      })
      .function("[method]input-stream.blocking-skip", "borrow, u64", [s, input](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, input(a[0]));
        return returned(skipFrom(*s, *t, a[1].bits, true));
      })
      .function("[method]input-stream.subscribe", "borrow", [s, input](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, input(a[0]));
        return newPollable(*s, pollableFor(*t, true));
      })
      .function("[method]output-stream.check-write", "borrow", [output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        if (t->closed) return streamClosed();
        if (t->pipe) {
          if (t->pipe->readerGone() || t->pipe->ended()) {
            t->closed = true;
            return streamClosed();
          }
          return Value::ok(Value::u64(std::min<std::uint64_t>(t->pipe->room(), kChunk)));
        }
        return Value::ok(Value::u64(kChunk));
      })
      .function("[method]output-stream.write", "borrow, list<u8>", [s, output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        std::string storage;
        WASMOPS_TRY(auto bytes, bytesOf(a[1], storage));
        return returned(writeTo(*s, *t, bytes));
      })
      .function("[method]output-stream.blocking-write-and-flush", "borrow, list<u8>", [s, output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        std::string storage;
        WASMOPS_TRY(auto bytes, bytesOf(a[1], storage));
        if (t->pipe && !t->closed) WASMOPS_TRY_VOID(waitForRoom(*s, *t->pipe));
        return returned(writeTo(*s, *t, bytes));
      })
      .function("[method]output-stream.flush", "borrow", [output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        return t->closed ? streamClosed() : Value::ok();
      })
      .function("[method]output-stream.blocking-flush", "borrow", [s, output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        // A pipe's bytes count as flushed once the window has room again:
        // waiting for it to empty would hold a response body the host
        // keeps whole until the guest sets its response.
        if (t->pipe && !t->closed) WASMOPS_TRY_VOID(waitForRoom(*s, *t->pipe));
        return t->closed ? streamClosed() : Value::ok();
      })
      .function("[method]output-stream.subscribe", "borrow", [s, output](Args a) -> Result {
        WASMOPS_TRY(StreamTarget * t, output(a[0]));
        return newPollable(*s, pollableFor(*t, false));
      });
  for (const char* name : {"[method]output-stream.write-zeroes", "[method]output-stream.blocking-write-zeroes-and-flush"}) {
    streams.function(name, "borrow, u64", [s, output](Args a) -> Result {
      WASMOPS_TRY(StreamTarget * t, output(a[0]));
      if (a[1].bits > kChunk)
        return makeError(ErrorCode::Invalid, fmt::format("trap: write-zeroes of {} bytes exceeds the {} check-write permits", a[1].bits, kChunk));
      std::vector<std::uint8_t> zeroes(static_cast<std::size_t>(a[1].bits));
      return returned(writeTo(*s, *t, zeroes));
    });
  }
  for (bool blocking : {false, true}) {
    streams.function(blocking ? "[method]output-stream.blocking-splice" : "[method]output-stream.splice", "borrow, borrow, u64",
                     [s, input, output, blocking](Args a) -> Result {
                       WASMOPS_TRY(StreamTarget * to, output(a[0]));
                       WASMOPS_TRY(StreamTarget * from, input(a[1]));
                       if (to->closed) return streamClosed();
                       WASMOPS_TRY(Value read, readFrom(*s, *from, a[2].bits, blocking));
                       if (read.caseIndex() != 0) return read;
                       std::string storage;
                       WASMOPS_TRY(auto bytes, bytesOf(*read.payload(), storage));
                       WASMOPS_TRY(Value wrote, writeTo(*s, *to, bytes));
                       if (wrote.caseIndex() != 0) return wrote;
                       return Value::ok(Value::u64(bytes.size()));
                     });
  }
  return streams.finish();
}

}  // namespace wasmops::wasi::preview2
