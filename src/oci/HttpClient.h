#pragma once
// A small synchronous HTTP client over one libcurl easy handle (connections
// are reused between requests). Errors as values: transport failures
// (refused, reset, TLS, timeout) are Network errors; any HTTP status is a
// successful response for the caller to judge.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/Error.h"

namespace wasmops::oci {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;    // "Name: value"
  std::span<const std::uint8_t> body;  // not owned; must outlive perform()
  bool followRedirects = true;
  bool verifyTls = true;
  // Responses with a 2xx status stream their body here when set; other
  // responses (and all when unset) are buffered up to maxBufferedBody.
  std::function<Expected<void>(std::span<const std::uint8_t>)> sink;
  std::size_t maxBufferedBody = 4u << 20;
  // Called with bytes sent or received so far and the total when known.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, last response only
  std::string body;                                          // when not streamed
  std::string effectiveUrl;                                  // after redirects

  // First header with this (lower-case) name.
  std::optional<std::string> header(std::string_view name) const;
  // Every header with this name (WWW-Authenticate may repeat).
  std::vector<std::string> headerAll(std::string_view name) const;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Expected<HttpResponse> perform(const HttpRequest& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// "https://host/v2/" + "/path?x" → absolute URL; keeps absolute Location values.
std::string resolveUrl(const std::string& base, const std::string& location);
// Percent-encodes a query parameter value.
std::string urlEncode(std::string_view text);

}  // namespace wasmops::oci
