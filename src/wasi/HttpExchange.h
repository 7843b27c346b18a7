#pragma once
// One HTTP exchange as the wasi:http host sees it: the incoming request a
// host hands to `wasi:http/incoming-handler.handle`, and the response the
// guest sets on its response-outparam. Plain data, so the HTTP layer
// (server, executors) fills and reads it without knowing component Values.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/Error.h"
#include "wasi/BodyPipe.h"
#include "wasi/HostSignal.h"
#include "wasi/MemoryStream.h"

namespace wasmops::wasi {

// HttpFieldList (BodyPipe.h): field names are kept lower-case (as
// wasmtime's http::HeaderMap does); values are bytes.

struct HttpRequestHead {
  std::string method;         // "GET", or any token
  std::string scheme;         // "http", "https", or another
  std::string authority;      // "example.com:8080" (the Host header)
  std::string pathWithQuery;  // "/a/b?x=1"
  HttpFieldList headers;
};

// A message body the guest writes through wasi:io output-streams.
struct HttpBodyOut {
  // Bounded in all by the host's body limit; no window until whoever reads
  // it sets one (the server, once it sends a response's head).
  std::shared_ptr<BodyPipe> data;
  bool streamTaken = false;            // write() hands out one stream
  bool finished = false;               // outgoing-body.finish was called
  bool abandoned = false;              // dropped without finish: the body is incomplete
  HttpFieldList trailers;
  // Called once, when the guest finishes the body (true) or drops it
  // without finishing (false): an outbound request handed to
  // outgoing-handler.handle before its body was written is sent then.
  std::function<void(bool finished)> onEnd;
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
// handle() checks it first: a method token, a scheme of http or https
// (https when unset), an authority without userinfo or path, a path that
// starts with '/' ("/" when unset).
struct HttpOutgoingRequest {
  std::string method = "GET";
  std::optional<std::string> scheme, authority, pathWithQuery;
  HttpFieldList headers;              // names in lower case
  std::shared_ptr<HttpBodyOut> body;  // null when the guest never asked for one; finished when sent
  std::optional<std::uint64_t> connectTimeoutNs, firstByteTimeoutNs, betweenBytesTimeoutNs;
};

// The wasi:http/types.error-code cases the host itself produces, by index.
namespace httperror {
inline constexpr std::uint32_t DnsTimeout = 0, DnsError = 1, DestinationNotFound = 2, DestinationUnavailable = 3,
                               ConnectionRefused = 6, ConnectionTerminated = 7, ConnectionTimeout = 8,
                               ConnectionReadTimeout = 9, ConnectionWriteTimeout = 10, TlsProtocolError = 12,
                               TlsCertificateError = 13, HttpRequestDenied = 15, HttpRequestBodySize = 17,
                               HttpRequestMethodInvalid = 18, HttpRequestUriInvalid = 19, HttpResponseIncomplete = 25,
                               HttpResponseHeaderSectionSize = 26, HttpResponseBodySize = 28, HttpResponseTimeout = 33,
                               HttpProtocolError = 35, InternalError = 38;
}

// An upstream's response, read whole.
struct HttpIncomingResponse {
  std::uint16_t status = 200;
  HttpFieldList headers;  // names in lower case, in arrival order
  std::string body;
};

// Why an outbound request got no response: an error-code case and, for the
// cases with a text payload (internal-error, DNS-error's rcode), its text;
// for the others the text is only for the log.
struct HttpOutboundError {
  std::uint32_t code = httperror::InternalError;
  std::optional<std::string> detail;
};

// One outbound request in flight, completed once from any thread; a guest
// polls it through future-incoming-response and its pollable.
class HttpOutboundCall final : public HostSignal {
 public:
  using Result = std::variant<HttpIncomingResponse, HttpOutboundError>;
  bool ready() const override;
  void whenReady(std::function<void()> fn) override;
  // The first call wins; later ones are ignored. Runs the whenReady callbacks.
  void complete(Result result);
  // Once ready(): the error it completed with, if it failed (kept after take()).
  std::optional<HttpOutboundError> error() const;
  // Once ready(): the result, moved out (the second take gets nullopt).
  std::optional<Result> take();
  // The guest no longer wants the response (it dropped the future, or its
  // instance is gone): whoever sends the request may give up on it.
  // `fn` runs once, at once if the call is abandoned already.
  void abandon();
  bool abandoned() const { return abandoned_.load(); }
  void whenAbandoned(std::function<void()> fn);

 private:
  mutable std::mutex mu_;
  bool ready_ = false, taken_ = false;
  std::optional<Result> result_;
  std::optional<HttpOutboundError> error_;
  std::vector<std::function<void()>> waiters_, abandonWaiters_;
  std::atomic<bool> abandoned_{false};
};

// "connection-refused", "internal-error(\"...\")": an error for the log.
std::string describeHttpError(const HttpOutboundError& error);

// Where a component's outbound requests go (the HTTP layer's client, with
// its allowed hosts); set per instance with Preview2Host::setOutbound.
// Without one, every request is refused (HTTP-request-denied).
class HttpOutbound {
 public:
  virtual ~HttpOutbound() = default;
  // Whether `request` may be sent, decided at once: an error is
  // outgoing-handler.handle's own answer (HTTP-request-denied). May fill in
  // what it decides (the authority of a request to the application itself).
  virtual std::optional<HttpOutboundError> admit(HttpOutgoingRequest& request) = 0;
  // Sends an admitted request whose body (if any) is finished; completes
  // `call`, on another thread or now. Never blocks on the network.
  virtual void start(HttpOutgoingRequest request, std::shared_ptr<HttpOutboundCall> call) = 0;
};

}  // namespace wasmops::wasi
