// WAGI host tests: header injection through a guest's response; the host must sanitize or reject it (`?case=CASE`, default cr).
//
// Each case writes `Content-Type: text/plain` and the body `inject test\n`
// besides the line(s) below.
//
// Smuggled headers: `Set-Cookie: evil=1` hidden where a parser that disagrees
// with the client's could make it a header of its own. The client must never
// receive a `Set-Cookie` header from these: the host answers 500, or drops the
// line, or keeps the text inside the one header's value with no CR, LF or NUL.
//   cr           (default) `X-Note: a\rSet-Cookie: evil=1\n` (a bare CR inside a value)
//   fold         `X-Note: a\n Set-Cookie: evil=1\n` (obs-fold: a continuation line starting with a space)
//   nul          `X-Note: a\0Set-Cookie: evil=1\n`
//   location     `Location: /x\rSet-Cookie: evil=1\n`
//   status       `Status: 200 OK\rSet-Cookie: evil=1\n` (a Status with junk after a bare CR): 500
//   framing      the guest's own `Content-Length: 2` and `Transfer-Encoding: chunked`, and a body that
//                holds a whole second HTTP response with a Set-Cookie: the host frames the body itself, so
//                the client reads one response whose body is every byte the guest wrote after the empty line
// Other bad headers:
//   crlf         `X-Note: a\r\nSet-Cookie: evil=1\r\n`: in a CGI response CRLF ends a header
//                line, so these ARE two header lines of the guest's (a guest may set cookies); the check is
//                that both arrive as separate, well-formed headers and X-Note's value is exactly `a`
//   name         `X Note : a` (a header name that is not a token): 500, or the line dropped
//   status-junk  `Status: 2x0 junk` (not a three-digit code): 500
//   status-range `Status: 1000 Too Big` (out of 100..599): 500
#include "cgi.h"

#define CT "Content-Type: text/plain\n"
#define BODY "\ninject test\n"

int main(void) {
  char c[32];
  if (!query_param("case", c, sizeof c) || !*c) strcpy(c, "cr");
  if (!strcmp(c, "crlf")) {
    write_str(1, CT "X-Note: a\r\nSet-Cookie: evil=1\r\n" BODY);
  } else if (!strcmp(c, "cr")) {
    write_str(1, CT "X-Note: a\rSet-Cookie: evil=1\n" BODY);
  } else if (!strcmp(c, "fold")) {
    write_str(1, CT "X-Note: a\n Set-Cookie: evil=1\n" BODY);
  } else if (!strcmp(c, "nul")) {
    static const char out[] = CT "X-Note: a\0Set-Cookie: evil=1\n" BODY;
    write_all(1, out, sizeof out - 1);
  } else if (!strcmp(c, "name")) {
    write_str(1, CT "X Note : a\n" BODY);
  } else if (!strcmp(c, "location")) {
    write_str(1, CT "Location: /x\rSet-Cookie: evil=1\n" BODY);
  } else if (!strcmp(c, "status")) {
    write_str(1, CT "Status: 200 OK\rSet-Cookie: evil=1\n" BODY);
  } else if (!strcmp(c, "status-junk")) {
    write_str(1, CT "Status: 2x0 junk\n" BODY);
  } else if (!strcmp(c, "status-range")) {
    write_str(1, CT "Status: 1000 Too Big\n" BODY);
  } else if (!strcmp(c, "framing")) {
    write_str(1, CT "Content-Length: 2\nTransfer-Encoding: chunked\n\n"
                    "0\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: evil=1\r\nContent-Length: 0\r\n\r\n");
  } else {
    write_str(2, "inject: unknown case\n");
    write_str(1, "Status: 400 Bad Request\n" CT "\nunknown case\n");
  }
  return 0;
}
