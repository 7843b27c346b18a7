#include "http/Server.h"

#include <fmt/format.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

namespace wasmops::http {

const char* toString(Rejection r) {
  switch (r) {
    case Rejection::BadRequest: return "bad_request";
    case Rejection::HeaderTooLarge: return "header_too_large";
    case Rejection::BodyTooLarge: return "body_too_large";
    case Rejection::Timeout: return "timeout";
    case Rejection::TooManyConnections: return "too_many_connections";
    case Rejection::QueueFull: return "queue_full";
    case Rejection::NoRoute: return "no_route";
  }
  return "unknown";
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

namespace ssl = asio::ssl;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// What stop() needs of a connection, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection unless a request is being served (graceful stop).
  virtual void closeIfIdle() = 0;
};

class Loop final : public EventLoop {
 public:
  // Declared before the io_context: a session still open when the loop goes
  // (cut off at the drain timeout) is destroyed with the io_context's
  // pending handlers, and its destructor erases it from this set.
  std::set<SessionBase*> sessions;  // only this loop's thread touches it
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(ioc);
  void post(std::function<void()> work) override { asio::post(ioc, std::move(work)); }
  std::function<void()> postAt(std::chrono::steady_clock::time_point when, std::function<void()> work) override {
    auto timer = std::make_shared<asio::steady_timer>(ioc, when);
    timer->async_wait([timer, work = std::move(work)](const error_code&) { work(); });
    return [weak = std::weak_ptr<asio::steady_timer>(timer)] {
      if (auto t = weak.lock()) t->cancel();
    };
  }
};

std::string endpointText(const tcp::endpoint& e) {
  const auto a = e.address();
  return a.is_v6() ? fmt::format("[{}]:{}", a.to_string(), e.port()) : fmt::format("{}:{}", a.to_string(), e.port());
}

// Request ids: a random per-process prefix and a counter, 16 hex digits.
std::string nextRequestId() {
  static const std::uint64_t prefix = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32 | rd()) & 0xffffffff00000000ull;
  }();
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{:016x}", prefix | (counter.fetch_add(1, std::memory_order_relaxed) & 0xffffffffull));
}

class BeastServer;

// A request body is read this far ahead of the handler; a streamed
// response is written in pieces of at most this much.
constexpr std::size_t kRequestWindow = 64 * 1024;
constexpr std::size_t kResponsePiece = 256 * 1024;

// One connection, plain (beast::tcp_stream) or TLS (TlsStream).
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  Session(tcp::socket socket, Loop& loop, BeastServer& server);
  ~Session() override;
  void start();
  void closeIfIdle() override;

 private:
  beast::tcp_stream& tcpStream() { return beast::get_lowest_layer(stream_); }
  void closeAfterResponse();
  void waitForRequest();
  void readHeader();
  void readFailed(const error_code& ec);
  void dispatch();
  void readBodyPiece();
  void bodyPieceRead(error_code ec, std::size_t asked);
  template <class Message>
  void fillHead(Message& head, const Response& r);
  void sendResponse(Response response, bool keepAlive);
  void sendStreamed(Response response, bool keepAlive);
  void writeNextPiece();
  void responseDone(bool keepAlive);
  void reject(Rejection why, int status, const std::string& text);
  void close();
  void fail(const error_code& ec);

  Stream stream_;
  beast::flat_buffer buffer_;
  // buffer_body: the body goes on to the handler a piece at a time, never
  // held whole here (string_body would even reserve a Content-Length).
  std::optional<bhttp::request_parser<bhttp::buffer_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  Loop& loop_;
  BeastServer& server_;
  std::string client_, local_;
  bool busy_ = false;
  bool head_ = false;
  bool http10_ = false;

  // The request body on its way to the handler: null when there is none or
  // all of it was read; the pieces are read as the handler makes room.
  std::shared_ptr<wasi::BodyPipe> requestBody_;
  bool requestRead_ = true;         // the request, body included, is all read
  std::size_t headerFields_ = 0;    // fields before the body; those after are trailers
  std::string piece_;               // the body piece being read

  // A streamed response: its head, then chunks as the handler's pipe has them.
  std::shared_ptr<wasi::BodyPipe> responseBody_;
  std::optional<bhttp::response<bhttp::empty_body>> streamHead_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> streamSerializer_;
  bool chunked_ = false;
  bool discardBody_ = false;  // HEAD, 204, 304: no body goes out
  bool streamKeepAlive_ = false;
};

