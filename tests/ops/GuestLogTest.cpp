#include "ops/GuestLog.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "support/TempDir.h"

namespace wasmops::ops {
namespace {

// A sink on a fresh file, and the records written to it so far.
class GuestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/guest.log";
    auto opened = LogSink::openFile(path_);
    ASSERT_TRUE(opened) << opened.error().message;
    sink_.emplace(std::move(*opened));
  }

  std::vector<nlohmann::ordered_json> records() const {
    std::ifstream in(path_);
    std::vector<nlohmann::ordered_json> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::ordered_json::parse(line));
    return out;
  }

  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& r : records()) out.push_back(r["message"]);
    return out;
  }

  const LogSink& sink() const { return *sink_; }

  test::TempDir dir_;
  std::string path_;
  std::optional<LogSink> sink_;
};

TEST_F(GuestLogTest, OneRecordPerLineWithKeysInOrder) {
  GuestLog log(sink(), "hello", "req-7");
  log.append("first line\nsecond line\n");
  ASSERT_TRUE(log.finish());
  auto recs = records();
  ASSERT_EQ(recs.size(), 2u);
  std::vector<std::string> keys;
  for (auto& [k, v] : recs[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "request_id", "component", "stream", "message"}));
  EXPECT_EQ(recs[0]["request_id"], "req-7");
  EXPECT_EQ(recs[0]["component"], "hello");
  EXPECT_EQ(recs[0]["stream"], "stderr");
  EXPECT_EQ(recs[0]["message"], "first line");
  EXPECT_EQ(recs[1]["message"], "second line");
  EXPECT_FALSE(recs[0].contains("cut"));
  EXPECT_EQ(std::string(recs[0]["time"]).size(), 24u);  // 2024-05-01T12:34:56.789Z
  EXPECT_EQ(log.droppedLines(), 0u);
}

TEST_F(GuestLogTest, LinesCompleteAcrossAppends) {
  GuestLog log(sink(), "c", "r");
  log.append("hel");
  EXPECT_TRUE(records().empty());  // an unfinished line waits
  log.append("lo\nwor");
  EXPECT_EQ(messages(), (std::vector<std::string>{"hello"}));
  log.append("ld");
  ASSERT_TRUE(log.finish());  // the unfinished last line is logged at the end
  EXPECT_EQ(messages(), (std::vector<std::string>{"hello", "world"}));
}

TEST_F(GuestLogTest, CrLfAndEmptyLines) {
  GuestLog log(sink(), "c", "r");
  log.append("a\r\n\n\r\n\nb\r");
  log.append("\nmid\rdle\n\n");
  log.append("last\r");
  ASSERT_TRUE(log.finish());
  EXPECT_EQ(messages(), (std::vector<std::string>{"a", "b", "mid\rdle", "last"}));
  EXPECT_EQ(log.droppedLines(), 0u);  // empty lines are not counted as dropped either
}

TEST_F(GuestLogTest, LongLinesAreCutAndMarked) {
  GuestLog log(sink(), "c", "r", GuestLogLimits{.maxLines = 100, .maxLineBytes = 5});
  log.append("123456789\n");  // cut
  log.append("12345\n");      // exactly the limit: whole
  log.append("12345\r\n");    // exactly the limit before CRLF: whole
  log.append("123456\r\n");   // one over
  log.append("1234");         // cut across pieces
  log.append("5678");
  log.append("9\nab\n");
  ASSERT_TRUE(log.finish());
  auto recs = records();
  ASSERT_EQ(recs.size(), 6u);
  std::vector<std::pair<std::string, bool>> got;
  for (const auto& r : recs) got.emplace_back(r["message"], r.value("cut", false));
  EXPECT_EQ(got,
            (std::vector<std::pair<std::string, bool>>{
                {"12345", true}, {"12345", false}, {"12345", false}, {"12345", true}, {"12345", true}, {"ab", false}}));
  EXPECT_EQ(recs[0]["cut"], true);
  EXPECT_FALSE(recs[1].contains("cut"));
  EXPECT_EQ(log.droppedLines(), 0u);
}

