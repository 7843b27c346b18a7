// libFuzzer target for http::parseCgiResponse: a WAGI guest's stdout is
// untrusted, and what the parser accepts goes onto the wire as headers.
// The input is the whole stdout; it is parsed twice, with the default
// limits and with tight ones (so the limit paths are reached by small
// inputs). Besides ASan+UBSan, each accepted response must hold what the
// host relies on (a __builtin_trap with a message otherwise):
//   - every header name is an RFC 9110 token, never Status nor a framing or
//     hop-by-hop header; every value is trimmed and holds no control byte
//     but tab (no CR, LF or NUL: no response splitting);
//   - the status is 200..599; 204 and 304 have an empty body;
//   - the body is exactly the input's bytes after the header section, and
//     that section is within maxHeaderBytes; at most maxHeaders headers;
// and each refusal's message holds no CR, LF or NUL (it goes to the log).
// Seeds: tests/fuzz/corpus_cgi/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "http/CgiResponse.h"

namespace {

using wasmops::http::CgiLimits;
using wasmops::http::equalsIgnoreCase;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_cgi: oracle failed: %s\n", what);
  __builtin_trap();
}

bool isTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void verify(const std::string& input, const CgiLimits& limits) {
  auto parsed = wasmops::http::parseCgiResponse(input, limits);
  if (!parsed) {
    const std::string& m = parsed.error().message;
    check(!m.empty(), "a refusal without a reason");
    for (char c : m) check(c != '\r' && c != '\n' && c != '\0', "raw CR, LF or NUL in a refusal's message");
    return;
  }
  const auto& r = parsed->response;
  check(r.status >= 200 && r.status <= 599, "status outside 200..599");
  check(r.headers.size() <= limits.maxHeaders, "more headers than maxHeaders");
  for (const auto& [name, value] : r.headers) {
    check(!name.empty(), "empty header name");
    for (char c : name) check(isTokenChar(c), "header name is not a token");
    for (const char* h : {"Status", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "TE", "Trailer",
                          "Upgrade", "Proxy-Connection"})
      check(!equalsIgnoreCase(name, h), "Status or a framing/hop-by-hop header was kept");
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      check(!((u < 0x20 && u != '\t') || u == 0x7f), "control byte in a header value");
    }
    check(value.empty() || (value.front() != ' ' && value.front() != '\t' && value.back() != ' ' && value.back() != '\t'),
          "header value not trimmed");
  }
  if (r.status == 204 || r.status == 304) {
    check(r.body.empty(), "a 204 or 304 with a body");
    return;
  }
  // The body is the input's tail, byte for byte, and what precedes it (the
  // header section with its empty line) is within the limit and ends in LF.
  check(r.body.size() <= input.size(), "body longer than the input");
  const std::size_t head = input.size() - r.body.size();
  check(std::string_view(input).substr(head) == r.body, "body is not the input's tail");
  check(head >= 1 && head <= limits.maxHeaderBytes, "header section outside 1..maxHeaderBytes");
  check(input[head - 1] == '\n', "header section does not end with a line feed");
  const std::string_view section(input.data(), head);
  check(section == "\n" || section == "\r\n" || section.ends_with("\n\n") || section.ends_with("\n\r\n"),
        "header section does not end with an empty line");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  verify(input, CgiLimits{});
  CgiLimits tight;
  tight.maxHeaderBytes = 96;
  tight.maxHeaders = 3;
  verify(input, tight);
  return 0;
}
