// http::parseCgiResponse: a WAGI guest's stdout as an HTTP response (RFC 3875
// §6 as WAGI reads it). Status/Location/Content-Type rules, LF and CRLF,
// byte-exact bodies, and every way a guest could smuggle a header or break
// the framing: control characters, obs-fold, non-token names, framing
// headers, oversize header sections.
#include "http/CgiResponse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmops::http {
namespace {

using namespace std::string_literals;

CgiResponse ok(const std::string& out, const CgiLimits& limits = {}) {
  auto r = parseCgiResponse(out, limits);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : CgiResponse{};
}

std::string bad(const std::string& out, const CgiLimits& limits = {}) {
  auto r = parseCgiResponse(out, limits);
  EXPECT_FALSE(r.has_value()) << "accepted: status " << (r ? r->response.status : 0);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::Invalid);
  EXPECT_NE(r.error().message.find("malformed WAGI response"), std::string::npos) << r.error().message;
  return r.error().message;
}

HeaderList headers(std::initializer_list<std::pair<const char*, const char*>> l) {
  HeaderList h;
  for (auto& [k, v] : l) h.emplace_back(k, v);
  return h;
}

TEST(CgiResponse, ContentTypeOnlyIs200WithTheBody) {
  const auto r = ok("Content-Type: text/plain\n\nhello\n");
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.headers, headers({{"Content-Type", "text/plain"}}));
  EXPECT_EQ(r.response.body, "hello\n");
  EXPECT_TRUE(r.dropped.empty());
}

TEST(CgiResponse, CrlfLineEndsAreTheSameAsLf) {
  const auto lf = ok("Content-Type: text/html\nX-A: 1\n\n<p>\r\n");
  const auto crlf = ok("Content-Type: text/html\r\nX-A: 1\r\n\r\n<p>\r\n");
  EXPECT_EQ(lf.response.headers, crlf.response.headers);
  EXPECT_EQ(crlf.response.headers, headers({{"Content-Type", "text/html"}, {"X-A", "1"}}));
  // The body is everything after the empty line, its own CRLFs untouched.
  EXPECT_EQ(lf.response.body, "<p>\r\n");
  EXPECT_EQ(crlf.response.body, "<p>\r\n");
}

TEST(CgiResponse, MixedLineEndsEndTheHeadersAtTheFirstEmptyLine) {
  const auto r = ok("Content-Type: a/b\r\nX-A: 1\n\r\nrest\n\nmore");
  EXPECT_EQ(r.response.headers.size(), 2u);
  EXPECT_EQ(r.response.body, "rest\n\nmore");
}

TEST(CgiResponse, BodyPassesThroughByteExact) {
  std::string body;
  for (int i = 0; i < 256; ++i) body += static_cast<char>(i);
  body += "\0\0\r\n\r\n\nContent-Type: x\n\n"s;
  const auto r = ok("Content-Type: application/octet-stream\n\n" + body);
  EXPECT_EQ(r.response.body.size(), body.size());
  EXPECT_EQ(r.response.body, body);
}

TEST(CgiResponse, EmptyBodyIsFine) {
  const auto r = ok("Content-Type: text/plain\n\n");
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body, "");
  EXPECT_EQ(ok("Content-Type: text/plain\r\n\r\n").response.body, "");
}

TEST(CgiResponse, StatusWithAndWithoutReason) {
  auto r = ok("Status: 404 Not Found\nContent-Type: text/plain\n\nnope");
  EXPECT_EQ(r.response.status, 404);
  // Status is consumed, never sent as a header.
  EXPECT_EQ(r.response.headers, headers({{"Content-Type", "text/plain"}}));
  EXPECT_EQ(r.response.body, "nope");
  EXPECT_EQ(ok("Status: 201\nContent-Type: text/plain\n\n").response.status, 201);
  EXPECT_EQ(ok("Status:418 I'm a teapot\nContent-Type: text/plain\n\n").response.status, 418);
  EXPECT_EQ(ok("Status:   503   \nContent-Type: text/plain\n\n").response.status, 503);
  EXPECT_EQ(ok("Status: 299 Whatever Reason, With Punctuation!\nContent-Type: a/b\n\n").response.status, 299);
}

TEST(CgiResponse, StatusNameIsCaseInsensitive) {
  EXPECT_EQ(ok("status: 500\nContent-Type: a/b\n\n").response.status, 500);
  EXPECT_EQ(ok("STATUS: 410 Gone\nContent-Type: a/b\n\n").response.status, 410);
}

