// wasi:http/types (requests, responses, bodies, outparams, options) and
// wasi:http/outgoing-handler. Bodies are wasi:io streams over memory
// streams: the incoming body is the request's, the outgoing one is bounded
// by the host's response limit.
#include <fmt/format.h>

#include <array>

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
  t.memory = body.data;
  WASMOPS_TRY(std::uint32_t rep, st.io.outputs.add(OutputStream{t}));
  return Value::ok(Value::own(rep));
}

std::shared_ptr<HttpBodyOut> newBody(const HttpState& st) {
  auto body = std::make_shared<HttpBodyOut>();
  body->data = MemoryStream::output(st.maxBodyBytes);
  return body;
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
        if (!b->data) return Value::err();
        StreamTarget t;
        t.memory = std::move(b->data);
        b->data.reset();
        WASMOPS_TRY(std::uint32_t rep, s->io.inputs.add(InputStream{t}));
        return Value::ok(Value::own(rep));
      })
      .function("[static]incoming-body.finish", "own", [s](Args a) -> Result {
        WASMOPS_TRY_VOID(s->incomingBodies.remove(a[0].bits));
        WASMOPS_TRY(std::uint32_t rep, s->futureTrailers.add({}));
        return Value::own(rep);
      });

  // Requests reach the host whole, so their trailers (none: HTTP/1.1
  // trailers are not passed on) are known at once.
  types.resource("future-trailers", s, &HttpState::futureTrailers)
      .function("[method]future-trailers.subscribe", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY_VOID(s->futureTrailers.get(a[0].bits));
        return newPollable(s->io, Pollable{});
      })
      .function("[method]future-trailers.get", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(FutureTrailers * f, s->futureTrailers.get(a[0].bits));
        if (f->taken) return Value::some(Value::err());
        f->taken = true;
        return Value::some(Value::ok(Value::ok(Value::none())));
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
         if (!b->body->finished) b->body->abandoned = true;
         return s->outgoingBodies.remove(rep);
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
          return Value::err(errorCode(httperror::InternalError, "the body passed the host's size limit"));
        }
        body->finished = true;
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

  // Nothing makes these while outbound requests are refused.
  types.resource("incoming-response", s, &HttpState::incomingResponses).resource("future-incoming-response", s, &HttpState::futureResponses);
  for (const char* name : {"[method]incoming-response.status", "[method]incoming-response.headers",
                           "[method]incoming-response.consume"})
    types.function(name, "borrow", [s](Args a) -> Result {
      WASMOPS_TRY_VOID(s->incomingResponses.get(a[0].bits));
      return makeError(ErrorCode::Internal, "trap: no incoming-response exists");
    });
  for (const char* name : {"[method]future-incoming-response.subscribe", "[method]future-incoming-response.get"})
    types.function(name, "borrow", [s](Args a) -> Result {
      WASMOPS_TRY_VOID(s->futureResponses.get(a[0].bits));
      return makeError(ErrorCode::Internal, "trap: no future-incoming-response exists");
    });

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

  // Outbound HTTP is not provided: every request is refused as a host
  // without `allowed_outbound_hosts` refuses it.
  HttpStateRef s(&st);
  InterfaceDefiner outgoing(linker, "wasi:http/outgoing-handler");
  outgoing.function("handle", "own, option<own>", [s](Args a) -> Result {
    WASMOPS_TRY_VOID(s->outgoingRequests.remove(a[0].bits));
    if (const Value* options = a[1].payload()) WASMOPS_TRY_VOID(s->requestOptions.remove(options->bits));
    return Value::err(errorCode(httperror::HttpRequestDenied));
  });
  return outgoing.finish();
}

Expected<std::pair<std::uint32_t, std::uint32_t>> newIncomingRequest(HttpState& st, HttpRequestHead head,
                                                                    std::shared_ptr<MemoryStream> body,
                                                                    std::shared_ptr<HttpResponseSlot> slot) {
  WASMOPS_TRY(std::uint32_t request, st.incomingRequests.add(IncomingRequest{std::move(head), std::move(body)}));
  WASMOPS_TRY(std::uint32_t outparam, st.outparams.add(ResponseOutparam{std::move(slot)}));
  return std::pair{request, outparam};
}

}  // namespace wasmops::wasi::preview2
