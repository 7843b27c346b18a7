// wasi:http/types (requests, responses, bodies, outparams, options) and
// wasi:http/outgoing-handler. Bodies are wasi:io streams over BodyPipes:
// the incoming body as the server reads it, the outgoing one bounded by the
// host's body limit and sent as the guest writes it once the server has the
// response's head (its window is the backpressure). Outbound requests go to the instance's
// HttpOutbound (checked, then sent once their body is finished); their
// responses arrive whole, on another thread, as an HttpOutboundCall that
// future-incoming-response and its pollable watch.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "wasi/Preview2HttpState.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

constexpr std::array<std::string_view, 9> kMethods{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
constexpr std::string_view kMethodShape = "variant<_,_,_,_,_,_,_,_,_,string>";
constexpr std::string_view kSchemeShape = "variant<_,_,string>";

Value methodValue(std::string_view method) {
  for (std::uint32_t i = 0; i < kMethods.size(); ++i)
    if (method == kMethods[i]) return Value::variant(i);
  return Value::variant(kMethods.size(), Value::string(std::string(method)));
}

std::string methodText(const Value& v) {
  return v.caseIndex() < kMethods.size() ? std::string(kMethods[v.caseIndex()]) : v.payload()->text;
}

Value schemeValue(std::string_view scheme) {
  if (scheme == "http") return Value::variant(0);
  if (scheme == "https") return Value::variant(1);
  return Value::variant(2, Value::string(std::string(scheme)));
}

std::string schemeText(const Value& v) {
  switch (v.caseIndex()) {
    case 0: return "http";
    case 1: return "https";
    default: return v.payload()->text;
  }
}

Value optionalText(const std::optional<std::string>& s) { return s ? Value::some(Value::string(*s)) : Value::none(); }
std::optional<std::string> textOf(const Value& option) {
  if (!option.payload()) return std::nullopt;
  return option.payload()->text;
}

// Headers a guest gets from a request or response it holds: a new fields
// resource that cannot be changed.
Expected<Value> immutableCopy(HttpState& st, const HttpFieldList& entries) {
  WASMOPS_TRY(std::uint32_t rep, st.fields.add(HttpFields{entries, true}));
  return Value::own(rep);
}

// An own<fields> the guest handed over: its entries, the resource gone.
Expected<HttpFieldList> takeFields(HttpState& st, const Value& own) {
  WASMOPS_TRY(HttpFields * f, st.fields.get(own.bits));
  HttpFieldList entries = std::move(f->entries);
  WASMOPS_TRY_VOID(st.fields.remove(own.bits));
  return entries;
}

// The output-stream of an outgoing body, created once.
Result bodyStream(HttpState& st, HttpBodyOut& body) {
  if (body.streamTaken) return Value::err();
  body.streamTaken = true;
  StreamTarget t;
  t.pipe = body.data;
  WASMOPS_TRY(std::uint32_t rep, st.io.outputs.add(OutputStream{t}));
  return Value::ok(Value::own(rep));
}

// Tells whoever waits for an outgoing body (an outbound request sent once
// its body is written) that it is finished or abandoned; once.
void bodyEnded(HttpBodyOut& body) {
  auto end = std::move(body.onEnd);
  body.onEnd = nullptr;
  if (end) end(body.finished);
}

std::shared_ptr<HttpBodyOut> newBody(const HttpState& st) {
  auto body = std::make_shared<HttpBodyOut>();
  body->data = BodyPipe::create(BodyPipe::kUnlimited, st.maxBodyBytes);
  return body;
}

// "host", "host:port", "[v6]" or "[v6]:port": no userinfo, path or spaces.
bool validAuthority(std::string_view a) {
  if (a.empty()) return false;
  std::string_view host = a, port;
  if (a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    host = a.substr(1, close - 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
    if (!std::all_of(host.begin(), host.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }))
      return false;
  } else {
    if (const auto colon = a.find(':'); colon != std::string_view::npos) {
      host = a.substr(0, colon);
      port = a.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty()) return false;
    if (!std::all_of(host.begin(), host.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' ||
                 c == '%';
        }))
      return false;
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    if (std::stoul(std::string(port)) > 65535) return false;
  }
  return true;
}

