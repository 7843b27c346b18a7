#include "app/FileMounts.h"

#include <gtest/gtest.h>

#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::app {
namespace {

using test::TempDir;
using test::writeFile;

std::vector<std::string> guests(const FileMounts& m) {
  std::vector<std::string> out;
  for (const auto& f : m.files()) out.push_back(f.guestPath);
  return out;
}

TEST(FileMounts, PlacesFoldersFilesAndGlobsAndAppliesExcludes) {
  TempDir dir;
  writeFile(dir.path() + "/static/a.css", "a");
  writeFile(dir.path() + "/static/tmp/x.tmp", "x");
  writeFile(dir.path() + "/notes.md", "n");
  FileMounts m(dir.path(), "component.web", {"static/tmp/*"});
  ASSERT_TRUE(m.addPlacement("static", "/assets"));
  ASSERT_TRUE(m.addPattern("*.md"));
  ASSERT_TRUE(m.addPlacement("notes.md", "/etc/notes.txt"));
  EXPECT_EQ(guests(m), (std::vector<std::string>{"assets/a.css", "etc/notes.txt", "notes.md"}));
  EXPECT_EQ(m.files()[0].hostPath, dir.path() + "/static/a.css");
}

TEST(FileMounts, SaysWhichPartOfAnEntryIsWrong) {
  TempDir dir;
  writeFile(dir.path() + "/one.txt", "1");
  writeFile(dir.path() + "/two.txt", "2");
  FileMounts m(dir.path(), "component.web", {});
  auto outside = m.addPlacement("../etc", "/");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().part, MountPart::Source);
  auto asFolder = m.addPlacement("one.txt", "/");
  ASSERT_FALSE(asFolder);
  EXPECT_EQ(asFolder.error().part, MountPart::Destination);
  ASSERT_TRUE(m.addPlacement("one.txt", "/same.txt"));
  auto clash = m.addPlacement("two.txt", "/same.txt");
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().part, MountPart::Entry);
  EXPECT_NE(clash.error().error.message.find("would hold both \"one.txt\" and \"two.txt\""), std::string::npos)
      << clash.error().error.message;
  EXPECT_TRUE(m.addPlacement("one.txt", "/same.txt"));  // the same file twice is fine
  auto missing = m.addPattern("nope.txt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error.code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace wasmops::app