TEST_F(GuestLogTest, ACutNeverSplitsACharacter) {
  GuestLog log(sink(), "c", "r", GuestLogLimits{.maxLines = 100, .maxLineBytes = 5});
  log.append("abcd\xE2\x82\xAC\n");  // € would end at byte 7: left out whole
  log.append(
      "ab\xE2\x82\xAC"
      "x\n");                                        // € ends at byte 5: kept
  log.append("abc\xC3\xA9\xC3\xA9\n");               // é ends at byte 5: kept
  log.append("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\n");  // the second emoji starts at byte 5: left out
  ASSERT_TRUE(log.finish());
  EXPECT_EQ(messages(), (std::vector<std::string>{"abcd", "ab\xE2\x82\xAC", "abc\xC3\xA9", "\xF0\x9F\x98\x80"}));
  for (const auto& r : records()) EXPECT_EQ(r["cut"], true);
}

TEST_F(GuestLogTest, LineLimitDropsAndSaysHowMany) {
  GuestLog log(sink(), "echo", "r-9", GuestLogLimits{.maxLines = 2, .maxLineBytes = 100});
  log.append("one\ntwo\nthree\n\nfour\nfive");
  EXPECT_EQ(log.droppedLines(), 2u);  // three, four; five is not finished yet
  ASSERT_TRUE(log.finish());
  EXPECT_EQ(log.droppedLines(), 3u);
  auto recs = records();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0]["message"], "one");
  EXPECT_EQ(recs[1]["message"], "two");
  const auto& last = recs[2];
  std::vector<std::string> keys;
  for (auto& [k, v] : last.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "request_id", "component", "stream", "truncated", "dropped_lines",
                                            "message"}));
  EXPECT_EQ(last["truncated"], true);
  EXPECT_EQ(last["dropped_lines"], 3);
  EXPECT_EQ(last["component"], "echo");
  EXPECT_EQ(last["request_id"], "r-9");
  EXPECT_EQ(last["message"], "guest output truncated: 3 more lines not logged (limit 2 lines per request)");
}

TEST_F(GuestLogTest, OneDroppedLineIsSingular) {
  {
    GuestLog log(sink(), "c", "r", GuestLogLimits{.maxLines = 1, .maxLineBytes = 100});
    log.append("kept\ndropped\n");
  }  // the destructor finishes
  auto recs = records();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1]["message"], "guest output truncated: 1 more line not logged (limit 1 lines per request)");
}

TEST_F(GuestLogTest, NoTruncationRecordAtTheLimitExactly) {
  GuestLog log(sink(), "c", "r", GuestLogLimits{.maxLines = 2, .maxLineBytes = 100});
  log.append("a\nb\n\n\n");
  ASSERT_TRUE(log.finish());
  EXPECT_EQ(messages(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(GuestLogTest, FinishTwiceLogsOnce) {
  {
    GuestLog log(sink(), "c", "r", GuestLogLimits{.maxLines = 1, .maxLineBytes = 100});
    log.append("a\nb\nc");
    ASSERT_TRUE(log.finish());
    ASSERT_TRUE(log.finish());
    log.append("late\n");  // after finish: the line limit still applies, nothing is written past the summary
  }
  auto recs = records();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["message"], "a");
  EXPECT_EQ(recs[1]["dropped_lines"], 2);
}

TEST_F(GuestLogTest, AnyBytesStayValidJson) {
  GuestLog log(sink(), "c", "r");
  static const char raw[] = "bad \xFF\xC0 bytes, a \"quote\", a tab\t and NUL \0 end\n";
  static const char want[] = "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes, a \"quote\", a tab\t and NUL \0 end";
  log.append(std::string_view(raw, sizeof raw - 1));
  ASSERT_TRUE(log.finish());
  auto msgs = messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0], std::string(want, sizeof want - 1));
}

TEST(GuestLogFailure, FinishReportsTheFirstFailedWrite) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  LogSink full{UniqueFd(fd)};
  GuestLog log(full, "c", "r");
  log.append("a\nb\n");
  auto finished = log.finish();
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, ErrorCode::Io);
  EXPECT_NE(finished.error().message.find("No space left on device"), std::string::npos) << finished.error().message;
  EXPECT_FALSE(log.finish());  // and keeps saying so
}

}  // namespace
}  // namespace wasmops::ops
