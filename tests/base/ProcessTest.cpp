#include "base/Process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace wasmops {
namespace {

ProcessSpec spec(std::vector<std::string> argv, std::string input = {}) {
  ProcessSpec s;
  s.argv = std::move(argv);
  s.input = std::move(input);
  return s;
}

TEST(Process, PipesInputAndCapturesOutputAndStatus) {
  auto cat = runProcess(spec({"cat"}, "hello through a pipe"));
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_EQ(cat->status(), 0);
  EXPECT_TRUE(cat->ok());
  EXPECT_EQ(cat->out, "hello through a pipe");
  auto sh = runProcess(spec({"sh", "-c", "echo oops >&2; exit 3"}));
  ASSERT_TRUE(sh);
  EXPECT_EQ(sh->status(), 3);
  EXPECT_FALSE(sh->ok());
  EXPECT_EQ(sh->err, "oops\n");
  auto killed = runProcess(spec({"sh", "-c", "kill -TERM $$"}));
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->signal, SIGTERM);
  EXPECT_EQ(killed->status(), 128 + SIGTERM);
}

TEST(Process, MissingProgramIsNotFound) {
  auto missing = runProcess(spec({"docker-credential-does-not-exist", "get"}, "x"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST(Process, TimeoutKillsTheChild) {
  auto s = spec({"sleep", "5"});
  s.limits.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  auto slow = runProcess(s);
  ASSERT_TRUE(slow);
  EXPECT_TRUE(slow->timedOut);
  EXPECT_FALSE(slow->ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(Process, ChildIgnoringStdinDoesNotRaiseSigpipe) {
  auto ignores = runProcess(spec({"true"}, std::string(1 << 20, 'x')));
  ASSERT_TRUE(ignores) << ignores.error().message;
  EXPECT_EQ(ignores->status(), 0);
}

TEST(Process, CaptureIsBounded) {
  auto s = spec({"sh", "-c", "head -c 100000 /dev/zero"});
  s.maxCapture = 1000;
  auto big = runProcess(s);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::LimitExceeded);
}

TEST(Process, OutputToFileHoldsBothStreams) {
  const auto path = std::filesystem::temp_directory_path() / ("wasmops-process-" + std::to_string(::getpid()) + ".log");
  auto s = spec({"sh", "-c", "echo out; echo err >&2"});
  s.outputPath = path.string();
  auto r = runProcess(s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->out.empty());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "out\nerr\n");
  std::filesystem::remove(path);
}

TEST(Process, CancelKillsTheChild) {
  std::atomic<bool> cancel{false};
  auto s = spec({"sleep", "5"});
  s.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = runProcess(s);
  canceller.join();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cancelled);
  EXPECT_FALSE(r->ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(Process, DetachedChildRunsInItsOwnSessionAndIsReaped) {
  const auto path = std::filesystem::temp_directory_path() / ("wasmops-detached-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  // The child writes its session id and niceness; ours differ.
  ASSERT_TRUE(startDetached({.argv = {"sh", "-c", "cut -d' ' -f6,19 /proc/$$/stat > " + path.string() + ".tmp && mv " +
                                                      path.string() + ".tmp " + path.string()},
                             .niceness = 19}));
  for (int i = 0; i < 200 && !std::filesystem::exists(path); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(std::filesystem::exists(path));
  std::ifstream in(path);
  long sid = 0, ni = 0;
  in >> sid >> ni;
  EXPECT_NE(sid, static_cast<long>(::getsid(0)));
  EXPECT_EQ(ni, 19);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wasmops
