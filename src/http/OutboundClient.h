#pragma once
// Outbound HTTP for wasi:http components (wasi:http/outgoing-handler).
//
// OutboundClient: an HTTP/1.1 client over Boost.Beast (which only
// OutboundClient.cpp and Server.cpp see) on threads of its own, never the
// server's event loops: each request runs on one of a few single-threaded
// lanes; HTTPS through OpenSSL with the peer's certificate verified
// against the system store (and its name against the request's host);
// idle keep-alive connections reused per scheme, host and port (a
// bounded pool); connect, first-byte and between-bytes timeouts; a limit
// on the response's size; redirects returned to the guest, not followed.
//
// OutboundRequests: what one request's instance sends through: the
// component's allowed_outbound_hosts decide (a request anywhere else is
// refused, logged and counted), a request without an authority goes to the
// application itself when "self" is allowed, and the inbound request's
// x-request-id goes along.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/OutboundHosts.h"
#include "base/Error.h"
#include "http/GuestRun.h"
#include "http/HttpMessage.h"
#include "wasi/HttpExchange.h"

namespace wasmops::http {

struct OutboundOptions {
  unsigned threads = 2;  // lanes, each one thread
  // Defaults for what the guest's request-options leave unset.
  std::chrono::milliseconds connectTimeout{10'000};       // name lookup, TCP connect and TLS handshake
  std::chrono::milliseconds firstByteTimeout{30'000};     // sending the request until the response head is in
  std::chrono::milliseconds betweenBytesTimeout{30'000};  // each read of the response body
  std::size_t maxResponseBytes = 64ull << 20;             // the body; more is HTTP-response-body-size
  std::size_t maxResponseHeaderBytes = 64 * 1024;         // more is HTTP-response-header-section-size
  std::size_t maxIdlePerOrigin = 8, maxIdle = 128;        // kept keep-alive connections
  std::chrono::milliseconds idleTimeout{30'000};          // an idle connection is closed after this
};

class OutboundClient {
 public:
  // Starts the lanes; fails when the TLS context cannot be set up.
  static Expected<std::shared_ptr<OutboundClient>> create(const OutboundOptions& options = {});
  virtual ~OutboundClient() = default;
  // Sends a request whose scheme (http or https), authority and path are
  // set and whose body (if any) is finished; completes `call` on a lane.
  // Abandoning the call closes its connection.
  virtual void send(wasi::HttpOutgoingRequest request, std::shared_ptr<wasi::HttpOutboundCall> call) = 0;
  const OutboundOptions& options() const { return options_; }

 protected:
  explicit OutboundClient(const OutboundOptions& options) : options_(options) {}
  OutboundOptions options_;
};

// What a component's outbound requests may reach and go through.
struct OutboundConfig {
  app::AllowedOutboundHosts allowed;       // empty: every request is refused
  std::shared_ptr<OutboundClient> client;  // null when nothing is allowed
};

class OutboundRequests final : public wasi::HttpOutbound {
 public:
  // `config` null: every request is refused. `inbound`: the request being
  // served (its id, the listener's address and scheme).
  OutboundRequests(std::shared_ptr<const OutboundConfig> config, std::string component, const Request& inbound);
  std::optional<wasi::HttpOutboundError> admit(wasi::HttpOutgoingRequest& request) override;
  void start(wasi::HttpOutgoingRequest request, std::shared_ptr<wasi::HttpOutboundCall> call) override;
  // The outcomes so far into `outcome`; a request still in flight counts as failed.
  void count(GuestOutcome& outcome) const;

 private:
  struct Counts {
    std::atomic<std::uint32_t> started{0}, ok{0}, denied{0};
  };
  std::shared_ptr<const OutboundConfig> config_;
  std::string component_, requestId_, localAddress_, scheme_;
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

// "https://example.com:8443/path" (the query left out: it may carry secrets).
std::string outboundUrlForLog(const wasi::HttpOutgoingRequest& request);

}  // namespace wasmops::http
