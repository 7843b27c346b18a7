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

bool hostOwned(std::string_view name) {
  for (const char* h : {"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "TE", "Trailer", "Upgrade",
                        "Proxy-Connection"})
    if (equalsIgnoreCase(name, h)) return true;
  return false;
}

Error malformed(std::string what) { return Error(ErrorCode::Invalid, "malformed WAGI response: " + std::move(what)); }

// "404 Not Found" or "404": the code, if it is one.
std::optional<int> statusCode(std::string_view v) {
  if (v.size() < 3 || !std::isdigit(static_cast<unsigned char>(v[0])) || !std::isdigit(static_cast<unsigned char>(v[1])) ||
      !std::isdigit(static_cast<unsigned char>(v[2])))
    return std::nullopt;
  if (v.size() > 3 && v[3] != ' ') return std::nullopt;
  const int code = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
  if (code < 100 || code > 599) return std::nullopt;
  return code;
}

}  // namespace

Expected<CgiResponse> parseCgiResponse(std::string output, const CgiLimits& limits) {
  CgiResponse out;
  Response& r = out.response;
  std::size_t pos = 0;
  std::size_t lineNo = 0;
  bool ended = false, hasType = false, hasLocation = false;
  std::optional<int> status;
  while (pos < output.size()) {
    const auto nl = output.find('\n', pos);
    if (nl == std::string::npos) break;
    std::string_view line(output.data() + pos, nl - pos);
    pos = nl + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      ended = true;
      break;
    }
    if (pos > limits.maxHeaderBytes) return tl::unexpected(malformed(fmt::format("the headers pass {} bytes", limits.maxHeaderBytes)));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return tl::unexpected(malformed(fmt::format("header line {} has no ':' (\"{}\")", lineNo, fmt::format("{:.60}", line))));
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (!validName(name)) return tl::unexpected(malformed(fmt::format("header line {}: \"{:.60}\" is not a header name", lineNo, name)));
    if (!validValue(value))
      return tl::unexpected(malformed(fmt::format("header '{}' holds a control character (response splitting refused)", name)));
    if (equalsIgnoreCase(name, "Status")) {
      status = statusCode(value);
      if (!status) return tl::unexpected(malformed(fmt::format("Status \"{:.60}\" is not a 3-digit code from 100 to 599", value)));
      continue;
    }
    if (hostOwned(name)) {
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
  if (!hasType && !hasLocation) return tl::unexpected(malformed("neither Content-Type nor Location is set"));
  r.status = status ? *status : hasLocation ? 302 : 200;
  output.erase(0, pos);
  r.body = std::move(output);
  return out;
}

}  // namespace wasmops::http