class BeastServer final : public Server {
 public:
  BeastServer(const ServerOptions& o, RequestHandler& h) : options_(o), handler_(h) {
    const unsigned n = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) loops_.push_back(std::make_unique<Loop>());
    acceptor_.emplace(loops_[0]->ioc);
  }

  Expected<void> bind() {
    std::string host = options_.listen, port;
    const auto colon = host.rfind(':');
    if (colon == std::string::npos) return makeError(ErrorCode::Usage, "--listen " + options_.listen + ": expected HOST:PORT");
    port = host.substr(colon + 1);
    host.resize(colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    error_code ec;
    tcp::resolver resolver(loops_[0]->ioc);
    auto results = resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty())
      return makeError(ErrorCode::Usage, fmt::format("--listen {}: cannot resolve: {}", options_.listen, ec.message()));
    const tcp::endpoint ep = *results.begin();
    acceptor_->open(ep.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(ep, ec);
    if (!ec) acceptor_->listen(1024, ec);
    if (ec) return makeError(ErrorCode::Io, fmt::format("cannot listen on {}: {}", options_.listen, ec.message()));
    bound_ = endpointText(acceptor_->local_endpoint());
    return {};
  }

  std::string boundAddress() const override { return bound_; }
  bool tls() const override { return tls_.has_value(); }

  void run() override {
    accept();
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < loops_.size(); ++i) threads.emplace_back([this, i] { loops_[i]->ioc.run(); });
    loops_[0]->ioc.run();
    for (auto& t : threads) t.join();
  }

  void stop(std::chrono::milliseconds drain) override {
    bool expected = false;
    if (!stopping_.compare_exchange_strong(expected, true)) return;
    asio::post(loops_[0]->ioc, [this] {
      error_code ec;
      acceptor_->close(ec);
    });
    for (auto& loop : loops_)
      loop->post([l = loop.get()] {
        const std::vector<SessionBase*> open(l->sessions.begin(), l->sessions.end());
        for (SessionBase* s : open) s->closeIfIdle();
      });
    // Requests in flight finish (their connections close after the
    // response); whatever is left at the drain timeout is cut off. The
    // thread is joined by the destructor: run() can return while it is
    // still stopping the last loops.
    std::lock_guard lock(drainerMu_);
    drainer_ = std::thread([this, drain] {
      const auto until = std::chrono::steady_clock::now() + drain;
      while (connections_.load() > 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      for (auto& loop : loops_) {
        loop->guard.reset();
        loop->ioc.stop();
      }
    });
  }

  ~BeastServer() override {
    {
      std::lock_guard lock(drainerMu_);
      if (drainer_.joinable()) drainer_.join();
    }
    // The loops go first, while everything their sessions' destructors use
    // (the connection count, the TLS context) is still there.
    loops_.clear();
  }

  std::size_t openConnections() const override { return connections_.load(); }

  // --tls-cert / --tls-key: a certificate chain and its key, both PEM.
  Expected<void> configureTls() {
    if (options_.tlsCert.empty() && options_.tlsKey.empty()) return {};
    if (options_.tlsCert.empty() || options_.tlsKey.empty())
      return makeError(ErrorCode::Usage, "TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
    tls_.emplace(ssl::context::tls_server);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    error_code ec;
    tls_->use_certificate_chain_file(options_.tlsCert, ec);
    if (ec)
      return tl::unexpected(Error(ErrorCode::Invalid, "cannot use it as a TLS certificate chain (PEM): " + ec.message())
                                .inFile(options_.tlsCert));
    tls_->use_private_key_file(options_.tlsKey, ssl::context::pem, ec);
    if (ec)
      return tl::unexpected(
          Error(ErrorCode::Invalid, "cannot use it as the certificate's private key (PEM): " + ec.message()).inFile(options_.tlsKey));
    if (SSL_CTX_check_private_key(tls_->native_handle()) != 1)
      return tl::unexpected(Error(ErrorCode::Invalid, "the key does not match the certificate " + options_.tlsCert)
                                .inFile(options_.tlsKey));
    return {};
  }
  ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }

  const ServerOptions& options() const { return options_; }
  RequestHandler& handler() { return handler_; }
  bool draining() const { return stopping_.load(); }
  void connectionClosed() { connections_.fetch_sub(1); }

 private:
  void accept() {
    Loop& target = *loops_[next_++ % loops_.size()];
    acceptor_->async_accept(target.ioc, [this, &target](error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
        // EMFILE and friends: keep accepting; the next connection may fit.
        accept();
        return;
      }
      if (connections_.load() >= options_.maxConnections) {
        handler_.rejected(Rejection::TooManyConnections);
        socket.close(ec);
      } else {
        connections_.fetch_add(1);
        asio::post(target.ioc, [this, &target, s = std::move(socket)]() mutable {
          if (tls_)
            std::make_shared<Session<TlsStream>>(std::move(s), target, *this)->start();
          else
            std::make_shared<Session<beast::tcp_stream>>(std::move(s), target, *this)->start();
        });
      }
      accept();
    });
  }

  ServerOptions options_;
  RequestHandler& handler_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<ssl::context> tls_;
  std::string bound_;
  std::size_t next_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> stopping_{false};
  std::mutex drainerMu_;
  std::thread drainer_;
};

