#include "base/Process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "base/UniqueFd.h"

extern char** environ;

namespace wasmops {
namespace {

struct Pipe {
  UniqueFd read, write;
};

Expected<Pipe> makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return makeError(ErrorCode::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { posix_spawnattr_init(&attr_); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attr_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

// Reaps the child on every path; kills it first if it is still running.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_t pid() const { return pid_; }
  // The wait status once the child has ended (non-blocking unless `block`).
  std::optional<int> poll(bool block) {
    int status = 0;
    for (;;) {
      const pid_t w = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
      if (w == pid_) {
        pid_ = -1;
        return status;
      }
      if (w < 0 && errno == EINTR) continue;
      return std::nullopt;
    }
  }
  int kill() {
    ::kill(pid_, SIGKILL);
    return *poll(true);
  }

 private:
  pid_t pid_;
};

std::vector<char*> argvOf(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

Expected<pid_t> spawn(const std::vector<std::string>& args, SpawnActions& actions, SpawnAttributes* attributes) {
  if (args.empty()) return makeError(ErrorCode::Internal, "runProcess: empty command");
  auto argv = argvOf(args);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, argv[0], actions.get(), attributes ? attributes->get() : nullptr, argv.data(), environ);
  if (rc == ENOENT) return makeError(ErrorCode::NotFound, fmt::format("'{}' is not on PATH", args[0]));
  if (rc != 0) return makeError(ErrorCode::Io, fmt::format("cannot start '{}': {}", args[0], std::strerror(rc)));
  return pid;
}

// A helper that exits without reading its stdin must not kill us with SIGPIPE.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &sa, &old_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

void applyLimits(pid_t pid, const ProcessLimits& limits) {
  // posix_spawn has no rlimit attribute: they apply from right after the spawn.
  if (limits.cpuSeconds) {
    struct rlimit rl {limits.cpuSeconds, limits.cpuSeconds + 1};
    ::prlimit(pid, RLIMIT_CPU, &rl, nullptr);
  }
  if (limits.addressSpaceBytes) {
    struct rlimit rl {limits.addressSpaceBytes, limits.addressSpaceBytes};
    ::prlimit(pid, RLIMIT_AS, &rl, nullptr);
  }
}

void recordStatus(int status, ProcessResult& result) {
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

Expected<ProcessResult> runProcess(const ProcessSpec& spec) {
  const bool capture = spec.outputPath.empty();
  std::optional<Pipe> in, out, err;
  SpawnActions actions;
  if (spec.input.empty()) {
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  } else {
    WASMOPS_TRY_ASSIGN(in, makePipe());
    posix_spawn_file_actions_adddup2(actions.get(), in->read.get(), 0);
  }
  if (capture) {
    WASMOPS_TRY_ASSIGN(out, makePipe());
    WASMOPS_TRY_ASSIGN(err, makePipe());
    posix_spawn_file_actions_adddup2(actions.get(), out->write.get(), 1);
    posix_spawn_file_actions_adddup2(actions.get(), err->write.get(), 2);
  } else {
    posix_spawn_file_actions_addopen(actions.get(), 1, spec.outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
  }
  IgnoreSigpipe ignoreSigpipe;
  WASMOPS_TRY(const pid_t pid, spawn(spec.argv, actions, nullptr));
  Child child(pid);
  applyLimits(pid, spec.limits);
  if (spec.niceness) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), spec.niceness);
  if (in) in->read.reset();
  if (out) out->write.reset();
  if (err) err->write.reset();

  ProcessResult result;
  const bool timed = spec.limits.timeout.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + spec.limits.timeout;
  std::size_t written = 0;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    if (timed && std::chrono::steady_clock::now() > deadline) {
      recordStatus(child.kill(), result);
      result.timedOut = true;
      return result;
    }
    if (spec.cancel && spec.cancel->load()) {
      recordStatus(child.kill(), result);
      result.cancelled = true;
      return result;
    }
    const bool streams = (in && in->write) || (out && out->read) || (err && err->read);
    if (!streams) {
      // Nothing left to move: wait for the exit, blocking when nothing can cut it short.
      const bool block = !timed && !spec.cancel;
      if (auto status = child.poll(block)) {
        recordStatus(*status, result);
        return result;
      }
      std::this_thread::sleep_for(pause);
      if (pause < std::chrono::milliseconds(10)) pause *= 2;
      continue;
    }
    pollfd fds[3];
    nfds_t n = 0;
    int inIdx = -1, outIdx = -1, errIdx = -1;
    if (in && in->write) fds[inIdx = static_cast<int>(n++)] = {in->write.get(), POLLOUT, 0};
    if (out && out->read) fds[outIdx = static_cast<int>(n++)] = {out->read.get(), POLLIN, 0};
    if (err && err->read) fds[errIdx = static_cast<int>(n++)] = {err->read.get(), POLLIN, 0};
    int slice = -1;
    if (timed)
      slice = static_cast<int>(std::max<std::int64_t>(
          1, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count()));
    if (spec.cancel) slice = slice < 0 ? 50 : std::min(slice, 50);
    const int ready = ::poll(fds, n, slice);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return makeError(ErrorCode::Io, std::string("poll failed: ") + std::strerror(errno));
    }
    if (inIdx >= 0 && (fds[inIdx].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t w = ::write(in->write.get(), spec.input.data() + written, spec.input.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 && errno != EINTR && errno != EAGAIN) in->write.reset();  // the child closed its stdin
      if (written == spec.input.size()) in->write.reset();
    }
    auto drain = [&](int idx, UniqueFd& fd, std::string& sink) -> Expected<void> {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return {};
      char buf[4096];
      const ssize_t r = ::read(fd.get(), buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) return {};
        fd.reset();
        return {};
      }
      sink.append(buf, static_cast<std::size_t>(r));
      if (sink.size() > spec.maxCapture)
        return makeError(ErrorCode::LimitExceeded,
                         fmt::format("'{}' wrote more than {} bytes", spec.argv[0], spec.maxCapture));
      return {};
    };
    if (out) WASMOPS_TRY_VOID(drain(outIdx, out->read, result.out));
    if (err) WASMOPS_TRY_VOID(drain(errIdx, err->read, result.err));
  }
}

Expected<void> startDetached(const DetachedSpec& spec) {
  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
  SpawnAttributes attributes;
  // Its own session: a terminal's Ctrl-C (or the end of this session) does not reach it.
  posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSID);
  WASMOPS_TRY(const pid_t pid, spawn(spec.argv, actions, &attributes));
  if (spec.niceness) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), spec.niceness);
  std::thread([pid] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  return {};
}

}  // namespace wasmops
