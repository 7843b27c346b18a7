#include "http/CgiResponse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace wasmops::http {
namespace {

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool validName(std::string_view n) { return !n.empty() && std::all_of(n.begin(), n.end(), isTokenChar); }

bool validValue(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error malformed(std::string what) { return Error(ErrorCode::Invalid, "malformed WAGI response: " + std::move(what)); }

// "404 Not Found" or "404": the code, if it is one (200..599).
std::optional<int> statusCode(std::string_view v) {
  if (v.size() < 3 || !std::isdigit(static_cast<unsigned char>(v[0])) || !std::isdigit(static_cast<unsigned char>(v[1])) ||
      !std::isdigit(static_cast<unsigned char>(v[2])))
    return std::nullopt;
  if (v.size() > 3 && v[3] != ' ') return std::nullopt;
  const int code = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
  // 1xx are interim responses: one cannot be the final answer to a request
  // (a client would wait for, or read the body as, the real response).
  if (code < 200 || code > 599) return std::nullopt;
  return code;
}

// A piece of guest output as it may appear in a log line: control bytes
// (CR, LF, NUL, ESC...) and non-ASCII ones as \xHH, at most 60 bytes, so a malformed
// header cannot forge log lines or hide itself.
std::string shown(std::string_view s) {
  std::string out;
  const std::size_t n = std::min<std::size_t>(s.size(), 60);
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == 0x7f || u >= 0x80 || s[i] == '"' || s[i] == '\\')
      out += fmt::format("\\x{:02x}", u);
    else
      out += s[i];
  }
  if (s.size() > n) out += "...";
  return out;
}

}  // namespace

Expected<CgiResponse> parseCgiResponse(std::string output, const CgiLimits& limits) {
  CgiResponse out;
  Response& r = out.response;
  std::size_t pos = 0;
  std::size_t lineNo = 0;
  bool ended = false, hasType = false, hasLocation = false;
  std::optional<int> status;
  const auto tooBig = [&] { return tl::unexpected(malformed(fmt::format("the headers pass {} bytes", limits.maxHeaderBytes))); };
  while (pos < output.size()) {
    // Never look past the limit for the end of a line: a guest that writes
    // megabytes without a newline is refused without scanning them all.
    const std::size_t window = limits.maxHeaderBytes > pos ? limits.maxHeaderBytes - pos : 0;
    const auto nl = std::string_view(output).substr(pos, window).find('\n');
    if (nl == std::string_view::npos) {
      if (output.size() - pos >= window) return tooBig();
      break;
    }
    std::string_view line(output.data() + pos, nl);
    pos += nl + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      ended = true;
      break;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return tl::unexpected(malformed(fmt::format("header line {} has no ':' (\"{}\")", lineNo, shown(line))));
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    // Also refuses obs-fold (a line starting with a space or tab) and
    // whitespace before the colon: the name would hold the blank.
    if (!validName(name)) return tl::unexpected(malformed(fmt::format("header line {}: \"{}\" is not a header name", lineNo, shown(name))));
    if (!validValue(value))
      return tl::unexpected(
          malformed(fmt::format("header '{}' holds a control character (response splitting refused)", shown(name))));
    if (equalsIgnoreCase(name, "Status")) {
      status = statusCode(value);
      if (!status) return tl::unexpected(malformed(fmt::format("Status \"{}\" is not a 3-digit code from 200 to 599", shown(value))));
      continue;
    }
    if (hostOwnedHeader(name)) {
      out.dropped.emplace_back(name);
      continue;
    }
    if (r.headers.size() >= limits.maxHeaders) return tl::unexpected(malformed(fmt::format("more than {} headers", limits.maxHeaders)));
    if (equalsIgnoreCase(name, "Content-Type")) hasType = true;
    if (equalsIgnoreCase(name, "Location")) hasLocation = true;
    r.headers.emplace_back(std::string(name), std::string(value));
  }
  if (!ended) {
    if (output.empty()) return tl::unexpected(malformed("the program wrote nothing to stdout"));
    return tl::unexpected(malformed("no empty line ends the headers"));
  }
  // RFC 3875 asks for Content-Type or Location; a lone Status is accepted,
  // as WAGI and Spin do (error statuses from CGI libraries often have no type).
  if (!hasType && !hasLocation && !status) return tl::unexpected(malformed("none of Content-Type, Location and Status is set"));
  r.status = status ? *status : hasLocation ? 302 : 200;
  // 204 and 304 have no content (RFC 9110 §15.3.5, §15.4.5): the bytes after
  // the empty line are dropped rather than sent, where the client would read
  // them as the start of the next response.
  // (Beast's prepare_payload also throws on such a body.)
  if (r.status == 204 || r.status == 304) return out;
  output.erase(0, pos);
  r.body = std::move(output);
  return out;
}

}  // namespace wasmops::http