// outgoing-handler.handle's own checks, as wasmtime makes them: the
// error-code case of a request that cannot be sent, else nullopt. An unset
// path is "/"; an unset scheme is https when there is an authority (a
// request without one goes to the application itself, if allowed).
std::optional<std::uint32_t> checkOutgoing(HttpOutgoingRequest& r) {
  if (!validFieldName(r.method)) return httperror::HttpRequestMethodInvalid;
  if (r.scheme && *r.scheme != "http" && *r.scheme != "https") return httperror::HttpProtocolError;
  if (r.authority && !validAuthority(*r.authority)) return httperror::HttpRequestUriInvalid;
  if (!r.pathWithQuery) r.pathWithQuery = "/";
  const std::string& path = *r.pathWithQuery;
  if (path.empty() || path.front() != '/' || std::any_of(path.begin(), path.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#';
      }))
    return httperror::HttpRequestUriInvalid;
  if (!r.scheme && r.authority) r.scheme = "https";
  return std::nullopt;
}

void defineIncoming(HttpState& st, InterfaceDefiner& types) {
  HttpStateRef s(&st);
  auto request = [s](const Value& self) { return s->incomingRequests.get(self.bits); };
  types.resource("incoming-request", s, &HttpState::incomingRequests)
      .function("[method]incoming-request.method", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        return methodValue(r->head.method);
      })
      .function("[method]incoming-request.path-with-query", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        return Value::some(Value::string(r->head.pathWithQuery));
      })
      .function("[method]incoming-request.scheme", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        return Value::some(schemeValue(r->head.scheme));
      })
      .function("[method]incoming-request.authority", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        if (r->head.authority.empty()) return Value::none();
        return Value::some(Value::string(r->head.authority));
      })
      .function("[method]incoming-request.headers", "borrow", [s, request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        return immutableCopy(*s, r->head.headers);
      })
      .function("[method]incoming-request.consume", "borrow", [s, request](Args a) -> Result {
        WASMOPS_TRY(IncomingRequest * r, request(a[0]));
        if (!r->body) return Value::err();
        WASMOPS_TRY(std::uint32_t rep, s->incomingBodies.add(IncomingBody{std::move(r->body)}));
        r->body.reset();
        return Value::ok(Value::own(rep));
      });

  types.resource("incoming-body", s, &HttpState::incomingBodies)
      .function("[method]incoming-body.stream", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(IncomingBody * b, s->incomingBodies.get(a[0].bits));
        if (b->streamTaken) return Value::err();
        b->streamTaken = true;
        StreamTarget t;
        t.pipe = b->data;
        WASMOPS_TRY(std::uint32_t rep, s->io.inputs.add(InputStream{t}));
        return Value::ok(Value::own(rep));
      })
      .function("[static]incoming-body.finish", "own", [s](Args a) -> Result {
        WASMOPS_TRY(IncomingBody * b, s->incomingBodies.get(a[0].bits));
        std::shared_ptr<BodyPipe> body = std::move(b->data);
        WASMOPS_TRY_VOID(s->incomingBodies.remove(a[0].bits));
        // What the guest did not read is dropped; the trailers come after it.
        body->closeReader();
        WASMOPS_TRY(std::uint32_t rep, s->futureTrailers.add(FutureTrailers{std::move(body)}));
        return Value::own(rep);
      });

  // An HTTP/1.1 request's trailers (a chunked body's), once the body ended.
  types.resource("future-trailers", s, &HttpState::futureTrailers)
      .function("[method]future-trailers.subscribe", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(FutureTrailers * f, s->futureTrailers.get(a[0].bits));
        Pollable p;
        p.kind = Pollable::Kind::Signal;
        p.signal = f->body->readable();  // the reader is gone: ready at the end
        return newPollable(s->io, std::move(p));
      })
      .function("[method]future-trailers.get", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(FutureTrailers * f, s->futureTrailers.get(a[0].bits));
        if (!f->body->ended()) return Value::none();
        if (f->taken) return Value::some(Value::err());
        f->taken = true;
        if (f->body->state() == BodyPipe::State::Failed)
          return Value::some(Value::ok(Value::err(errorCode(httperror::HttpProtocolError, f->body->failure()))));
        HttpFieldList trailers = f->body->trailers();
        if (trailers.empty()) return Value::some(Value::ok(Value::ok(Value::none())));
        for (auto& [name, value] : trailers) name = lowerCase(name);
        WASMOPS_TRY(Value fields, immutableCopy(*s, trailers));
        return Value::some(Value::ok(Value::ok(Value::some(std::move(fields)))));
      });
}

