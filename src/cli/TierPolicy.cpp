#include "cli/TierPolicy.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace wasmops::cli {
namespace {

// Prints "compiling ..." on stderr if compiling takes longer than a second,
// and how long it took at the end; silent when stderr is not a terminal.
class CompileNotice {
 public:
  CompileNotice(const std::string& file, engine::Tier tier) {
    if (!::isatty(STDERR_FILENO)) return;
    start_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this, file, tier] {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) return;
      std::fprintf(stderr, "wasmops: compiling %s (%s tier; cached for the next run)...", file.c_str(), engine::toString(tier));
      std::fflush(stderr);
      shown_ = true;
    });
  }
  ~CompileNotice() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (shown_)
      std::fprintf(stderr, " %.1f s\n",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  CompileNotice(const CompileNotice&) = delete;
  CompileNotice& operator=(const CompileNotice&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

Expected<std::shared_ptr<engine::CompiledModule>> compileWith(const std::string& file, std::span<const std::uint8_t> bytes,
                                                              engine::Tier tier, const TierChoice& choice) {
  engine::EngineConfig config{.tier = tier, .cacheDir = choice.cacheDir};
  config.interruptible = choice.interruptible;
  engine::Engine eng(config);
  if (auto cached = eng.compile(bytes, engine::Engine::Lookup::CachedOnly)) return cached;
  CompileNotice notice(file, tier);
  return eng.compile(bytes);
}

bool backgroundCompileEnabled() {
  const char* v = std::getenv("WASMOPS_BACKGROUND_COMPILE");
  return !v || std::string(v) != "0";
}

// Starts `wasmops compile --tier optimized FILE` detached from this process
// (own session, stdio on /dev/null, lowest priority), so the guest neither
// waits for it nor competes with it, and it outlives this run.
void startBackgroundCompile(const std::string& file, const TierChoice& choice) {
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  const std::string input = std::filesystem::absolute(file, ec).string();
  if (self.empty() || input.empty()) return;
  std::vector<std::string> args = {self, "compile", "--tier", "optimized", input};
  if (!choice.cacheDir.empty()) {
    args.emplace_back("--cache-dir");
    args.push_back(std::filesystem::absolute(choice.cacheDir, ec).string());
  }
  if (choice.interruptible) args.emplace_back("--interruptible");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Double fork: the grandchild is re-parented to init, so no zombie stays
  // behind in a long-running guest's process.
  const pid_t child = ::fork();
  if (child < 0) return;
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    if (::nice(19) == -1) { /* lowest priority is a wish, not a need */ }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
}

}  // namespace

Expected<std::shared_ptr<engine::CompiledModule>> loadModule(const std::string& file, std::span<const std::uint8_t> bytes,
                                                             const TierChoice& choice) {
  if (!choice.tier.empty()) {
    WASMOPS_TRY(auto tier, engine::parseTier(choice.tier));
    return compileWith(file, bytes, tier, choice);
  }
  engine::EngineConfig optimized{.tier = engine::Tier::Optimized, .cacheDir = choice.cacheDir};
  optimized.interruptible = choice.interruptible;
  if (auto cached = engine::Engine(optimized).compile(bytes, engine::Engine::Lookup::CachedOnly)) return cached;
  WASMOPS_TRY(auto fast, compileWith(file, bytes, engine::Tier::Fast, choice));
  if (backgroundCompileEnabled()) startBackgroundCompile(file, choice);
  return fast;
}

}  // namespace wasmops::cli