TEST(CgiResponse, StatusMustBeThreeDigitsIn200To599) {
  bad("Status: 2x0 junk\nContent-Type: a/b\n\n");
  bad("Status: 1000 Too Big\nContent-Type: a/b\n\n");
  bad("Status: 20\nContent-Type: a/b\n\n");
  bad("Status: \nContent-Type: a/b\n\n");
  bad("Status: OK\nContent-Type: a/b\n\n");
  bad("Status: 600\nContent-Type: a/b\n\n");
  bad("Status: 099\nContent-Type: a/b\n\n");
  bad("Status: -200\nContent-Type: a/b\n\n");
  bad("Status: 200OK\nContent-Type: a/b\n\n");
  bad("Status: 200\tOK\nContent-Type: a/b\n\n");  // the reason is separated by one space (RFC 3875 §6.3.3)
  // 1xx are interim: a guest cannot end a request with one.
  bad("Status: 100 Continue\nContent-Type: a/b\n\n");
  bad("Status: 101 Switching Protocols\nContent-Type: a/b\n\n");
  EXPECT_EQ(ok("Status: 200\nContent-Type: a/b\n\n").response.status, 200);
  EXPECT_EQ(ok("Status: 599\nContent-Type: a/b\n\n").response.status, 599);
}

TEST(CgiResponse, TheLastStatusWins) {
  EXPECT_EQ(ok("Status: 404\nStatus: 410\nContent-Type: a/b\n\n").response.status, 410);
}

TEST(CgiResponse, LocationWithoutStatusIsAFound) {
  const auto r = ok("Location: https://example.com/next\n\n");
  EXPECT_EQ(r.response.status, 302);
  EXPECT_EQ(r.response.headers, headers({{"Location", "https://example.com/next"}}));
  EXPECT_EQ(r.response.body, "");
  // Case of the name does not matter; the name is sent as written.
  const auto lower = ok("location: /x\n\n");
  EXPECT_EQ(lower.response.status, 302);
  EXPECT_EQ(lower.response.headers, headers({{"location", "/x"}}));
}

TEST(CgiResponse, ExplicitStatusBeatsLocationsFoundInEitherOrder) {
  EXPECT_EQ(ok("Status: 301 Moved Permanently\nLocation: /new\n\n").response.status, 301);
  EXPECT_EQ(ok("Location: /new\nStatus: 307\n\n").response.status, 307);
  EXPECT_EQ(ok("Location: /new\nContent-Type: text/html\n\n<a>").response.status, 302);
}

TEST(CgiResponse, LoneStatusIsAccepted) {
  // RFC 3875 wants Content-Type or Location; WAGI and Spin accept a Status alone.
  const auto r = ok("Status: 404\n\n");
  EXPECT_EQ(r.response.status, 404);
  EXPECT_TRUE(r.response.headers.empty());
}

TEST(CgiResponse, MissingContentTypeLocationAndStatusIsMalformed) {
  const std::string m = bad("X-Custom: yes\n\nbody");
  EXPECT_NE(m.find("Content-Type"), std::string::npos) << m;
  bad("Set-Cookie: a=1\r\n\r\n");
}

TEST(CgiResponse, EmptyOutputAndNoEmptyLineAreMalformed) {
  EXPECT_NE(bad("").find("nothing"), std::string::npos);
  EXPECT_NE(bad("Content-Type: text/plain\n").find("no empty line"), std::string::npos);
  bad("Content-Type: text/plain");
  bad("Content-Type: text/plain\nhello world");  // a body with no separator
  bad("hello world\n");                          // plain text, no headers
}

TEST(CgiResponse, ALeadingEmptyLineMeansNoHeaders) {
  // The empty line comes first: no Content-Type, so malformed rather than a body.
  bad("\nContent-Type: text/plain\n\nbody");
  bad("\r\n");
}

TEST(CgiResponse, ValuesAreTrimmedAndMayBeEmpty) {
  const auto r = ok("Content-Type:text/plain\nX-Pad: \t spaced out \t\nX-Empty:\nX-Colons: a:b:c\n\n");
  EXPECT_EQ(r.response.headers,
            headers({{"Content-Type", "text/plain"}, {"X-Pad", "spaced out"}, {"X-Empty", ""}, {"X-Colons", "a:b:c"}}));
}

TEST(CgiResponse, InnerTabsAndObsTextStay) {
  const auto r = ok("Content-Type: text/plain\nX-Tab: a\tb\nX-Utf8: caf\xc3\xa9\n\n");
  EXPECT_EQ(r.response.headers[1].second, "a\tb");
  EXPECT_EQ(r.response.headers[2].second, "caf\xc3\xa9");
}

