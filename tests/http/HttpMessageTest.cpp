// http::HttpMessage helpers: case-insensitive names, header lookup, the
// host's own plain-text responses, reason phrases.
#include "http/HttpMessage.h"

#include <gtest/gtest.h>

#include <string>

namespace wasmops::http {
namespace {

TEST(HttpMessage, EqualsIgnoreCaseComparesAsciiLettersWithoutCase) {
  EXPECT_TRUE(equalsIgnoreCase("Content-Type", "content-type"));
  EXPECT_TRUE(equalsIgnoreCase("CONTENT-TYPE", "content-Type"));
  EXPECT_TRUE(equalsIgnoreCase("", ""));
  EXPECT_FALSE(equalsIgnoreCase("Content-Type", "Content-Typ"));
  EXPECT_FALSE(equalsIgnoreCase("Content-Type", "Content_Type"));  // '-' and '_' differ
  EXPECT_FALSE(equalsIgnoreCase("a", ""));
  EXPECT_FALSE(equalsIgnoreCase("x-a", "x-b"));
  // Only ASCII folds: bytes >= 0x80 compare as they are.
  EXPECT_TRUE(equalsIgnoreCase("\xc3\xa9", "\xc3\xa9"));
  EXPECT_FALSE(equalsIgnoreCase("\xc3\xa9", "\xc3\x89"));
  // Embedded NUL is a byte like any other.
  EXPECT_FALSE(equalsIgnoreCase(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  EXPECT_TRUE(equalsIgnoreCase(std::string_view("A\0B", 3), std::string_view("a\0b", 3)));
}

TEST(HttpMessage, HeaderFindsTheFirstValueWhateverTheCase) {
  Request r;
  r.headers = {{"Host", "example.com"}, {"X-Dup", "first"}, {"x-dup", "second"}, {"Empty", ""}};
  EXPECT_EQ(r.header("host"), "example.com");
  EXPECT_EQ(r.header("HOST"), "example.com");
  EXPECT_EQ(r.header("X-DUP"), "first");
  EXPECT_EQ(r.header("Empty"), "");
  EXPECT_EQ(r.header("Missing"), "");
  EXPECT_TRUE(r.header("Missing").empty());
  EXPECT_EQ(r.header("X-Du"), "");  // no prefix match
}

TEST(HttpMessage, HeaderOfARequestWithoutHeadersIsEmpty) {
  Request r;
  EXPECT_TRUE(r.header("Host").empty());
}

TEST(HttpMessage, TextResponseIsPlainUtf8AndEndsWithANewline) {
  const Response r = Response::text(503, "busy");
  EXPECT_EQ(r.status, 503);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Content-Type");
  EXPECT_EQ(r.headers[0].second, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "busy\n");
}

TEST(HttpMessage, TextResponseDoesNotDoubleTheNewlineOrInventABody) {
  EXPECT_EQ(Response::text(500, "already\n").body, "already\n");
  EXPECT_EQ(Response::text(204, "").body, "");
  EXPECT_EQ(Response::text(400, "two\nlines").body, "two\nlines\n");
}

TEST(HttpMessage, DefaultResponseIsAnEmpty200) {
  const Response r;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpMessage, ReasonPhrasesOfCommonCodes) {
  EXPECT_EQ(reasonPhrase(200), "OK");
  EXPECT_EQ(reasonPhrase(204), "No Content");
  EXPECT_EQ(reasonPhrase(302), "Found");
  EXPECT_EQ(reasonPhrase(304), "Not Modified");
  EXPECT_EQ(reasonPhrase(400), "Bad Request");
  EXPECT_EQ(reasonPhrase(404), "Not Found");
  EXPECT_EQ(reasonPhrase(413), "Content Too Large");  // RFC 9110's name, not "Payload Too Large"
  EXPECT_EQ(reasonPhrase(429), "Too Many Requests");
  EXPECT_EQ(reasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reasonPhrase(500), "Internal Server Error");
  EXPECT_EQ(reasonPhrase(503), "Service Unavailable");
  EXPECT_EQ(reasonPhrase(504), "Gateway Timeout");
}

TEST(HttpMessage, ReasonPhraseIsEmptyForUnknownCodes) {
  EXPECT_EQ(reasonPhrase(299), "");
  EXPECT_EQ(reasonPhrase(599), "");
  EXPECT_EQ(reasonPhrase(0), "");
  EXPECT_EQ(reasonPhrase(-1), "");
  EXPECT_EQ(reasonPhrase(1000), "");
}

TEST(HttpMessage, EveryKnownReasonIsPrintableAscii) {
  // A reason goes on the status line as is: no CR, LF or control byte.
  for (int code = 100; code < 600; ++code) {
    for (char c : reasonPhrase(code)) {
      EXPECT_GE(static_cast<unsigned char>(c), 0x20) << code;
      EXPECT_LT(static_cast<unsigned char>(c), 0x7f) << code;
    }
  }
}

}  // namespace
}  // namespace wasmops::http