template <class Stream>
Session<Stream>::Session(tcp::socket socket, Loop& loop, BeastServer& server)
    : stream_([&]() -> Stream {
        if constexpr (kTls)
          return Stream(std::move(socket), *server.tls());
        else
          return Stream(std::move(socket));
      }()),
      loop_(loop),
      server_(server) {
  error_code ec;
  auto& sock = tcpStream().socket();
  auto remote = sock.remote_endpoint(ec);
  if (!ec) client_ = endpointText(remote);
  auto local = sock.local_endpoint(ec);
  if (!ec) local_ = endpointText(local);
  sock.set_option(tcp::no_delay(true), ec);
}

template <class Stream>
Session<Stream>::~Session() {
  loop_.sessions.erase(this);
  server_.connectionClosed();
}

template <class Stream>
void Session<Stream>::start() {
  loop_.sessions.insert(this);
  if (server_.draining()) return close();
  if constexpr (kTls) {
    // The handshake counts as the start of the first request: it has
    // requestTimeout to finish, as a slow client's header would.
    tcpStream().expires_after(server_.options().requestTimeout);
    busy_ = true;
    return stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
      self->busy_ = false;
      if (ec) {
        // Plain HTTP to the TLS port, a client that gave up, a bad hello.
        self->server_.handler().rejected(ec == beast::error::timeout ? Rejection::Timeout : Rejection::BadRequest);
        return self->close();
      }
      self->waitForRequest();
    });
  } else {
    waitForRequest();
  }
}

// A connection whose request has arrived but is not read yet is not idle:
// it is served (and closed after its response) like one in flight.
template <class Stream>
void Session<Stream>::closeIfIdle() {
  if (busy_) return;
  error_code ec;
  if (buffer_.size() > 0 || tcpStream().socket().available(ec) > 0) return;
  close();
}

template <class Stream>
void Session<Stream>::close() {
  // The bodies in flight end with the connection: a guest reading the
  // request sees it cut off, one writing the response sees its stream
  // closed, and neither pipe keeps this session alive through a waiter.
  if (auto body = std::move(requestBody_)) body->fail("the connection closed");
  if (auto body = std::move(responseBody_)) body->closeReader();
  error_code ec;
  auto& sock = tcpStream().socket();
  sock.shutdown(tcp::socket::shutdown_both, ec);
  sock.close(ec);
}

// After the last response on a connection: TLS says close_notify first, so
// a client reading to the end sees a clean end of stream.
template <class Stream>
void Session<Stream>::closeAfterResponse() {
  if constexpr (kTls) {
    tcpStream().expires_after(std::chrono::seconds(1));
    stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close(); });
  } else {
    close();
  }
}

template <class Stream>
void Session<Stream>::fail(const error_code& ec) {
  if (ec == beast::error::timeout) server_.handler().rejected(Rejection::Timeout);
  close();
}

