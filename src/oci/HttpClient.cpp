#include "oci/HttpClient.h"

#include "oci/CurlLibrary.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cstring>

namespace wasmops::oci {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curlApi().slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

// State shared with libcurl's callbacks for one transfer.
struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  std::size_t uploadOffset = 0;
  std::optional<Error> failure;  // set by a callback that aborts the transfer
};

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    t->response->headers.clear();  // a new response (after a redirect or 100-continue)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response->headers.emplace_back(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return size * count;
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  long status = 0;
  curlApi().easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->request->sink && status >= 200 && status < 300) {
    auto ok = t->request->sink({reinterpret_cast<const std::uint8_t*>(data), n});
    if (!ok) {
      t->failure = ok.error();
      return 0;
    }
    return n;
  }
  if (t->response->body.size() + n > t->request->maxBufferedBody) {
    t->failure = Error(ErrorCode::LimitExceeded, fmt::format("response from {} is larger than {} bytes",
                                                             t->request->url, t->request->maxBufferedBody));
    return 0;
  }
  t->response->body.append(data, n);
  return n;
}

std::size_t onRead(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto body = t->request->body;
  std::size_t n = std::min(size * count, body.size() - t->uploadOffset);
  std::memcpy(buffer, body.data() + t->uploadOffset, n);
  t->uploadOffset += n;
  return n;
}

// libcurl rewinds when it must resend the body (a redirect, an auth retry).
int onSeek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::size_t>(offset) > t->request->body.size())
    return CURL_SEEKFUNC_CANTSEEK;
  t->uploadOffset = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int onProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->request->body.empty())
    t->request->progress(static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
  else
    t->request->progress(static_cast<std::uint64_t>(dlnow), static_cast<std::uint64_t>(dltotal));
  return 0;
}

}  // namespace

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curlApi().easy_cleanup(curl);
  }
};

// libcurl is loaded by the first request, not here: a failure to load it
// is an error of that request.
HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {}

HttpClient::~HttpClient() = default;

Expected<HttpResponse> HttpClient::perform(const HttpRequest& request) {
  WASMOPS_TRY(const CurlApi* loaded, loadCurl());
  const CurlApi& api = *loaded;
  if (!handle_->curl) handle_->curl = api.easy_init();
  CURL* curl = handle_->curl;
  if (!curl) return makeError(ErrorCode::Internal, "libcurl could not create a handle");
  api.easy_reset(curl);

  HttpResponse response;
  Transfer transfer{curl, &request, &response, 0, std::nullopt};
  char errorBuffer[CURL_ERROR_SIZE] = {0};

  Slist headers;
  for (const auto& h : request.headers) {
    curl_slist* next = api.slist_append(headers.get(), h.c_str());
    if (!next) return makeError(ErrorCode::Internal, "out of memory building HTTP headers");
    (void)headers.release();
    headers.reset(next);
  }
  // libcurl would otherwise send "Expect: 100-continue" and wait on large bodies.
  {
    curl_slist* next = api.slist_append(headers.get(), "Expect:");
    if (next) {
      (void)headers.release();
      headers.reset(next);
    }
  }

  api.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  api.easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_USERAGENT, "wasmops");
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
  // Abort a transfer that stalls (under 1 byte/s for 60 s) rather than hang.
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1L : 0L);
  api.easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, request.verifyTls ? 1L : 0L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, request.verifyTls ? 2L : 0L);
  api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  api.easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);

  if (request.method == "HEAD") {
    api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    api.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    api.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    api.easy_setopt(curl, CURLOPT_READFUNCTION, onRead);
    api.easy_setopt(curl, CURLOPT_READDATA, &transfer);
    api.easy_setopt(curl, CURLOPT_SEEKFUNCTION, onSeek);
    api.easy_setopt(curl, CURLOPT_SEEKDATA, &transfer);
    // A 303 after POST must not turn into a GET that drops the request.
    api.easy_setopt(curl, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  }
  if (request.progress) {
    api.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    api.easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  }

  CURLcode rc = api.easy_perform(curl);
  if (transfer.failure) return Unexpected(std::move(*transfer.failure));
  if (rc != CURLE_OK) {
    Error e(ErrorCode::Network, fmt::format("{} {}: {}", request.method, request.url,
                                            errorBuffer[0] ? errorBuffer : api.easy_strerror(rc)));
    e.url = request.url;
    return Unexpected(std::move(e));
  }
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  char* effective = nullptr;
  api.easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effectiveUrl = effective;
  return response;
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::string> HttpResponse::headerAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k == name) out.push_back(v);
  return out;
}

std::string resolveUrl(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  auto schemeEnd = base.find("://");
  auto hostEnd = schemeEnd == std::string::npos ? std::string::npos : base.find('/', schemeEnd + 3);
  std::string origin = hostEnd == std::string::npos ? base : base.substr(0, hostEnd);
  if (!location.empty() && location[0] == '/') return origin + location;
  auto lastSlash = base.rfind('/');
  return (lastSlash != std::string::npos && lastSlash > schemeEnd + 2 ? base.substr(0, lastSlash + 1) : origin + "/") +
         location;
}

std::string urlEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

}  // namespace wasmops::oci