TEST(CgiResponse, RepeatedHeadersAreAllKeptInOrder) {
  const auto r = ok("Content-Type: text/plain\nSet-Cookie: a=1\nX-Other: o\nset-cookie: b=2\nSet-Cookie: c=3\n\n");
  EXPECT_EQ(r.response.headers, headers({{"Content-Type", "text/plain"},
                                         {"Set-Cookie", "a=1"},
                                         {"X-Other", "o"},
                                         {"set-cookie", "b=2"},
                                         {"Set-Cookie", "c=3"}}));
}

TEST(CgiResponse, FramingAndHopByHopHeadersAreDroppedAndReported) {
  const std::string body = "0\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: evil=1\r\nContent-Length: 0\r\n\r\n";
  const auto r = ok(
      "Content-Type: text/plain\nContent-Length: 2\nTransfer-Encoding: chunked\nconnection: close\nKeep-Alive: 5\n"
      "TE: trailers\nTrailer: X\nUpgrade: h2c\nProxy-Connection: keep-alive\nX-Kept: 1\n\n" +
      body);
  EXPECT_EQ(r.response.headers, headers({{"Content-Type", "text/plain"}, {"X-Kept", "1"}}));
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"Content-Length", "Transfer-Encoding", "connection", "Keep-Alive", "TE",
                                                 "Trailer", "Upgrade", "Proxy-Connection"}));
  // The whole rest is the one body: the host frames it itself.
  EXPECT_EQ(r.response.body, body);
}

TEST(CgiResponse, HeaderValueWithBareCrIsRefused) {
  bad("Content-Type: text/plain\nX-Note: a\rSet-Cookie: evil=1\n\ninject test\n");
  bad("Content-Type: text/plain\nLocation: /x\rSet-Cookie: evil=1\n\n");
  bad("Content-Type: text/plain\nStatus: 200 OK\rSet-Cookie: evil=1\n\n");
  bad("Content-Type: text/plain\rX: y\n\n");
}

TEST(CgiResponse, HeaderValueWithNulOrOtherControlIsRefused) {
  bad("Content-Type: text/plain\nX-Note: a\0Set-Cookie: evil=1\n\ninject test\n"s);
  bad("Content-Type: text/plain\nX-Note: \x1b[31mred\n\n");
  bad("Content-Type: text/plain\nX-Note: del\x7f\n\n");
  bad("Content-Type: text/plain\nX-Note: \x0b\n\n");
  const std::string m = bad("Content-Type: text/plain\nX-Note: a\rb\n\n");
  EXPECT_NE(m.find("X-Note"), std::string::npos) << m;
}

TEST(CgiResponse, CrlfInsideTheHeaderSectionEndsALine) {
  // In CGI output CRLF ends a header line, so these are two headers of the guest's.
  const auto r = ok("Content-Type: text/plain\nX-Note: a\r\nSet-Cookie: evil=1\r\n\ninject test\n");
  EXPECT_EQ(r.response.headers,
            headers({{"Content-Type", "text/plain"}, {"X-Note", "a"}, {"Set-Cookie", "evil=1"}}));
  EXPECT_EQ(r.response.body, "inject test\n");
}

TEST(CgiResponse, ObsFoldIsRefused) {
  bad("Content-Type: text/plain\nX-Note: a\n Set-Cookie: evil=1\n\ninject test\n");
  bad("Content-Type: text/plain\nX-Note: a\n\tcontinued\n\n");
  bad(" Content-Type: text/plain\n\n");
}

TEST(CgiResponse, NamesMustBeTokens) {
  bad("Content-Type: text/plain\nX Note : a\n\n");        // space inside and before the colon
  bad("Content-Type : text/plain\n\n");                   // whitespace before the colon
  bad("Content-Type: text/plain\n: no name\n\n");          // empty name
  bad("Content-Type: text/plain\nX(a): 1\n\n");            // separator
  bad("Content-Type: text/plain\nX\xc3\xa9: 1\n\n");       // non-ASCII
  bad("Content-Type: text/plain\nX\0Y: 1\n\n"s);           // NUL in a name
  bad("Content-Type: text/plain\nno colon at all\n\n");
  const std::string m = bad("Content-Type: text/plain\nX\x1b]0;pwned\x07: 1\n\n");
  // The log shows the bytes escaped, never raw control characters.
  EXPECT_EQ(m.find('\x1b'), std::string::npos) << m;
  EXPECT_EQ(m.find('\x07'), std::string::npos) << m;
  const auto r = ok("Content-Type: text/plain\nX-!#$%&'*+.^_`|~09az: 1\n\n");
  EXPECT_EQ(r.response.headers[1].first, "X-!#$%&'*+.^_`|~09az");
}

