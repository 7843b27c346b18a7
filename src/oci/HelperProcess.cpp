#include "oci/HelperProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>

#include "base/UniqueFd.h"

extern char** environ;

namespace wasmops::oci {
namespace {

constexpr std::size_t kMaxOutput = 1u << 20;

struct Pipe {
  UniqueFd read, write;
};

Expected<Pipe> makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return makeError(ErrorCode::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Reaps the child on every path; kills it first if it is still running.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  // Waits and returns the exit status (128+signal for a signal).
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }

 private:
  pid_t pid_;
};

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

}  // namespace

Expected<HelperResult> runHelper(const std::string& program, const std::vector<std::string>& args,
                                 const std::string& input, std::chrono::milliseconds timeout) {
  WASMOPS_TRY(auto in, makePipe());
  WASMOPS_TRY(auto out, makePipe());
  WASMOPS_TRY(auto err, makePipe());

  SpawnActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), in.read.get(), 0);
  posix_spawn_file_actions_adddup2(actions.get(), out.write.get(), 1);
  posix_spawn_file_actions_adddup2(actions.get(), err.write.get(), 2);

  std::vector<std::string> argvStore;
  argvStore.push_back(program);
  argvStore.insert(argvStore.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvStore) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, program.c_str(), actions.get(), nullptr, argv.data(), environ);
  if (rc == ENOENT) return makeError(ErrorCode::NotFound, fmt::format("'{}' is not on PATH", program));
  if (rc != 0) return makeError(ErrorCode::Io, fmt::format("cannot start '{}': {}", program, std::strerror(rc)));
  Child child(pid);
  in.read.reset();
  out.write.reset();
  err.write.reset();

  // A helper that exits without reading stdin must not kill us with SIGPIPE.
  struct IgnoreSigpipe {
    struct sigaction old {};
    IgnoreSigpipe() {
      struct sigaction sa {};
      sa.sa_handler = SIG_IGN;
      ::sigaction(SIGPIPE, &sa, &old);
    }
    ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old, nullptr); }
  } ignoreSigpipe;

  HelperResult result;
  std::size_t written = 0;
  if (input.empty()) in.write.reset();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.read || err.read) {
    pollfd fds[3];
    int n = 0;
    int outIdx = -1, errIdx = -1, inIdx = -1;
    if (out.read) fds[outIdx = n++] = {out.read.get(), POLLIN, 0};
    if (err.read) fds[errIdx = n++] = {err.read.get(), POLLIN, 0};
    if (in.write) fds[inIdx = n++] = {in.write.get(), POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return makeError(ErrorCode::Io, fmt::format("'{}' did not finish within {} ms", program, timeout.count()));
    int ready = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return makeError(ErrorCode::Io, std::string("poll failed: ") + std::strerror(errno));
    }
    if (inIdx >= 0 && (fds[inIdx].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in.write.get(), input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 && errno != EINTR && errno != EAGAIN) in.write.reset();  // helper closed stdin
      if (written == input.size()) in.write.reset();
    }
    auto drain = [&](int idx, UniqueFd& fd, std::string& sink) -> Expected<void> {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return {};
      char buf[4096];
      ssize_t r = ::read(fd.get(), buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) return {};
        fd.reset();
        return {};
      }
      sink.append(buf, static_cast<std::size_t>(r));
      if (sink.size() > kMaxOutput)
        return makeError(ErrorCode::LimitExceeded, fmt::format("'{}' wrote more than 1 MiB", program));
      return {};
    };
    WASMOPS_TRY_VOID(drain(outIdx, out.read, result.out));
    WASMOPS_TRY_VOID(drain(errIdx, err.read, result.err));
  }
  in.write.reset();
  result.exitStatus = child.wait();
  return result;
}

}  // namespace wasmops::oci
