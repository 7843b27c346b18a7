#include "app/FileGlob.h"

#include <gtest/gtest.h>

#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::app {
namespace {

using test::TempDir;
using test::writeFile;

TEST(FileGlob, MatchesPerComponentAndRecursivelyWithDoubleStar) {
  TempDir dir;
  const std::string& r = dir.path();
  writeFile(r + "/a/x.txt", "");
  writeFile(r + "/a/b/y.txt", "");
  writeFile(r + "/a/b/c/z.md", "");
  auto star = expandGlob(r, "a/*.txt");
  ASSERT_TRUE(star);
  EXPECT_EQ(*star, (std::vector<std::string>{"a/x.txt"}));
  auto deep = expandGlob(r, "a/**/*.txt");
  ASSERT_TRUE(deep);
  EXPECT_EQ(*deep, (std::vector<std::string>{"a/b/y.txt", "a/x.txt"}));
  auto all = expandGlob(r, "**/*");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  EXPECT_FALSE(expandGlob(r, "../*"));
  EXPECT_TRUE(excludePatternMatches("a/b/*", "a/b/c/z.md"));  // `*` crosses `/` in exclude_files
  EXPECT_FALSE(excludePatternMatches("a/b/*", "a/x.txt"));
  EXPECT_TRUE(looksLikeGlob("x/[ab].txt"));
  EXPECT_FALSE(looksLikeGlob("x/ab.txt"));
}

}  // namespace
}  // namespace wasmops::app