TEST(CgiResponse, ErrorMessagesDoNotCarryRawLineBreaks) {
  const std::string m = bad("Content-Type: text/plain\nX\rInjected-Log-Line\n\n");
  EXPECT_EQ(m.find('\r'), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

TEST(CgiResponse, NoContentAndNotModifiedHaveNoBody) {
  // The bytes would follow a body-less response on the wire: the client
  // would read them as the next response.
  const auto r = ok("Status: 204\nContent-Type: text/plain\n\nHTTP/1.1 200 OK\r\nSet-Cookie: evil=1\r\n\r\n");
  EXPECT_EQ(r.response.status, 204);
  EXPECT_EQ(r.response.body, "");
  EXPECT_EQ(ok("Status: 304 Not Modified\n\nstale").response.body, "");
  EXPECT_EQ(ok("Status: 205\nContent-Type: a/b\n\nkept").response.body, "kept");
}

TEST(CgiResponse, HeaderSectionLimitCountsEveryByteUpToTheEmptyLine) {
  CgiLimits limits;
  limits.maxHeaderBytes = 64;
  const std::string head = "Content-Type: text/plain\n";            // 25 bytes
  const std::string pad = "X: " + std::string(64 - 25 - 1 - 4, 'a') + "\n";  // up to 63 bytes
  ASSERT_EQ(head.size() + pad.size() + 1, 64u);
  // Exactly at the limit (the empty line included): accepted, and the body may be any size.
  const auto r = ok(head + pad + "\n" + std::string(10'000, 'b'), limits);
  EXPECT_EQ(r.response.body.size(), 10'000u);
  // One byte more: refused.
  const std::string m = bad(head + "a" + pad + "\n", limits);
  EXPECT_NE(m.find("64 bytes"), std::string::npos) << m;
  // CRLF bytes count too.
  bad("Content-Type: text/plain\r\n" + pad + "\r\n", limits);
}

TEST(CgiResponse, OversizeHeaderWithoutANewlineIsRefusedAsTooBig) {
  CgiLimits limits;
  limits.maxHeaderBytes = 1024;
  const std::string m = bad("Content-Type: text/plain\nX-Big: " + std::string(1 << 20, 'x'), limits);
  EXPECT_NE(m.find("1024 bytes"), std::string::npos) << m;
  // Short output without an end stays "no empty line".
  EXPECT_NE(bad("Content-Type: text/plain\nX: y", limits).find("no empty line"), std::string::npos);
}

TEST(CgiResponse, DefaultLimitRefusesAHugeHeaderSection) {
  // 70 headers (under the count limit) of 1 KB: past the 64 KiB default.
  std::string out = "Content-Type: text/plain\n";
  for (int i = 0; i < 70; ++i) out += "X-Pad" + std::to_string(i) + ": " + std::string(1000, 'p') + "\n";
  const std::string m = bad(out + "\nbody");
  EXPECT_NE(m.find("65536 bytes"), std::string::npos) << m;
  // 60 of them fit.
  std::string fits = "Content-Type: text/plain\n";
  for (int i = 0; i < 60; ++i) fits += "X-Pad" + std::to_string(i) + ": " + std::string(1000, 'p') + "\n";
  EXPECT_EQ(ok(fits + "\nbody").response.headers.size(), 61u);
}

TEST(CgiResponse, HeaderCountLimit) {
  CgiLimits limits;
  limits.maxHeaders = 3;
  EXPECT_EQ(ok("Content-Type: a/b\nA: 1\nB: 2\n\n", limits).response.headers.size(), 3u);
  EXPECT_NE(bad("Content-Type: a/b\nA: 1\nB: 2\nC: 3\n\n", limits).find("more than 3 headers"), std::string::npos);
  // Status and dropped headers do not count against it.
  EXPECT_EQ(ok("Status: 200\nContent-Length: 1\nContent-Type: a/b\nA: 1\nB: 2\n\n", limits).response.headers.size(), 3u);
}

TEST(CgiResponse, ManyValidHeadersUnderTheDefaultLimitsAreKept) {
  std::string out = "Content-Type: text/plain\n";
  for (int i = 0; i < 99; ++i) out += "X-H" + std::to_string(i) + ": v" + std::to_string(i) + "\n";
  const auto r = ok(out + "\n");
  ASSERT_EQ(r.response.headers.size(), 100u);
  EXPECT_EQ(r.response.headers[99].first, "X-H98");
  EXPECT_EQ(r.response.headers[99].second, "v98");
  bad(out + "X-One-Too-Many: 1\n\n");
}

}  // namespace
}  // namespace wasmops::http
