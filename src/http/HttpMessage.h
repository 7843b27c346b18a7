#pragma once
// The host's own view of one HTTP exchange, independent of the server
// library: executors and the router see these, never Beast's types, so the
// wasi:http executor (Component Model part 2) and tests plug in without the
// server.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasi/BodyPipe.h"

namespace wasmops::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;   // "GET"
  std::string target;   // as sent: "/a/b?x=1" (origin form)
  std::string path;     // "/a/b", still percent-encoded
  std::string query;    // "x=1", without '?'
  int versionMajor = 1, versionMinor = 1;
  HeaderList headers;   // names as sent; lookups ignore case
  std::string body;     // all of it, when bodyStream is null
  // The body as the server reads it, a piece at a time (null: no body, or
  // `body` has it all). Its writer ends it: finished with the chunked
  // trailers, or failed (the client went away, passed --max-body).
  std::shared_ptr<wasi::BodyPipe> bodyStream;
  std::string clientAddress;  // "127.0.0.1:53412"
  std::string localAddress;   // the listener's "127.0.0.1:3000"
  std::string scheme = "http";
  std::string requestId;

  // The first value of a header (case-insensitive name), or empty.
  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  // Set instead of `body`: the body as the guest writes it, sent chunked
  // (HTTP/1.0: until the connection closes) as it comes, with the trailers
  // it finishes with; a body that fails is cut off (the connection closes
  // without the last chunk).
  std::shared_ptr<wasi::BodyPipe> stream;

  // A plain-text response the host makes itself (errors, limits).
  static Response text(int status, std::string body);
};

// "Not Found" for 404; "" for codes without a standard reason.
std::string_view reasonPhrase(int status);

bool equalsIgnoreCase(std::string_view a, std::string_view b);

// Framing and connection headers (Content-Length, Transfer-Encoding,
// Connection, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection): the
// host's own, never taken from a guest's response.
bool hostOwnedHeader(std::string_view name);

}  // namespace wasmops::http