void defineOutgoingResponse(HttpState& st, InterfaceDefiner& types) {
  HttpStateRef s(&st);
  auto response = [s](const Value& self) { return s->outgoingResponses.get(self.bits); };
  types.resource("outgoing-response", s, &HttpState::outgoingResponses)
      .function("[constructor]outgoing-response", "own", [s](Args a) -> Result {
        WASMOPS_TRY(HttpFieldList headers, takeFields(*s, a[0]));
        OutgoingResponse r;
        r.headers = std::move(headers);
        WASMOPS_TRY(std::uint32_t rep, s->outgoingResponses.add(std::move(r)));
        return Value::own(rep);
      })
      .function("[method]outgoing-response.status-code", "borrow", [response](Args a) -> Result {
        WASMOPS_TRY(OutgoingResponse * r, response(a[0]));
        return Value::u16(r->status);
      })
      .function("[method]outgoing-response.set-status-code", "borrow, u16", [response](Args a) -> Result {
        WASMOPS_TRY(OutgoingResponse * r, response(a[0]));
        if (a[1].bits < 100 || a[1].bits > 999) return Value::err();
        r->status = static_cast<std::uint16_t>(a[1].bits);
        return Value::ok();
      })
      .function("[method]outgoing-response.headers", "borrow", [s, response](Args a) -> Result {
        WASMOPS_TRY(OutgoingResponse * r, response(a[0]));
        return immutableCopy(*s, r->headers);
      })
      .function("[method]outgoing-response.body", "borrow", [s, response](Args a) -> Result {
        WASMOPS_TRY(OutgoingResponse * r, response(a[0]));
        if (r->bodyTaken) return Value::err();
        r->bodyTaken = true;
        r->body = newBody(*s);
        WASMOPS_TRY(std::uint32_t rep, s->outgoingBodies.add(OutgoingBody{r->body}));
        return Value::ok(Value::own(rep));
      });

  // Dropped without finish: whoever reads the body must treat it as cut off.
  types.resource("outgoing-body", [s](std::uint32_t rep) -> Expected<void> {
         WASMOPS_TRY(OutgoingBody * b, s->outgoingBodies.get(rep));
         std::shared_ptr<HttpBodyOut> body = b->body;
         WASMOPS_TRY_VOID(s->outgoingBodies.remove(rep));
         if (!body->finished) {
           body->abandoned = true;
           body->data->fail("the guest dropped the body without finishing it");
           bodyEnded(*body);
         }
         return {};
       })
      .function("[method]outgoing-body.write", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(OutgoingBody * b, s->outgoingBodies.get(a[0].bits));
        return bodyStream(*s, *b->body);
      })
      .function("[static]outgoing-body.finish", "own, option<own>", [s](Args a) -> Result {
        WASMOPS_TRY(OutgoingBody * b, s->outgoingBodies.get(a[0].bits));
        std::shared_ptr<HttpBodyOut> body = b->body;
        WASMOPS_TRY_VOID(s->outgoingBodies.remove(a[0].bits));
        if (const Value* trailers = a[1].payload()) {
          WASMOPS_TRY(body->trailers, takeFields(*s, *trailers));
        }
        if (body->data->overflowed()) {
          body->abandoned = true;
          bodyEnded(*body);
          return Value::err(errorCode(httperror::InternalError, "the body passed the host's size limit"));
        }
        body->finished = true;
        body->data->finish(body->trailers);
        bodyEnded(*body);
        return Value::ok();
      });

  types.resource("response-outparam", s, &HttpState::outparams)
      .function("[static]response-outparam.set", fmt::format("own, result<own,{}>", errorCodeShape()),
                [s](Args a) -> Result {
                  WASMOPS_TRY(ResponseOutparam * p, s->outparams.get(a[0].bits));
                  std::shared_ptr<HttpResponseSlot> slot = p->slot;
                  WASMOPS_TRY_VOID(s->outparams.remove(a[0].bits));
                  slot->set = true;
                  const Value& result = a[1];
                  if (result.caseIndex() != 0) {
                    slot->error = describeErrorCode(*result.payload());
                    return std::nullopt;
                  }
                  const std::uint32_t rep = static_cast<std::uint32_t>(result.payload()->bits);
                  WASMOPS_TRY(OutgoingResponse * r, s->outgoingResponses.get(rep));
                  slot->status = r->status;
                  slot->headers = std::move(r->headers);
                  slot->body = r->body;
                  WASMOPS_TRY_VOID(s->outgoingResponses.remove(rep));
                  return std::nullopt;
                });
}

