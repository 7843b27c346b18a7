#include "oci/ContentStore.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/TempDir.h"

namespace wasmops::oci {
namespace {

using test::TempDir;

std::span<const std::uint8_t> bytesOf(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::size_t fileCount(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

TEST(ContentStore, StoresVerifiedBlobsAtTheirDigest) {
  TempDir dir;
  auto store = ContentStore::open(dir.path() + "/oci");
  ASSERT_TRUE(store) << store.error().message;
  auto d = base::Digest::of(std::string_view("layer bytes"));
  EXPECT_FALSE(store->has(d));
  ASSERT_TRUE(store->put(d, "layer bytes"));
  EXPECT_TRUE(store->has(d, 11));
  EXPECT_EQ(store->blobPath(d), dir.path() + "/oci/blobs/sha256/" + d.hex());
  EXPECT_EQ(*store->readSmall(d, 100), "layer bytes");
}

TEST(ContentStore, RejectsWrongDigestTruncatedAndOversizedBlobs) {
  TempDir dir;
  auto store = ContentStore::open(dir.path());
  auto d = base::Digest::of(std::string_view("expected"));
  auto wrong = store->put(d, "tampered");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::Integrity);
  EXPECT_NE(wrong.error().message.find("digest mismatch"), std::string::npos);

  {
    auto w = store->begin(d, 8);
    ASSERT_TRUE(w->write(bytesOf("expe")));
    auto truncated = w->commit();
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().message.find("truncated: 4 of 8 bytes"), std::string::npos);
  }
  {
    auto w = store->begin(d, 8);
    auto over = w->write(bytesOf("expected!"));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, ErrorCode::Integrity);
  }

  EXPECT_FALSE(store->has(d));
  EXPECT_EQ(fileCount(dir.path() + "/blobs/sha256"), 0u);  // no entry and no temporary left
}

TEST(ContentStore, AnAbandonedWriterLeavesNothing) {
  TempDir dir;
  auto store = ContentStore::open(dir.path());
  auto d = base::Digest::of(std::string_view("abc"));
  {
    auto w = store->begin(d, 3);
    ASSERT_TRUE(w->write(bytesOf("ab")));
    EXPECT_EQ(fileCount(dir.path() + "/blobs/sha256"), 1u);  // the temporary
  }
  EXPECT_EQ(fileCount(dir.path() + "/blobs/sha256"), 0u);
}

TEST(ContentStore, OpenRemovesPartialsOfDeadProcessesOnly) {
  TempDir dir;
  ASSERT_TRUE(ContentStore::open(dir.path()));
  std::string blobs = dir.path() + "/blobs/sha256";
  // A pid far above pid_max cannot be running.
  std::ofstream(blobs + "/.partial-99999999-abcdef") << "half";
  std::ofstream(blobs + "/.partial-" + std::to_string(::getpid()) + "-abcdef") << "mine";
  ASSERT_TRUE(ContentStore::open(dir.path()));
  EXPECT_FALSE(std::filesystem::exists(blobs + "/.partial-99999999-abcdef"));
  EXPECT_TRUE(std::filesystem::exists(blobs + "/.partial-" + std::to_string(::getpid()) + "-abcdef"));
}

TEST(ContentStore, DamagedBlobsAreDroppedNotServed) {
  TempDir dir;
  auto store = ContentStore::open(dir.path());
  auto d = base::Digest::of(std::string_view("0123456789"));
  ASSERT_TRUE(store->put(d, "0123456789"));
  // Same size, other bytes: found when read again.
  std::ofstream(store->blobPath(d), std::ios::binary | std::ios::trunc) << "9876543210";
  auto out = dir.path() + "/out.wasm";
  auto exported = store->exportTo(d, out, 0644);
  ASSERT_FALSE(exported);
  EXPECT_EQ(exported.error().code, ErrorCode::Integrity);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(store->has(d));
  // Other size: has() drops it.
  ASSERT_TRUE(store->put(d, "0123456789"));
  std::ofstream(store->blobPath(d), std::ios::binary | std::ios::trunc) << "01234";
  EXPECT_FALSE(store->has(d, 10));
  EXPECT_FALSE(std::filesystem::exists(store->blobPath(d)));
}

TEST(ContentStore, ExportsAtomicallyWithMode) {
  TempDir dir;
  auto store = ContentStore::open(dir.path() + "/s");
  auto d = base::Digest::of(std::string_view("wasm"));
  ASSERT_TRUE(store->put(d, "wasm"));
  auto out = dir.path() + "/app.wasm";
  ASSERT_TRUE(store->exportTo(d, out, 0640));
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(st.st_size, 4);
}

TEST(ContentStore, RemembersSourcesForMounts) {
  TempDir dir;
  auto store = ContentStore::open(dir.path());
  auto d = base::Digest::of(std::string_view("x"));
  EXPECT_TRUE(store->sources(d).empty());
  store->recordSource(d, "ghcr.io/a/b");
  store->recordSource(d, "ghcr.io/a/c");
  store->recordSource(d, "ghcr.io/a/b");
  EXPECT_EQ(store->sources(d), (std::vector<std::string>{"ghcr.io/a/b", "ghcr.io/a/c"}));
}

}  // namespace
}  // namespace wasmops::oci
