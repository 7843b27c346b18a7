#pragma once
// One HTTP exchange as the wasi:http host sees it: the incoming request a
// host hands to `wasi:http/incoming-handler.handle`, and the response the
// guest sets on its response-outparam. Plain data, so the HTTP layer
// (server, executors) fills and reads it without knowing component Values.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "wasi/MemoryStream.h"

namespace wasmops::wasi {

// Field names are kept lower-case (as wasmtime's http::HeaderMap does); values are bytes.
using HttpFieldList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestHead {
  std::string method;         // "GET", or any token
  std::string scheme;         // "http", "https", or another
  std::string authority;      // "example.com:8080" (the Host header)
  std::string pathWithQuery;  // "/a/b?x=1"
  HttpFieldList headers;
};

// A message body the guest writes through wasi:io output-streams.
struct HttpBodyOut {
  std::shared_ptr<MemoryStream> data;  // bounded by the host's response limit
  bool streamTaken = false;            // write() hands out one stream
  bool finished = false;               // outgoing-body.finish was called
  bool abandoned = false;              // dropped without finish: the body is incomplete
  HttpFieldList trailers;
};

// What the guest passed to response-outparam.set.
struct HttpResponseSlot {
  bool set = false;
  // The guest answered with an error-code instead of a response: its case
  // name and payload ("internal-error(\"db down\")").
  std::optional<std::string> error;
  std::uint16_t status = 200;
  HttpFieldList headers;
  std::shared_ptr<HttpBodyOut> body;  // null when the guest never asked for one
};

// The guest's outgoing request, as wasi:http/outgoing-handler.handle gets it.
struct HttpOutgoingRequest {
  std::string method = "GET";
  std::optional<std::string> scheme, authority, pathWithQuery;
  HttpFieldList headers;
  std::shared_ptr<HttpBodyOut> body;
  std::optional<std::uint64_t> connectTimeoutNs, firstByteTimeoutNs, betweenBytesTimeoutNs;
};

// The wasi:http/types.error-code cases the host itself produces, by index.
namespace httperror {
inline constexpr std::uint32_t DestinationNotFound = 2, ConnectionRefused = 6, ConnectionTimeout = 8,
                               HttpRequestDenied = 15, HttpRequestUriInvalid = 19, HttpResponseIncomplete = 25,
                               HttpResponseTimeout = 33, HttpProtocolError = 35, InternalError = 38;
}

}  // namespace wasmops::wasi
