#include "base/AtomicFile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <filesystem>

#include "support/TempDir.h"

namespace wasmops::base {
namespace {

using test::TempDir;

std::size_t entriesIn(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFile, CommitReplacesTheTargetWholeWithItsMode) {
  TempDir dir;
  std::string target = dir.path() + "/sub/deeper/file.txt";
  ASSERT_TRUE(writeFileAtomically(target, "first", 0600));
  ASSERT_TRUE(writeFileAtomically(target, "second", 0640));
  auto text = readSmallFile(target, 100);
  ASSERT_TRUE(text) << text.error().format();
  EXPECT_EQ(*text, "second");
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(entriesIn(dir.path() + "/sub/deeper"), 1u);  // no temporary left beside it
}

TEST(AtomicFile, AnUncommittedTempFileLeavesNothing) {
  TempDir dir;
  {
    auto tmp = TempFile::create(dir.path(), 0644);
    ASSERT_TRUE(tmp) << tmp.error().format();
    ASSERT_TRUE(tmp->write(std::string_view("partial")));
    EXPECT_EQ(entriesIn(dir.path()), 1u);
  }
  EXPECT_EQ(entriesIn(dir.path()), 0u);
}

TEST(AtomicFile, RemovesOnlyPartialsOfProcessesThatAreGone) {
  TempDir dir;
  // pid 0x7ffffffe is above any pid_max Linux allows, so never running.
  std::string stale = fmt::format("{}/.partial-{}-abcdef", dir.path(), 0x7ffffffe);
  std::string mine = fmt::format("{}/.partial-{}-abcdef", dir.path(), ::getpid());
  ASSERT_TRUE(writeFileAtomically(stale, "x", 0600));
  ASSERT_TRUE(writeFileAtomically(mine, "x", 0600));
  removeStalePartials(dir.path());
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(mine));
}

TEST(AtomicFile, ReadSmallFileRefusesLargerFiles) {
  TempDir dir;
  ASSERT_TRUE(writeFileAtomically(dir.path() + "/f", "12345", 0600));
  EXPECT_TRUE(readSmallFile(dir.path() + "/f", 5));
  EXPECT_FALSE(readSmallFile(dir.path() + "/f", 4));
}

}  // namespace
}  // namespace wasmops::base