// What outgoing-handler.handle gives: a future of the response, then the
// response, its headers and its body (read whole by the host, handed to the
// guest as a stream over memory, as the incoming request's).
void defineIncomingResponse(HttpState& st, InterfaceDefiner& types) {
  HttpStateRef s(&st);
  auto response = [s](const Value& self) { return s->incomingResponses.get(self.bits); };
  types.resource("incoming-response", s, &HttpState::incomingResponses)
      .function("[method]incoming-response.status", "borrow",
                [response](Args a) -> Result {
                  WASMOPS_TRY(IncomingResponse * r, response(a[0]));
                  return Value::u16(r->status);
                })
      .function("[method]incoming-response.headers", "borrow",
                [s, response](Args a) -> Result {
                  WASMOPS_TRY(IncomingResponse * r, response(a[0]));
                  return immutableCopy(*s, r->headers);
                })
      .function("[method]incoming-response.consume", "borrow", [s, response](Args a) -> Result {
        WASMOPS_TRY(IncomingResponse * r, response(a[0]));
        if (!r->body) return Value::err();
        WASMOPS_TRY(std::uint32_t rep, s->incomingBodies.add(IncomingBody{std::move(r->body)}));
        r->body.reset();
        return Value::ok(Value::own(rep));
      });

  types.resource("future-incoming-response", s, &HttpState::futureResponses)
      .function("[method]future-incoming-response.subscribe", "borrow",
                [s](Args a) -> Result {
                  WASMOPS_TRY(FutureIncomingResponse * f, s->futureResponses.get(a[0].bits));
                  Pollable p;
                  p.kind = Pollable::Kind::Signal;
                  p.signal = f->call;
                  return newPollable(s->io, std::move(p));
                })
      .function("[method]future-incoming-response.get", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(FutureIncomingResponse * f, s->futureResponses.get(a[0].bits));
        if (f->taken) return Value::some(Value::err());
        if (!f->call->ready()) return Value::none();
        f->taken = true;
        std::optional<HttpOutboundCall::Result> result = f->call->take();
        if (!result) return Value::some(Value::err());
        if (auto* e = std::get_if<HttpOutboundError>(&*result))
          return Value::some(Value::ok(Value::err(errorCode(e->code, e->detail))));
        auto& got = std::get<HttpIncomingResponse>(*result);
        // As for an incoming request: names in lower case, and the
        // hop-by-hop headers (the host's framing) left out.
        for (auto& field : got.headers) field.first = lowerCase(field.first);
        std::erase_if(got.headers, [](const auto& field) { return forbiddenField(field.first); });
        IncomingResponse r{got.status, std::move(got.headers), BodyPipe::whole(std::move(got.body))};
        WASMOPS_TRY(std::uint32_t rep, s->incomingResponses.add(std::move(r)));
        return Value::some(Value::ok(Value::ok(Value::own(rep))));
      });
}