// Framing a proxy in front of us could read differently from us is refused
// before any guest sees the request (RFC 9112 §6.1, §6.3, §3.2): both
// Content-Length and Transfer-Encoding, a transfer coding other than a
// lone "chunked", HTTP/1.1 without exactly one Host, a target that is not
// origin-form. (Beast replaces an obs-fold with spaces, as RFC 9112 §5.2
// allows.) Beast itself refuses repeated Content-Length values, bad
// chunk sizes and malformed request lines.
const char* smugglingRisk(const bhttp::request_header<>& req) {
  const bool hasLength = req.find(bhttp::field::content_length) != req.end();
  const auto te = req.equal_range(bhttp::field::transfer_encoding);
  const auto teCount = std::distance(te.first, te.second);
  if (teCount > 0 && hasLength) return "both Content-Length and Transfer-Encoding";
  if (teCount > 1 || (teCount == 1 && !beast::iequals(te.first->value(), "chunked")))
    return "unsupported Transfer-Encoding (only a single \"chunked\")";
  if (req.version() == 11) {
    const auto host = req.equal_range(bhttp::field::host);
    if (std::distance(host.first, host.second) != 1) return "an HTTP/1.1 request needs exactly one Host header";
  }
  if (req.target().empty() || req.target().front() != '/') return "the request target must be a path (origin-form)";
  return nullptr;
}

// Between requests the connection may sit idle for idleTimeout; once a
// request's first bytes are here, all of it must arrive within
// requestTimeout (a slowloris client is cut off then).
template <class Stream>
void Session<Stream>::waitForRequest() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(server_.options().maxHeaderBytes, UINT32_MAX)));
  parser_->body_limit(server_.options().maxBodyBytes);
  if (buffer_.size() > 0) return readHeader();  // a pipelined request is already here
  tcpStream().expires_after(server_.options().idleTimeout);
  stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](error_code ec, std::size_t n) {
    if (ec) return self->close();  // idle timeout, peer closed, or stopping
    self->buffer_.commit(n);
    self->readHeader();
  });
}

template <class Stream>
void Session<Stream>::readHeader() {
  tcpStream().expires_after(server_.options().requestTimeout);
  bhttp::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, std::size_t) {
    if (ec) return self->readFailed(ec);
    auto& req = self->parser_->get();
    if (const char* why = smugglingRisk(req)) return self->reject(Rejection::BadRequest, 400, std::string("bad request: ") + why);
    if (req[bhttp::field::expect] == "100-continue" && !self->parser_->is_done()) {
      // The client waits for this before it sends the body.
      auto cont = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
      return asio::async_write(self->stream_, asio::buffer(*cont), [self, cont](error_code wec, std::size_t) {
        if (wec) return self->close();
        self->dispatch();
      });
    }
    self->dispatch();
  });
}

// What a failed read of a request means: too large (431, 413), too slow
// (counted, closed), the peer gone (closed quietly), or malformed (400).
template <class Stream>
void Session<Stream>::readFailed(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return reject(Rejection::HeaderTooLarge, 431, "request header fields too large");
  if (ec == bhttp::error::body_limit) return reject(Rejection::BodyTooLarge, 413, "request body too large");
  if (ec == beast::error::timeout) return fail(ec);
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == ssl::error::stream_truncated)
    return close();
  reject(Rejection::BadRequest, 400, "bad request: " + ec.message());
}

// The handler gets the request once its head is here; its body follows
// through requestBody_ (readBodyPiece), as fast as the handler takes it.
template <class Stream>
void Session<Stream>::dispatch() {
  tcpStream().expires_never();
  busy_ = true;
  auto& message = parser_->get();
  Request r;
  r.method = std::string(message.method_string());
  r.target = std::string(message.target());
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.versionMajor = static_cast<int>(message.version() / 10);
  r.versionMinor = static_cast<int>(message.version() % 10);
  for (const auto& f : message) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  headerFields_ = r.headers.size();
  requestRead_ = parser_->is_done();
  requestBody_.reset();
  if (!requestRead_) {
    requestBody_ = wasi::BodyPipe::create(kRequestWindow, server_.options().maxBodyBytes);
    r.bodyStream = requestBody_;
  }
  r.clientAddress = client_;
  r.localAddress = local_;
  if constexpr (kTls) r.scheme = "https";
  r.requestId = nextRequestId();
  head_ = message.method() == bhttp::verb::head;
  http10_ = message.version() < 11;
  const bool keepAlive = message.keep_alive();
  const std::string requestId = r.requestId;
  server_.handler().handle(std::move(r), loop_,
                           [self = this->shared_from_this(), keepAlive, requestId](Response response) {
                             response.headers.emplace_back("x-request-id", requestId);
                             self->sendResponse(std::move(response), keepAlive);
                           });
  if (!requestRead_) readBodyPiece();
}

