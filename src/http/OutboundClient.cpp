#include "http/OutboundClient.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wasmops::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;
using wasi::HttpIncomingResponse;
using wasi::HttpOutboundError;
namespace httperror = wasi::httperror;

// "example.com:8080" -> host and port; "[::1]:80" -> "::1" and 80; no port: nullopt.
struct Authority {
  std::string host;  // without brackets
  std::optional<std::uint16_t> port;
};
std::optional<Authority> splitAuthority(std::string_view a) {
  Authority out;
  std::string_view port;
  if (!a.empty() && a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(a.substr(1, close - 1));
    if (close + 1 < a.size()) {
      if (a[close + 1] != ':') return std::nullopt;
      port = a.substr(close + 2);
    }
  } else {
    const auto colon = a.rfind(':');
    out.host = std::string(colon == std::string_view::npos ? a : a.substr(0, colon));
    if (colon != std::string_view::npos) port = a.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
  }
  if (out.host.empty()) return std::nullopt;
  return out;
}

bool isIpLiteral(const std::string& host) {
  error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

// One connection to an origin, plain or TLS, used by one lane's coroutines
// (and, idle, by nobody).
struct Connection {
  explicit Connection(std::size_t l) : lane(l) {}
  std::size_t lane;
  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  beast::flat_buffer buffer;
  Clock::time_point idleSince{};

  beast::tcp_stream& tcpStream() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  void close() {
    error_code ec;
    tcpStream().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcpStream().close();
  }
  // An idle connection the server closed, or that has bytes nobody asked for.
  bool stale() {
    if (buffer.size() > 0) return true;
    auto& socket = tcpStream().socket();
    if (!socket.is_open()) return true;
    pollfd p{socket.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
  }
};

enum class Phase { Resolve, Connect, Handshake, Write, Head, Body };

bool isHttpError(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

// What the guest is told about a failed exchange (the error-code cases
// wasmtime's client uses for the same failures).
HttpOutboundError failure(const error_code& ec, Phase phase, const std::string& host) {
  const std::string what = ec.message();
  if (ec == beast::error::timeout) {
    switch (phase) {
      case Phase::Resolve: return {httperror::DnsTimeout, std::nullopt};
      case Phase::Connect:
      case Phase::Handshake: return {httperror::ConnectionTimeout, std::nullopt};
      case Phase::Write:
      case Phase::Head: return {httperror::HttpResponseTimeout, std::nullopt};
      case Phase::Body: return {httperror::ConnectionReadTimeout, std::nullopt};
    }
  }
  switch (phase) {
    case Phase::Resolve: return {httperror::DnsError, fmt::format("{}: {}", host, what)};
    case Phase::Connect:
      if (ec == asio::error::connection_refused) return {httperror::ConnectionRefused, std::nullopt};
      if (ec == asio::error::network_unreachable || ec == asio::error::host_unreachable)
        return {httperror::DestinationUnavailable, std::nullopt};
      return {httperror::ConnectionRefused, what};
    case Phase::Handshake: return {httperror::TlsProtocolError, what};
    case Phase::Write: return {httperror::ConnectionTerminated, what};
    case Phase::Head:
      if (ec == bhttp::error::header_limit) return {httperror::HttpResponseHeaderSectionSize, std::nullopt};
      if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
          ec == asio::error::connection_reset)
        return {httperror::HttpResponseIncomplete, std::nullopt};
      if (isHttpError(ec)) return {httperror::HttpProtocolError, what};
      return {httperror::ConnectionTerminated, what};
    case Phase::Body:
      if (ec == bhttp::error::body_limit) return {httperror::HttpResponseBodySize, std::nullopt};
      if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
          ec == asio::error::connection_reset)
        return {httperror::HttpResponseIncomplete, std::nullopt};
      if (isHttpError(ec)) return {httperror::HttpProtocolError, what};
      return {httperror::ConnectionTerminated, what};
  }
  return {httperror::InternalError, what};
}

// A reused keep-alive connection the server closed meanwhile fails before
// any response byte: the request goes again on a new connection.
bool closedBeforeResponse(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

std::chrono::milliseconds optionOr(const std::optional<std::uint64_t>& ns, std::chrono::milliseconds fallback) {
  if (!ns) return fallback;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::nanoseconds(std::min<std::uint64_t>(*ns, INT64_MAX)));
}

// One request on its way: what the lane's coroutine works on, and what an
// abandoned call's cancellation closes.
struct Job {
  std::shared_ptr<wasi::HttpOutboundCall> call;
  bhttp::request<bhttp::string_body> request;
  bool head = false;  // HEAD: the response has no body
  std::string scheme, host, origin;
  std::uint16_t port = 0;
  std::chrono::milliseconds connectTimeout{}, firstByteTimeout{}, betweenBytesTimeout{};
  std::size_t lane = 0;
  // On the lane only:
  Connection* active = nullptr;
  std::shared_ptr<tcp::resolver> resolver;
  bool cancelled = false;

  void cancel() {
    cancelled = true;
    if (resolver) resolver->cancel();
    if (active) active->close();
  }
};

struct Outcome {
  wasi::HttpOutboundCall::Result result;
  bool retry = false;     // failed on a reused connection before any response byte: try a new one
  bool reusable = false;  // the connection can serve the next request
};

Outcome failedWith(HttpOutboundError error, bool retry = false) {
  return Outcome{std::move(error), retry, false};
}

// Clears Job::active when a coroutine frame that set it ends, however it ends.
struct ActiveConnection {
  Job& job;
  ~ActiveConnection() { job.active = nullptr; }
};

class BeastClient final : public OutboundClient, public std::enable_shared_from_this<BeastClient> {
 public:
  explicit BeastClient(const OutboundOptions& options) : OutboundClient(options), tls_(ssl::context::tls_client) {}

  Expected<void> init() {
    error_code ec;
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls_.set_default_verify_paths(ec);
    if (ec)
      return makeError(ErrorCode::Internal,
                       "outbound HTTP: cannot load the system's certificate store: " + ec.message());
    tls_.set_verify_mode(ssl::verify_peer);
    const unsigned n = std::max(1u, options_.threads);
    for (unsigned i = 0; i < n; ++i) lanes_.push_back(std::make_unique<Lane>());
    for (auto& lane : lanes_) {
      Lane* l = lane.get();
      l->thread = std::thread([l] { l->ioc.run(); });
    }
    asio::co_spawn(lanes_[0]->ioc, sweep(), asio::detached);
    return {};
  }

  ~BeastClient() override {
    for (auto& lane : lanes_) {
      lane->guard.reset();
      lane->ioc.stop();
    }
    for (auto& lane : lanes_)
      if (lane->thread.joinable()) lane->thread.join();
    std::lock_guard lock(poolMu_);
    idle_.clear();  // before the lanes' io_contexts go
  }

  void send(wasi::HttpOutgoingRequest request, std::shared_ptr<wasi::HttpOutboundCall> call) override {
    auto job = std::make_shared<Job>();
    job->call = std::move(call);
    if (auto bad = prepare(*job, std::move(request))) {
      job->call->complete(std::move(*bad));
      return;
    }
    std::unique_ptr<Connection> conn = takeIdle(job->origin);
    job->lane = conn ? conn->lane : next_.fetch_add(1) % lanes_.size();
    asio::io_context& ioc = lanes_[job->lane]->ioc;
    std::weak_ptr<BeastClient> self = weak_from_this();
    job->call->whenAbandoned([self, weakJob = std::weak_ptr<Job>(job), &ioc] {
      if (auto client = self.lock())
        asio::post(ioc, [weakJob] {
          if (auto j = weakJob.lock()) j->cancel();
        });
    });
    asio::co_spawn(ioc, run(job, std::move(conn)), asio::detached);
  }

 private:
  struct Lane {
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(ioc);
    std::thread thread;
  };

  // The Beast request of a guest's, or why it cannot go.
  std::optional<HttpOutboundError> prepare(Job& job, wasi::HttpOutgoingRequest r) {
    job.scheme = r.scheme.value_or("https");
    auto authority = splitAuthority(r.authority.value_or(""));
    if (!authority) return HttpOutboundError{httperror::HttpRequestUriInvalid, std::nullopt};
    job.host = authority->host;
    job.port = authority->port.value_or(job.scheme == "https" ? 443 : 80);
    job.origin = fmt::format("{}://{}:{}", job.scheme, job.host, job.port);
    job.connectTimeout = optionOr(r.connectTimeoutNs, options_.connectTimeout);
    job.firstByteTimeout = optionOr(r.firstByteTimeoutNs, options_.firstByteTimeout);
    job.betweenBytesTimeout = optionOr(r.betweenBytesTimeoutNs, options_.betweenBytesTimeout);

    auto& req = job.request;
    req.version(11);
    const bhttp::verb verb = bhttp::string_to_verb(r.method);
    if (verb == bhttp::verb::unknown)
      req.method_string(r.method);
    else
      req.method(verb);
    job.head = verb == bhttp::verb::head;
    req.target(r.pathWithQuery.value_or("/"));
    req.set(bhttp::field::host, *r.authority);
    std::optional<std::string> declaredLength;
    for (auto& [name, value] : r.headers) {
      if (name == "content-length") {
        declaredLength = value;
        continue;
      }
      req.insert(name, value);
    }
    if (r.body) {
      req.body() = r.body->data->take();
      if (declaredLength && *declaredLength != std::to_string(req.body().size()))
        return HttpOutboundError{httperror::HttpRequestBodySize, fmt::format("content-length {} but a body of {} bytes",
                                                                             *declaredLength, req.body().size())};
      req.content_length(req.body().size());
    } else if (declaredLength && *declaredLength != "0") {
      return HttpOutboundError{httperror::HttpRequestBodySize,
                               fmt::format("content-length {} but no body", *declaredLength)};
    }
    return std::nullopt;
  }

  asio::awaitable<void> run(std::shared_ptr<Job> job, std::unique_ptr<Connection> conn) {
    wasi::HttpOutboundCall::Result result = HttpOutboundError{httperror::InternalError, "the request was not sent"};
    if (job->cancelled) {  // abandoned before it started
      job->call->complete(std::move(result));
      co_return;
    }
    try {
      const bool reused = conn != nullptr;
      Outcome first = co_await attempt(*job, conn);
      if (first.retry && reused && !job->cancelled) {
        conn.reset();
        Outcome again = co_await attempt(*job, conn);
        result = std::move(again.result);
      } else {
        result = std::move(first.result);
      }
    } catch (const std::exception& e) {
      result = HttpOutboundError{httperror::InternalError, e.what()};
    }
    job->active = nullptr;
    job->resolver.reset();
    if (conn && !job->cancelled) putIdle(job->origin, std::move(conn));
    job->call->complete(std::move(result));
  }

  // One try on `conn` (a new connection when null). On success `conn` is
  // left set if it can be reused.
  asio::awaitable<Outcome> attempt(Job& job, std::unique_ptr<Connection>& conn) {
    if (!conn) {
      auto opened = co_await open(job);
      if (auto* e = std::get_if<HttpOutboundError>(&opened)) co_return failedWith(std::move(*e));
      conn = std::move(std::get<std::unique_ptr<Connection>>(opened));
    }
    ActiveConnection active{job};
    job.active = conn.get();
    // (No co_await inside ?: or with temporaries in its operands: GCC 12 miscompiles some.)
    Outcome out;
    if (conn->tls)
      out = co_await exchange(*conn->tls, *conn, job);
    else
      out = co_await exchange(*conn->plain, *conn, job);
    job.active = nullptr;
    if (!out.reusable || conn->buffer.size() > 0) conn.reset();
    co_return out;
  }

  // Name lookup, TCP connect and, for https, the TLS handshake, all within
  // the connect timeout.
  asio::awaitable<std::variant<std::unique_ptr<Connection>, HttpOutboundError>> open(Job& job) {
    auto ex = co_await asio::this_coro::executor;
    const auto deadline = Clock::now() + job.connectTimeout;
    error_code ec;

    job.resolver = std::make_shared<tcp::resolver>(ex);
    auto timedOut = std::make_shared<bool>(false);
    asio::steady_timer timer(ex, deadline);
    timer.async_wait([weak = std::weak_ptr<tcp::resolver>(job.resolver), timedOut](const error_code& e) {
      if (e) return;
      *timedOut = true;
      if (auto r = weak.lock()) r->cancel();
    });
    const std::string service = std::to_string(job.port);
    auto endpoints =
        co_await job.resolver->async_resolve(job.host, service, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    job.resolver.reset();
    if (job.cancelled) co_return HttpOutboundError{httperror::InternalError, "cancelled"};
    if (*timedOut) co_return failure(beast::error::timeout, Phase::Resolve, job.host);
    if (ec) co_return failure(ec, Phase::Resolve, job.host);

    auto conn = std::make_unique<Connection>(job.lane);
    if (job.scheme == "https")
      conn->tls.emplace(ex, tls_);
    else
      conn->plain.emplace(ex);
    ActiveConnection active{job};
    job.active = conn.get();
    beast::tcp_stream& stream = conn->tcpStream();
    stream.expires_at(deadline);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (job.cancelled) co_return HttpOutboundError{httperror::InternalError, "cancelled"};
    if (ec) co_return failure(ec, Phase::Connect, job.host);
    stream.socket().set_option(tcp::no_delay(true), ec);

    if (conn->tls) {
      SSL* ssl = conn->tls->native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (isIpLiteral(job.host)) {
        X509_VERIFY_PARAM_set1_ip_asc(param, job.host.c_str());
      } else {
        SSL_set_tlsext_host_name(ssl, job.host.c_str());
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, job.host.c_str(), job.host.size());
      }
      co_await conn->tls->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
      if (job.cancelled) co_return HttpOutboundError{httperror::InternalError, "cancelled"};
      if (ec) {
        const long verified = SSL_get_verify_result(ssl);
        if (ec != beast::error::timeout && verified != X509_V_OK)
          co_return HttpOutboundError{httperror::TlsCertificateError, X509_verify_cert_error_string(verified)};
        co_return failure(ec, Phase::Handshake, job.host);
      }
    }
    stream.expires_never();
    co_return std::move(conn);
  }

  // Writes the request and reads the response on an open connection.
  template <class Stream>
  asio::awaitable<Outcome> exchange(Stream& stream, Connection& conn, Job& job) {
    error_code ec;
    beast::tcp_stream& tcpStream = conn.tcpStream();
    tcpStream.expires_after(job.firstByteTimeout);
    co_await bhttp::async_write(stream, job.request, asio::redirect_error(asio::use_awaitable, ec));
    if (job.cancelled) co_return failedWith({httperror::InternalError, "cancelled"});
    if (ec) co_return failedWith(failure(ec, Phase::Write, job.host), closedBeforeResponse(ec));

    // The response head, informational (1xx) ones skipped.
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    for (;;) {
      parser.emplace();
      parser->header_limit(
          static_cast<std::uint32_t>(std::min<std::size_t>(options_.maxResponseHeaderBytes, UINT32_MAX)));
      parser->body_limit(options_.maxResponseBytes);
      if (job.head) parser->skip(true);
      const std::size_t before = conn.buffer.size();
      co_await bhttp::async_read_header(stream, conn.buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
      if (job.cancelled) co_return failedWith({httperror::InternalError, "cancelled"});
      if (ec) {
        const bool nothing = before == 0 && conn.buffer.size() == 0 && closedBeforeResponse(ec);
        co_return failedWith(failure(ec, Phase::Head, job.host), nothing);
      }
      const unsigned status = parser->get().result_int();
      if (status == 101)
        co_return failedWith({httperror::HttpProtocolError, "101 Switching Protocols without an upgrade asked for"});
      if (status >= 200) break;
    }
    while (!parser->is_done()) {
      tcpStream.expires_after(job.betweenBytesTimeout);
      co_await bhttp::async_read_some(stream, conn.buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
      if (job.cancelled) co_return failedWith({httperror::InternalError, "cancelled"});
      if (ec) co_return failedWith(failure(ec, Phase::Body, job.host));
    }
    tcpStream.expires_never();

    auto message = parser->release();
    HttpIncomingResponse response;
    response.status = static_cast<std::uint16_t>(message.result_int());
    for (const auto& field : message)
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    response.body = std::move(message.body());
    co_return Outcome{std::move(response), false, message.keep_alive() && !parser->need_eof()};
  }

  std::unique_ptr<Connection> takeIdle(const std::string& origin) {
    std::vector<std::unique_ptr<Connection>> doomed;
    std::unique_ptr<Connection> found;
    {
      std::lock_guard lock(poolMu_);
      auto it = idle_.find(origin);
      if (it != idle_.end()) {
        auto& list = it->second;
        const auto now = Clock::now();
        while (!list.empty() && !found) {
          std::unique_ptr<Connection> c = std::move(list.back());
          list.pop_back();
          --idleCount_;
          if (now - c->idleSince >= options_.idleTimeout || c->stale())
            doomed.push_back(std::move(c));
          else
            found = std::move(c);
        }
        if (list.empty()) idle_.erase(it);
      }
    }
    for (auto& c : doomed) retire(std::move(c));
    return found;
  }

  void putIdle(const std::string& origin, std::unique_ptr<Connection> conn) {
    if (!conn->tcpStream().socket().is_open()) return;
    std::vector<std::unique_ptr<Connection>> doomed;
    {
      std::lock_guard lock(poolMu_);
      conn->idleSince = Clock::now();
      auto& list = idle_[origin];
      if (list.size() >= options_.maxIdlePerOrigin) {
        doomed.push_back(std::move(list.front()));
        list.pop_front();
        --idleCount_;
      }
      if (idleCount_ >= options_.maxIdle) {
        // The oldest idle connection of any origin makes room.
        auto oldest = idle_.end();
        for (auto it = idle_.begin(); it != idle_.end(); ++it)
          if (!it->second.empty() &&
              (oldest == idle_.end() || it->second.front()->idleSince < oldest->second.front()->idleSince))
            oldest = it;
        if (oldest != idle_.end()) {
          doomed.push_back(std::move(oldest->second.front()));
          oldest->second.pop_front();
          --idleCount_;
        }
      }
      if (options_.maxIdlePerOrigin > 0 && options_.maxIdle > 0) {
        list.push_back(std::move(conn));
        ++idleCount_;
      } else {
        doomed.push_back(std::move(conn));
      }
      std::erase_if(idle_, [](const auto& kv) { return kv.second.empty(); });
    }
    for (auto& c : doomed) retire(std::move(c));
  }

  // Closes a connection on its own lane.
  void retire(std::unique_ptr<Connection> conn) {
    if (!conn) return;
    asio::io_context& ioc = lanes_[conn->lane]->ioc;
    asio::post(ioc, [c = std::move(conn)]() mutable { c->close(); });
  }

  // Every few seconds: idle connections past their time, or closed by their server, go.
  asio::awaitable<void> sweep() {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    for (;;) {
      timer.expires_after(std::chrono::seconds(5));
      error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      std::vector<std::unique_ptr<Connection>> doomed;
      {
        std::lock_guard lock(poolMu_);
        const auto now = Clock::now();
        for (auto& [origin, list] : idle_) {
          for (auto& c : list)
            if (now - c->idleSince >= options_.idleTimeout || c->stale()) doomed.push_back(std::move(c));
          const auto before = list.size();
          std::erase_if(list, [](const auto& c) { return !c; });
          idleCount_ -= before - list.size();
        }
        std::erase_if(idle_, [](const auto& kv) { return kv.second.empty(); });
      }
      for (auto& c : doomed) retire(std::move(c));
    }
  }

  ssl::context tls_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<std::size_t> next_{0};
  std::mutex poolMu_;
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;  // by origin, oldest first
  std::size_t idleCount_ = 0;
};

std::string queryless(std::string_view path) {
  return std::string(path.substr(0, path.find('?')));
}

}  // namespace

Expected<std::shared_ptr<OutboundClient>> OutboundClient::create(const OutboundOptions& options) {
  auto client = std::make_shared<BeastClient>(options);
  WASMOPS_TRY_VOID(client->init());
  return std::shared_ptr<OutboundClient>(std::move(client));
}

std::string outboundUrlForLog(const wasi::HttpOutgoingRequest& request) {
  return fmt::format("{}://{}{}", request.scheme.value_or("https"), request.authority.value_or(""),
                     queryless(request.pathWithQuery.value_or("/")));
}

OutboundRequests::OutboundRequests(std::shared_ptr<const OutboundConfig> config, std::string component,
                                   const Request& inbound)
    : config_(std::move(config)),
      component_(std::move(component)),
      requestId_(inbound.requestId),
      localAddress_(inbound.localAddress),
      scheme_(inbound.scheme) {}

std::optional<HttpOutboundError> OutboundRequests::admit(wasi::HttpOutgoingRequest& request) {
  bool allowed = false;
  if (config_ && config_->client) {
    if (!request.authority) {
      // A request to the application itself (Spin's relative URLs): allowed
      // by "self" (or a '*' host) for http or https; it goes to the
      // listener the inbound request came in on, under its scheme.
      if (!localAddress_.empty() && (config_->allowed.allowsSelf("http") || config_->allowed.allowsSelf("https"))) {
        request.authority = localAddress_;
        request.scheme = scheme_;
        allowed = true;
      }
    } else if (auto authority = splitAuthority(*request.authority)) {
      allowed = config_->allowed.allows(request.scheme.value_or("https"), authority->host, authority->port);
    }
  }
  if (allowed) return std::nullopt;
  counts_->denied.fetch_add(1);
  spdlog::warn("request {} to component '{}': outbound request to {} denied (not in allowed_outbound_hosts)",
               requestId_, component_,
               request.authority ? outboundUrlForLog(request) : queryless(request.pathWithQuery.value_or("/")));
  return HttpOutboundError{httperror::HttpRequestDenied, std::nullopt};
}

void OutboundRequests::start(wasi::HttpOutgoingRequest request, std::shared_ptr<wasi::HttpOutboundCall> call) {
  const bool hasId = std::any_of(request.headers.begin(), request.headers.end(),
                                 [](const auto& field) { return field.first == "x-request-id"; });
  if (!hasId && !requestId_.empty()) request.headers.emplace_back("x-request-id", requestId_);
  counts_->started.fetch_add(1);
  call->whenReady([counts = counts_, weak = std::weak_ptr<wasi::HttpOutboundCall>(call),
                   url = outboundUrlForLog(request), id = requestId_, component = component_] {
    auto c = weak.lock();
    auto error = c ? c->error() : std::nullopt;
    if (!error) {
      counts->ok.fetch_add(1);
      return;
    }
    if (c && c->abandoned())
      spdlog::info("request {} to component '{}': outbound request to {} cancelled (the guest no longer waits for it)",
                   id, component, url);
    else
      spdlog::warn("request {} to component '{}': outbound request to {} failed: {}", id, component, url,
                   wasi::describeHttpError(*error));
  });
  config_->client->send(std::move(request), std::move(call));
}

void OutboundRequests::count(GuestOutcome& outcome) const {
  const std::uint32_t started = counts_->started.load(), ok = counts_->ok.load();
  outcome.outboundOk = ok;
  outcome.outboundDenied = counts_->denied.load();
  outcome.outboundFailed = started - ok;  // failed, or still in flight
}

}  // namespace wasmops::http