void defineOutgoingRequest(HttpState& st, InterfaceDefiner& types) {
  HttpStateRef s(&st);
  auto request = [s](const Value& self) -> Expected<HttpOutgoingRequest*> {
    WASMOPS_TRY(OutgoingRequest * r, s->outgoingRequests.get(self.bits));
    return &r->request;
  };
  types.resource("outgoing-request", s, &HttpState::outgoingRequests)
      .function("[constructor]outgoing-request", "own", [s](Args a) -> Result {
        OutgoingRequest r;
        WASMOPS_TRY(r.request.headers, takeFields(*s, a[0]));
        WASMOPS_TRY(std::uint32_t rep, s->outgoingRequests.add(std::move(r)));
        return Value::own(rep);
      })
      .function("[method]outgoing-request.body", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(OutgoingRequest * r, s->outgoingRequests.get(a[0].bits));
        if (r->bodyTaken) return Value::err();
        r->bodyTaken = true;
        r->request.body = newBody(*s);
        WASMOPS_TRY(std::uint32_t rep, s->outgoingBodies.add(OutgoingBody{r->request.body}));
        return Value::ok(Value::own(rep));
      })
      .function("[method]outgoing-request.method", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        return methodValue(r->method);
      })
      .function("[method]outgoing-request.set-method", fmt::format("borrow, {}", kMethodShape), [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        std::string m = methodText(a[1]);
        if (!validFieldName(m)) return Value::err();  // a method is a token
        r->method = std::move(m);
        return Value::ok();
      })
      .function("[method]outgoing-request.path-with-query", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        return optionalText(r->pathWithQuery);
      })
      .function("[method]outgoing-request.set-path-with-query", "borrow, option<string>", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        auto path = textOf(a[1]);
        if (path && !validFieldValue(*path)) return Value::err();
        r->pathWithQuery = std::move(path);
        return Value::ok();
      })
      .function("[method]outgoing-request.scheme", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        return r->scheme ? Value::some(schemeValue(*r->scheme)) : Value::none();
      })
      .function("[method]outgoing-request.set-scheme", fmt::format("borrow, option<{}>", kSchemeShape), [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        if (!a[1].payload()) {
          r->scheme.reset();
          return Value::ok();
        }
        r->scheme = schemeText(*a[1].payload());
        return Value::ok();
      })
      .function("[method]outgoing-request.authority", "borrow", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        return optionalText(r->authority);
      })
      .function("[method]outgoing-request.set-authority", "borrow, option<string>", [request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        auto authority = textOf(a[1]);
        if (authority && !validFieldValue(*authority)) return Value::err();
        r->authority = std::move(authority);
        return Value::ok();
      })
      .function("[method]outgoing-request.headers", "borrow", [s, request](Args a) -> Result {
        WASMOPS_TRY(HttpOutgoingRequest * r, request(a[0]));
        return immutableCopy(*s, r->headers);
      });

  types.resource("request-options", s, &HttpState::requestOptions)
      .function("[constructor]request-options", "", [s](Args) -> Result {
        WASMOPS_TRY(std::uint32_t rep, s->requestOptions.add({}));
        return Value::own(rep);
      });
  using Member = std::optional<std::uint64_t> RequestOptions::*;
  for (auto [name, member] : {std::pair<const char*, Member>{"connect-timeout", &RequestOptions::connectTimeout},
                              {"first-byte-timeout", &RequestOptions::firstByteTimeout},
                              {"between-bytes-timeout", &RequestOptions::betweenBytesTimeout}}) {
    types.function(fmt::format("[method]request-options.{}", name), "borrow", [s, member](Args a) -> Result {
      WASMOPS_TRY(RequestOptions * o, s->requestOptions.get(a[0].bits));
      const auto& v = o->*member;
      return v ? Value::some(Value::u64(*v)) : Value::none();
    });
    types.function(fmt::format("[method]request-options.set-{}", name), "borrow, option<u64>", [s, member](Args a) -> Result {
      WASMOPS_TRY(RequestOptions * o, s->requestOptions.get(a[0].bits));
      o->*member = a[1].payload() ? std::optional<std::uint64_t>(a[1].payload()->bits) : std::nullopt;
      return Value::ok();
    });
  }

  defineIncomingResponse(st, types);

  types.function("http-error-code", "borrow", [s](Args a) -> Result {
    WASMOPS_TRY_VOID(s->io.errors.get(a[0].bits));
    return Value::none();  // the host's stream errors are not HTTP protocol errors
  });
}

}  // namespace

