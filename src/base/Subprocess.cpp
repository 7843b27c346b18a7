#include "base/Subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace wasmops {
namespace {

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

}  // namespace

Expected<ProcessResult> runProcess(const std::vector<std::string>& argv, const std::string& outputPath,
                                   const ProcessLimits& limits) {
  if (argv.empty()) return makeError(ErrorCode::Internal, "runProcess: empty command");
  SpawnActions fa;
  posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa.actions, 1, outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa.actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa.actions, nullptr, args.data(), environ);
  if (rc != 0) return makeError(ErrorCode::Io, "cannot start " + argv[0] + ": " + std::strerror(rc));
  // posix_spawn has no rlimit attribute: apply them to the child right away.
  if (limits.cpuSeconds) {
    struct rlimit rl {limits.cpuSeconds, limits.cpuSeconds + 1};
    ::prlimit(pid, RLIMIT_CPU, &rl, nullptr);
  }
  if (limits.addressSpaceBytes) {
    struct rlimit rl {limits.addressSpaceBytes, limits.addressSpaceBytes};
    ::prlimit(pid, RLIMIT_AS, &rl, nullptr);
  }
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  auto pause = std::chrono::microseconds(200);
  int status = 0;
  for (;;) {
    pid_t w = ::waitpid(pid, &status, limits.timeout.count() ? WNOHANG : 0);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return makeError(ErrorCode::Internal, std::string("waitpid: ") + std::strerror(errno));
    if (limits.timeout.count() && std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timedOut = true;
      break;
    }
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(10)) pause *= 2;
  }
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace wasmops
