#include "cli/ModuleLoading.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <optional>
#include <vector>

#include "base/Process.h"
#include "engine/TierPolicy.h"

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
  (void)startDetached({.argv = std::move(args), .niceness = 19});  // a failure costs only the speed-up
}

}  // namespace

Expected<std::shared_ptr<engine::CompiledModule>> loadModule(const std::string& file, std::span<const std::uint8_t> bytes,
                                                             const TierChoice& choice) {
  engine::LoadPolicy policy;
  if (!choice.tier.empty()) {
    WASMOPS_TRY(auto tier, engine::parseTier(choice.tier));
    policy.tier = tier;
  }
  policy.cacheDir = choice.cacheDir;
  std::optional<CompileNotice> notice;
  policy.onBuild = [&](engine::Tier tier, bool done) {
    if (done)
      notice.reset();
    else
      notice.emplace(file, tier);
  };
  policy.backgroundOptimize = backgroundCompileEnabled();
  policy.startOptimizedBuild = [&] { startBackgroundCompile(file, choice); };
  engine::ModuleInput input(bytes);
  return engine::loadModule(input, policy);
}

}  // namespace wasmops::cli
