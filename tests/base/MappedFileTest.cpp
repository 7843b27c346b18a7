#include "base/MappedFile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace wasmops {
namespace {

class MappedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("wasmops-mapped-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(MappedFileTest, MapsContents) {
  auto path = dir_ / "a.bin";
  std::ofstream(path) << "abc";
  auto f = MappedFile::open(path.string());
  ASSERT_TRUE(f) << f.error().format();
  ASSERT_EQ(f->size(), 3u);
  EXPECT_EQ(f->bytes()[2], 'c');
}

TEST_F(MappedFileTest, EmptyFileHasNoBytes) {
  auto path = dir_ / "empty";
  std::ofstream(path).close();
  auto f = MappedFile::open(path.string());
  ASSERT_TRUE(f);
  EXPECT_EQ(f->size(), 0u);
}

TEST_F(MappedFileTest, MissingFileIsNotFound) {
  auto f = MappedFile::open((dir_ / "nope").string());
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::NotFound);
  EXPECT_NE(f.error().format().find("nope"), std::string::npos);
}

TEST_F(MappedFileTest, DirectoryIsRefused) {
  auto f = MappedFile::open(dir_.string());
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("directory"), std::string::npos);
}

TEST_F(MappedFileTest, UnreadableFileIsAnIoError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  auto path = dir_ / "secret";
  std::ofstream(path) << "x";
  ::chmod(path.c_str(), 0);
  auto f = MappedFile::open(path.string());
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::Io);
}

TEST_F(MappedFileTest, HugeSparseFileIsMappedNotRead) {
  auto path = dir_ / "sparse";
  {
    std::ofstream out(path);
  }
  ASSERT_EQ(::truncate(path.c_str(), 2ll << 30), 0);
  auto f = MappedFile::open(path.string());
  ASSERT_TRUE(f) << f.error().format();
  EXPECT_EQ(f->size(), 2ull << 30);
  EXPECT_EQ(f->bytes()[0], 0);
}

}  // namespace
}  // namespace wasmops