// The next piece of the request body, once the handler has room for it (a
// reader that left gets the rest dropped, so the connection can serve the
// next request). Each read must bring bytes within requestTimeout.
template <class Stream>
void Session<Stream>::readBodyPiece() {
  if (requestRead_ || !requestBody_ || requestBody_->ended()) return;
  const std::size_t room = requestBody_->room();
  if (room == 0 && !requestBody_->readerGone()) {
    return requestBody_->writable()->whenReady([self = this->shared_from_this()] {
      // Called inside the guest's read: go on from the loop.
      self->loop_.post([self] { self->readBodyPiece(); });
    });
  }
  const std::size_t asked = std::clamp<std::size_t>(room, 4096, kRequestWindow);
  piece_.resize(asked);
  auto& body = parser_->get().body();
  body.data = piece_.data();
  body.size = asked;
  body.more = true;
  tcpStream().expires_after(server_.options().requestTimeout);
  bhttp::async_read_some(stream_, buffer_, *parser_,
                         [self = this->shared_from_this(), asked](error_code ec, std::size_t) {
                           self->bodyPieceRead(ec, asked);
                         });
}

template <class Stream>
void Session<Stream>::bodyPieceRead(error_code ec, std::size_t asked) {
  if (!requestBody_) return;  // closed meanwhile: the body was ended then
  if (ec == bhttp::error::need_buffer) ec = {};  // the piece is full
  const std::size_t got = asked - parser_->get().body().size;
  if (got > 0 && !requestBody_->write(std::string_view(piece_.data(), got))) {
    // Past --max-body (a chunked body; a Content-Length past it is refused
    // with 413 before the handler sees the request).
    server_.handler().rejected(Rejection::BodyTooLarge);
    requestBody_.reset();
    return;  // the connection closes after the response (requestRead_ stays false)
  }
  if (ec) {
    // Too large or malformed (a bad chunk): the handler still answers (413,
    // 400, or what the guest makes of the failed stream), then the
    // connection closes. Too slow, or gone: closed now.
    const bool tooLarge = ec == bhttp::error::body_limit;
    const bool gone = ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
                      ec == ssl::error::stream_truncated || ec == bhttp::error::partial_message;
    if (tooLarge) server_.handler().rejected(Rejection::BodyTooLarge);
    else if (ec == beast::error::timeout) server_.handler().rejected(Rejection::Timeout);
    else if (!gone) server_.handler().rejected(Rejection::BadRequest);
    requestBody_->fail(tooLarge ? std::string("the request body passed the host's limit")
                                : fmt::format("the request body was cut off ({})", ec.message()),
                       tooLarge);
    requestBody_.reset();
    if (gone) close();
    return;
  }
  if (parser_->is_done()) {
    tcpStream().expires_never();
    wasi::HttpFieldList trailers;
    std::size_t i = 0;
    for (const auto& f : parser_->get())
      if (i++ >= headerFields_) trailers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    requestRead_ = true;
    auto body = std::move(requestBody_);
    body->finish(std::move(trailers));
    return;
  }
  readBodyPiece();
}

template <class Stream>
void Session<Stream>::reject(Rejection why, int status, const std::string& text) {
  server_.handler().rejected(why);
  busy_ = true;
  head_ = false;
  sendResponse(Response::text(status, text), false);
}

// The status line and headers of `r`, as both kinds of response send them.
template <class Stream>
template <class Message>
void Session<Stream>::fillHead(Message& head, const Response& r) {
  head.version(11);
  head.result(static_cast<unsigned>(r.status));
  const std::string_view reason = reasonPhrase(r.status);
  if (!reason.empty()) head.reason(reason);
  for (const auto& [name, value] : r.headers) head.insert(name, value);
  head.set(bhttp::field::server, server_.options().serverName);
}