Expected<void> defineHttp(HttpState& st, component::ComponentLinker& linker) {
  InterfaceDefiner types(linker, "wasi:http/types");
  defineFields(st, types);
  defineIncoming(st, types);
  defineOutgoingResponse(st, types);
  defineOutgoingRequest(st, types);
  WASMOPS_TRY_VOID(types.finish());

  HttpStateRef s(&st);
  InterfaceDefiner outgoing(linker, "wasi:http/outgoing-handler");
  outgoing.function("handle", "own, option<own>", [s](Args a) -> Result {
    HttpState& state = *s;
    WASMOPS_TRY(OutgoingRequest * r, state.outgoingRequests.get(a[0].bits));
    HttpOutgoingRequest request = std::move(r->request);
    WASMOPS_TRY_VOID(state.outgoingRequests.remove(a[0].bits));
    if (const Value* options = a[1].payload()) {
      WASMOPS_TRY(RequestOptions * o, state.requestOptions.get(options->bits));
      request.connectTimeoutNs = o->connectTimeout;
      request.firstByteTimeoutNs = o->firstByteTimeout;
      request.betweenBytesTimeoutNs = o->betweenBytesTimeout;
      WASMOPS_TRY_VOID(state.requestOptions.remove(options->bits));
    }
    if (auto invalid = checkOutgoing(request)) return Value::err(errorCode(*invalid));
    // Without an outbound client the host behaves as for an empty `allowed_outbound_hosts`.
    if (!state.outbound) return Value::err(errorCode(httperror::HttpRequestDenied));
    if (auto refused = state.outbound->admit(request)) return Value::err(errorCode(refused->code, refused->detail));
    auto call = std::make_shared<HttpOutboundCall>();
    std::shared_ptr<HttpBodyOut> body = request.body;
    if (body && body->abandoned)
      return Value::err(errorCode(httperror::InternalError, "the request body was dropped without being finished"));
    if (!body || body->finished) {
      state.outbound->start(std::move(request), call);
    } else {
      // The body is written after handle (as wasi:http allows): the request
      // goes out once it is finished. The hook holds the body weakly: the
      // body owns it.
      request.body.reset();
      auto pending = std::make_shared<HttpOutgoingRequest>(std::move(request));
      std::weak_ptr<HttpBodyOut> weakBody = body;
      body->onEnd = [outbound = state.outbound, call, pending, weakBody](bool finished) {
        if (!finished) {
          auto b = weakBody.lock();
          if (b && b->data->overflowed())
            call->complete(
                HttpOutboundError{httperror::HttpRequestBodySize, "the request body passed the host's size limit"});
          else
            call->complete(
                HttpOutboundError{httperror::InternalError, "the request body was dropped without being finished"});
          return;
        }
        pending->body = weakBody.lock();
        outbound->start(std::move(*pending), call);
      };
    }
    WASMOPS_TRY(std::uint32_t rep, state.futureResponses.add(FutureIncomingResponse(std::move(call))));
    return Value::ok(Value::own(rep));
  });
  return outgoing.finish();
}

Expected<std::pair<std::uint32_t, std::uint32_t>> newIncomingRequest(HttpState& st, HttpRequestHead head,
                                                                    std::shared_ptr<BodyPipe> body,
                                                                    std::shared_ptr<HttpResponseSlot> slot) {
  WASMOPS_TRY(std::uint32_t request, st.incomingRequests.add(IncomingRequest{std::move(head), std::move(body)}));
  WASMOPS_TRY(std::uint32_t outparam, st.outparams.add(ResponseOutparam{std::move(slot)}));
  return std::pair{request, outparam};
}

}  // namespace wasmops::wasi::preview2
