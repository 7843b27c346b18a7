#include "ops/AccessLog.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ops/LogTime.h"
#include "support/TempDir.h"

namespace wasmops::ops {
namespace {

using namespace std::chrono;

system_clock::time_point at(int y, unsigned mo, unsigned d, hours h, minutes mi, seconds s, milliseconds ms) {
  return sys_days{year{y} / month{mo} / day{d}} + h + mi + s + ms;
}

AccessRecord sample() {
  AccessRecord r;
  r.time = at(2024, 5, 1, 12h, 34min, 56s, 789ms);
  r.requestId = "r-1";
  r.method = "GET";
  r.path = "/hello?x=1";
  r.route = "/hello";
  r.component = "hello";
  r.status = 200;
  r.duration = 1234567ns;  // 1234.567 µs: logged as 1.235 ms
  r.bytesIn = 0;
  r.bytesOut = 13;
  r.client = "10.0.0.7:51234";
  return r;
}

TEST(LogTime, Rfc3339UtcWithMilliseconds) {
  EXPECT_EQ(formatRfc3339Millis(at(2024, 5, 1, 12h, 34min, 56s, 789ms)), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(formatRfc3339Millis(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatRfc3339Millis(at(2000, 2, 29, 23h, 59min, 59s, 5ms)), "2000-02-29T23:59:59.005Z");
  // Sub-millisecond parts are cut, not rounded up into the next second.
  EXPECT_EQ(formatRfc3339Millis(system_clock::time_point{999999us}), "1970-01-01T00:00:00.999Z");
  // Before 1970: floored, so the millisecond field stays in 0..999.
  EXPECT_EQ(formatRfc3339Millis(system_clock::time_point{-1ms}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatRfc3339Millis(system_clock::time_point{-1000ms}), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(formatRfc3339Millis(system_clock::time_point{-1500us}), "1969-12-31T23:59:59.998Z");
}

TEST(AccessLog, ExactLine) {
  EXPECT_EQ(formatAccessRecord(sample()),
            "{\"time\":\"2024-05-01T12:34:56.789Z\",\"request_id\":\"r-1\",\"method\":\"GET\",\"path\":\"/hello?x=1\","
            "\"route\":\"/hello\",\"component\":\"hello\",\"status\":200,\"duration_ms\":1.235,\"bytes_in\":0,"
            "\"bytes_out\":13,\"client\":\"10.0.0.7:51234\"}\n");
}

TEST(AccessLog, ParsesAsJsonWithKeysInOrder) {
  std::string line = formatAccessRecord(sample());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
  auto j = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "request_id", "method", "path", "route", "component", "status",
                                            "duration_ms", "bytes_in", "bytes_out", "client"}));
  EXPECT_EQ(j["status"], 200);
  EXPECT_TRUE(j["status"].is_number_integer());
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.235);
  EXPECT_EQ(j["bytes_out"], 13);
}

TEST(AccessLog, NoClientNoRouteNoComponent) {
  AccessRecord r = sample();
  r.client = {};
  r.route = {};
  r.component = {};
  r.status = 404;
  r.duration = 0ns;
  auto j = nlohmann::ordered_json::parse(formatAccessRecord(r));
  EXPECT_FALSE(j.contains("client"));
  EXPECT_EQ(j.size(), 10u);
  EXPECT_EQ(j["route"], "");  // present and empty, so every line has the same columns
  EXPECT_EQ(j["component"], "");
  EXPECT_EQ(j["duration_ms"], 0.0);
}

TEST(AccessLog, DurationRoundsToMicroseconds) {
  AccessRecord r = sample();
  r.duration = 1499ns;  // 1.499 µs -> 1 µs
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(formatAccessRecord(r))["duration_ms"].get<double>(), 0.001);
  r.duration = 2500ns;  // 2.5 µs -> 3 µs
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(formatAccessRecord(r))["duration_ms"].get<double>(), 0.003);
  r.duration = 3s;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(formatAccessRecord(r))["duration_ms"].get<double>(), 3000);
}

TEST(AccessLog, InvalidUtf8InPathBecomesReplacementCharacter) {
  AccessRecord r = sample();
  std::string path = "/caf\xE9/\xFF\xFE?q=\xC3\xA9";  // Latin-1 é, two bytes never in UTF-8, then a real é
  r.path = path;
  std::string line = formatAccessRecord(r);
  auto j = nlohmann::json::parse(line);  // throws if the line is not valid UTF-8 JSON
  std::string got = j["path"];
  EXPECT_EQ(got.find('\xE9'), std::string::npos);
  EXPECT_EQ(got.substr(0, 4), "/caf");
  EXPECT_NE(got.find("\xEF\xBF\xBD"), std::string::npos) << got;
  EXPECT_EQ(got.substr(got.size() - 4), "q=\xC3\xA9");  // valid text stays as it was
  EXPECT_EQ(got.find("\xEF\xBF\xBD/"), 4u) << got;
}

TEST(AccessLog, EscapesQuotesAndControlCharacters) {
  AccessRecord r = sample();
  std::string path = "/a\"b\\c\n\x01";
  r.path = path;
  std::string line = formatAccessRecord(r);
  EXPECT_NE(line.find(R"("path":"/a\"b\\c\n\u0001")"), std::string::npos) << line;
  EXPECT_EQ(nlohmann::json::parse(line)["path"], path);
}

TEST(AccessLog, WriteAppendsOneLine) {
  test::TempDir dir;
  std::string file = dir.path() + "/access.log";
  auto sink = LogSink::openFile(file);
  ASSERT_TRUE(sink) << sink.error().message;
  AccessLog log(*sink);
  ASSERT_TRUE(log.write(sample()));
  AccessRecord second = sample();
  second.requestId = "r-2";
  ASSERT_TRUE(log.write(second));
  std::ifstream in(file);
  std::string a, b, rest;
  ASSERT_TRUE(std::getline(in, a));
  ASSERT_TRUE(std::getline(in, b));
  EXPECT_FALSE(std::getline(in, rest));
  EXPECT_EQ(a + "\n", formatAccessRecord(sample()));
  EXPECT_EQ(nlohmann::json::parse(b)["request_id"], "r-2");
}

}  // namespace
}  // namespace wasmops::ops
