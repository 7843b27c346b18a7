#include "ops/LogSink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "support/TempDir.h"

namespace wasmops::ops {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LogSink, StandardStreamsUseFd1And2) {
  EXPECT_EQ(LogSink::standardOutput().fd(), STDOUT_FILENO);
  EXPECT_EQ(LogSink::standardError().fd(), STDERR_FILENO);
  // Dropping one does not close the process's stream.
  { LogSink out = LogSink::standardOutput(); }
  EXPECT_NE(::fcntl(STDOUT_FILENO, F_GETFD), -1);
}

TEST(LogSink, CreatesThenAppends) {
  test::TempDir dir;
  std::string file = dir.path() + "/a.log";
  {
    auto sink = LogSink::openFile(file);
    ASSERT_TRUE(sink) << sink.error().message;
    ASSERT_TRUE(sink->write("one\n"));
  }
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0644 & ~mask);
  {
    auto sink = LogSink::openFile(file);  // reopened: appends, does not truncate
    ASSERT_TRUE(sink);
    ASSERT_TRUE(sink->write("two\nthree\n"));
    ASSERT_TRUE(sink->write(""));
  }
  EXPECT_EQ(readAll(file), "one\ntwo\nthree\n");
}

TEST(LogSink, MissingFolderIsNotFound) {
  test::TempDir dir;
  std::string file = dir.path() + "/no/such/dir/a.log";
  auto sink = LogSink::openFile(file);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().code, ErrorCode::NotFound);
  EXPECT_NE(sink.error().message.find("cannot open log file"), std::string::npos) << sink.error().message;
  EXPECT_EQ(sink.error().file, file);
}

TEST(LogSink, MovedSinkKeepsItsFile) {
  test::TempDir dir;
  std::string file = dir.path() + "/m.log";
  auto opened = LogSink::openFile(file);
  ASSERT_TRUE(opened);
  LogSink moved = std::move(*opened);
  ASSERT_TRUE(moved.write("after move\n"));
  EXPECT_EQ(readAll(file), "after move\n");
}

TEST(LogSink, WriteFailureIsAnIoError) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  LogSink full{UniqueFd(fd)};
  auto written = full.write("x\n");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::Io);
  EXPECT_EQ(written.error().message, "cannot write log line: No space left on device");
}

// Two sinks opened on one file (as two processes would), written from many
// threads at once: O_APPEND and one write(2) per record keep every line whole.
TEST(LogSink, TwoSinksOnOneFileInterleaveWholeLines) {
  test::TempDir dir;
  std::string file = dir.path() + "/shared.log";
  auto a = LogSink::openFile(file);
  auto b = LogSink::openFile(file);
  ASSERT_TRUE(a && b);
  constexpr int kThreads = 4;
  constexpr int kLines = 400;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const LogSink& sink = t % 2 ? *b : *a;
      for (int i = 0; i < kLines; ++i) {
        // Lengths up to ~3 KiB, a different fill byte per writer.
        std::string line = std::to_string(t) + ":" + std::to_string(i) + ":";
        line.append(static_cast<std::size_t>((i * 37) % 3000), static_cast<char>('a' + t));
        line += "|\n";
        ASSERT_TRUE(sink.write(line));
      }
    });
  }
  for (auto& t : threads) t.join();

  std::istringstream in(readAll(file));
  std::map<int, int> nextPerThread;
  int total = 0;
  for (std::string line; std::getline(in, line); ++total) {
    int t = -1, i = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d:%d:", &t, &i), 2) << line.substr(0, 40);
    ASSERT_TRUE(t >= 0 && t < kThreads) << line.substr(0, 40);
    char fill = static_cast<char>('a' + t);
    std::string prefix = std::to_string(t) + ":" + std::to_string(i) + ":";
    std::string expected = prefix + std::string(static_cast<std::size_t>((i * 37) % 3000), fill) + "|";
    ASSERT_EQ(line, expected) << "line " << total << " is torn";
    EXPECT_EQ(i, nextPerThread[t]) << "thread " << t << " lines out of order";  // one writer's lines in order
    nextPerThread[t] = i + 1;
  }
  EXPECT_EQ(total, kThreads * kLines);
}

}  // namespace
}  // namespace wasmops::ops
