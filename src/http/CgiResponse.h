#pragma once
// A WAGI guest's stdout as an HTTP response (CGI/1.1, RFC 3875 §6, as WAGI
// reads it): header lines, an empty line, the body. `Status: 404 Not
// Found` sets the status; `Location` without a Status is a 302; one of
// Content-Type or Location is required. Anything else is malformed, and
// the host answers 500 with the reason in its log.
//
// A guest's headers never reach the wire unchecked: a name must be an
// RFC 9110 token and a value may hold no control character but tab (no
// bare CR, LF or NUL to split the response); framing and connection
// headers (Content-Length, Transfer-Encoding, Connection, Keep-Alive, TE,
// Trailer, Upgrade) are the host's own and are dropped.
#include <string>
#include <string_view>

#include "base/Error.h"
#include "http/HttpMessage.h"

namespace wasmops::http {

struct CgiLimits {
  std::size_t maxHeaderBytes = 64 * 1024;
  std::size_t maxHeaders = 100;
};

struct CgiResponse {
  Response response;
  std::vector<std::string> dropped;  // headers the host removed, for the log
};

Expected<CgiResponse> parseCgiResponse(std::string output, const CgiLimits& limits = {});

}  // namespace wasmops::http