template <class Stream>
void Session<Stream>::sendResponse(Response r, bool keepAlive) {
  // A request body not read to its end leaves the connection mid-message.
  keepAlive = keepAlive && !server_.draining() && requestRead_;
  if (r.stream) return sendStreamed(std::move(r), keepAlive);
  response_ = {};
  fillHead(response_, r);
  response_.body() = std::move(r.body);
  response_.prepare_payload();
  if (head_) response_.body().clear();  // Content-Length stays: what a GET would send
  response_.keep_alive(keepAlive);
  tcpStream().expires_after(server_.options().requestTimeout);  // a client that never reads is cut off
  bhttp::async_write(stream_, response_, [self = this->shared_from_this(), keepAlive](error_code ec, std::size_t) {
    if (ec) {
      self->busy_ = false;
      return self->close();
    }
    self->responseDone(keepAlive);
  });
}

// After the last byte of a response: the next request, or the end.
template <class Stream>
void Session<Stream>::responseDone(bool keepAlive) {
  busy_ = false;
  if (!keepAlive || server_.draining() || !requestRead_) return closeAfterResponse();
  waitForRequest();
}

// The head now, then the body as the handler's pipe has it: chunked for
// HTTP/1.1 (with the trailers it ends with), for HTTP/1.0 raw bytes until
// the connection closes. A body that fails is cut off: the connection
// closes without the last chunk, so the client sees it incomplete.
template <class Stream>
void Session<Stream>::sendStreamed(Response r, bool keepAlive) {
  responseBody_ = std::move(r.stream);
  streamHead_.emplace();
  auto& head = *streamHead_;
  fillHead(head, r);
  const bool noBody = head_ || r.status == 204 || r.status == 304;
  chunked_ = !http10_ && !noBody;
  streamKeepAlive_ = keepAlive && !http10_;
  if (chunked_) head.chunked(true);
  head.keep_alive(streamKeepAlive_);
  discardBody_ = noBody;  // what the guest writes is read and dropped: its writes still succeed
  streamSerializer_.emplace(head);
  tcpStream().expires_after(server_.options().requestTimeout);
  bhttp::async_write_header(stream_, *streamSerializer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
    if (ec) {
      self->busy_ = false;
      return self->close();
    }
    self->writeNextPiece();
  });
}

template <class Stream>
void Session<Stream>::writeNextPiece() {
  if (!responseBody_) return;  // closed meanwhile
  auto self = this->shared_from_this();
  auto piece = std::make_shared<std::string>(responseBody_->take(kResponsePiece));
  if (!piece->empty() && discardBody_) return loop_.post([self] { self->writeNextPiece(); });
  if (!piece->empty()) {
    auto written = [self, piece](error_code ec, std::size_t) {
      if (ec) {
        self->busy_ = false;
        return self->close();  // the guest's next write sees the stream closed
      }
      self->writeNextPiece();
    };
    tcpStream().expires_after(server_.options().requestTimeout);  // a client that stops reading is cut off
    if (chunked_) return asio::async_write(stream_, bhttp::make_chunk(asio::buffer(*piece)), std::move(written));
    return asio::async_write(stream_, asio::buffer(*piece), std::move(written));
  }
  switch (responseBody_->state()) {
    case wasi::BodyPipe::State::Open:
      tcpStream().expires_never();  // the guest's deadline bounds the wait
      return responseBody_->readable()->whenReady([self] { self->loop_.post([self] { self->writeNextPiece(); }); });
    case wasi::BodyPipe::State::Failed:
      busy_ = false;
      responseBody_.reset();
      return close();
    case wasi::BodyPipe::State::Finished: break;
  }
  const bool keepAlive = streamKeepAlive_;
  if (!chunked_) {
    responseBody_.reset();
    return responseDone(keepAlive);
  }
  auto trailer = std::make_shared<bhttp::fields>();
  for (auto& [name, value] : responseBody_->trailers())
    if (!hostOwnedHeader(name)) trailer->insert(name, value);
  responseBody_.reset();
  tcpStream().expires_after(server_.options().requestTimeout);
  asio::async_write(stream_, bhttp::make_chunk_last(*trailer), [self, trailer, keepAlive](error_code ec, std::size_t) {
    if (ec) {
      self->busy_ = false;
      return self->close();
    }
    self->responseDone(keepAlive);
  });
}

}  // namespace

Expected<std::unique_ptr<Server>> Server::create(const ServerOptions& options, RequestHandler& handler) {
  auto server = std::make_unique<BeastServer>(options, handler);
  WASMOPS_TRY_VOID(server->configureTls());
  WASMOPS_TRY_VOID(server->bind());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace wasmops::http
