// The wasi:http host (Preview2Host::defineHttp): called as a guest's lowered
// imports call it, Values in and out. What a real component does with it
// over HTTP is tests/http/wasi_http_test.py.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "engine/GuestTask.h"
#include "wasi/Preview2Host.h"
#include "wasi/Preview2HttpState.h"

namespace wasmops::wasi {
namespace {

using component::Value;

constexpr const char* kTypes = "wasi:http/types@0.2.12";
constexpr const char* kStreams = "wasi:io/streams@0.2.12";
constexpr const char* kPoll = "wasi:io/poll@0.2.12";
constexpr const char* kOutgoing = "wasi:http/outgoing-handler@0.2.12";

// An HttpOutbound that records what it is given and completes calls when told.
class FakeOutbound final : public HttpOutbound {
 public:
  std::optional<HttpOutboundError> admit(HttpOutgoingRequest& request) override {
    admitted.push_back(request.authority.value_or(""));
    if (request.authority == "denied.test") return HttpOutboundError{httperror::HttpRequestDenied, std::nullopt};
    return std::nullopt;
  }
  void start(HttpOutgoingRequest request, std::shared_ptr<HttpOutboundCall> call) override {
    started.push_back(std::move(request));
    calls.push_back(std::move(call));
  }
  std::vector<std::string> admitted;
  std::vector<HttpOutgoingRequest> started;
  std::vector<std::shared_ptr<HttpOutboundCall>> calls;
};

class Preview2HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto host = Preview2Host::create({}, {MemoryStream::input(""), MemoryStream::output(0), MemoryStream::output(0)});
    ASSERT_TRUE(host) << host.error().message;
    host_ = std::move(*host);
    ASSERT_TRUE(host_->define(linker_));
    auto http = host_->defineHttp(linker_, 64);
    ASSERT_TRUE(http) << http.error().message;
  }

  Expected<std::optional<Value>> call(const char* interface, const std::string& function, std::vector<Value> args = {}) {
    const component::HostFunction* fn = linker_.function(interface, function);
    if (!fn) return makeError(ErrorCode::NotFound, "no host function " + function);
    return (*fn)(args);
  }
  Value value(const char* interface, const std::string& function, std::vector<Value> args = {}) {
    auto r = call(interface, function, std::move(args));
    EXPECT_TRUE(r) << function << ": " << (r ? "" : r.error().message);
    if (!r || !*r) return Value::none();
    return **r;
  }
  Value types(const std::string& function, std::vector<Value> args = {}) { return value(kTypes, function, std::move(args)); }
  static Value field(const std::string& name, const std::string& v) { return Value::tuple({Value::string(name), Value::bytes(v)}); }
  // own<fields> made by from-list, which must succeed.
  Value fields(std::vector<Value> entries) {
    Value r = types("[static]fields.from-list", {Value::list(std::move(entries))});
    EXPECT_EQ(r.caseIndex(), 0u);
    return r.payload() ? *r.payload() : Value::own(0);
  }
  static Value borrowOf(const Value& own) { return Value::borrow(static_cast<std::uint32_t>(own.bits)); }
  // An outgoing-request to http://AUTHORITY/path?q with one header.
  Value outgoingRequest(const std::string& authority) {
    Value request = types("[constructor]outgoing-request", {fields({field("accept", "*/*")})});
    Value rb = borrowOf(request);
    EXPECT_EQ(types("[method]outgoing-request.set-scheme", {rb, Value::some(Value::variant(0))}).caseIndex(), 0u);
    EXPECT_EQ(types("[method]outgoing-request.set-authority", {rb, Value::some(Value::string(authority))}).caseIndex(),
              0u);
    EXPECT_EQ(
        types("[method]outgoing-request.set-path-with-query", {rb, Value::some(Value::string("/path?q"))}).caseIndex(),
        0u);
    return request;
  }
  Value handle(Value request, Value options = Value::none()) {
    return value(kOutgoing, "handle", {std::move(request), std::move(options)});
  }
  std::shared_ptr<FakeOutbound> useFakeOutbound() {
    auto fake = std::make_shared<FakeOutbound>();
    host_->setOutbound(fake);
    return fake;
  }
  static std::vector<std::string> texts(const Value& listOfBytes) {
    std::vector<std::string> out;
    for (const auto& v : listOfBytes.items) out.push_back(*v.listBytes());
    return out;
  }

  std::unique_ptr<Preview2Host> host_;
  component::ComponentLinker linker_;
};

TEST_F(Preview2HttpTest, FieldsKeepOrderAndRepeatsAndMatchNamesWithoutCase) {
  Value f = fields({field("X-Multi", "1"), field("accept", "*/*"), field("x-multi", "2")});
  Value b = Value::borrow(static_cast<std::uint32_t>(f.bits));
  EXPECT_EQ(texts(types("[method]fields.get", {b, Value::string("X-MULTI")})), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(types("[method]fields.has", {b, Value::string("Accept")}).bits);
  EXPECT_FALSE(types("[method]fields.has", {b, Value::string("nope")}).bits);
  Value entries = types("[method]fields.entries", {b});
  ASSERT_EQ(entries.items.size(), 3u);
  EXPECT_EQ(entries.items[0].items[0].text, "x-multi");  // names come back in lower case
  EXPECT_EQ(entries.items[2].items[0].text, "x-multi");
  EXPECT_EQ(*entries.items[1].items[1].listBytes(), "*/*");

  EXPECT_EQ(types("[method]fields.set", {b, Value::string("x-multi"), Value::list({Value::bytes("3")})}).caseIndex(), 0u);
  EXPECT_EQ(texts(types("[method]fields.get", {b, Value::string("x-multi")})), (std::vector<std::string>{"3"}));
  EXPECT_EQ(types("[method]fields.append", {b, Value::string("x-multi"), Value::bytes("4")}).caseIndex(), 0u);
  EXPECT_EQ(types("[method]fields.delete", {b, Value::string("ACCEPT")}).caseIndex(), 0u);
  EXPECT_FALSE(types("[method]fields.has", {b, Value::string("accept")}).bits);
  EXPECT_EQ(types("[method]fields.entries", {b}).items.size(), 2u);
}

TEST_F(Preview2HttpTest, InvalidAndForbiddenFieldsAreHeaderErrors) {
  auto fromList = [&](std::vector<Value> entries) { return types("[static]fields.from-list", {Value::list(std::move(entries))}); };
  Value bad = fromList({field("bad name", "v")});
  ASSERT_EQ(bad.caseIndex(), 1u);
  EXPECT_EQ(bad.payload()->caseIndex(), 0u);  // invalid-syntax
  EXPECT_EQ(fromList({field("x", "a\r\nInjected: 1")}).payload()->caseIndex(), 0u);
  EXPECT_EQ(fromList({field("x", std::string("a\0b", 3))}).payload()->caseIndex(), 0u);
  EXPECT_EQ(fromList({field("x", "tab\tand obs-text \xe9")}).caseIndex(), 0u);
  for (const char* name : {"Connection", "host", "Transfer-Encoding", "upgrade", "keep-alive", "te"}) {
    Value r = fromList({field(name, "x")});
    ASSERT_EQ(r.caseIndex(), 1u) << name;
    EXPECT_EQ(r.payload()->caseIndex(), 1u) << name;  // forbidden
  }
  Value f = fields({});
  Value b = Value::borrow(static_cast<std::uint32_t>(f.bits));
  EXPECT_EQ(types("[method]fields.append", {b, Value::string("host"), Value::bytes("h")}).payload()->caseIndex(), 1u);
  EXPECT_EQ(types("[method]fields.set", {b, Value::string(""), Value::list({})}).payload()->caseIndex(), 0u);
}

TEST_F(Preview2HttpTest, TheIncomingRequestAsTheGuestSeesIt) {
  HttpRequestHead head{"PURGE", "http", "example.com:8080", "/a/b?x=1", {{"Host", "example.com:8080"}, {"X-Custom", "v"}, {"Connection", "keep-alive"}}};
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest(head, BodyPipe::whole("body bytes"), slot);
  ASSERT_TRUE(handles) << handles.error().message;
  Value req = Value::borrow(static_cast<std::uint32_t>(handles->first.bits));
  Value method = types("[method]incoming-request.method", {req});
  EXPECT_EQ(method.caseIndex(), 9u);  // other(...)
  EXPECT_EQ(method.payload()->text, "PURGE");
  EXPECT_EQ(types("[method]incoming-request.path-with-query", {req}).payload()->text, "/a/b?x=1");
  EXPECT_EQ(types("[method]incoming-request.scheme", {req}).payload()->caseIndex(), 0u);  // HTTP
  EXPECT_EQ(types("[method]incoming-request.authority", {req}).payload()->text, "example.com:8080");
  Value headers = types("[method]incoming-request.headers", {req});
  Value hb = Value::borrow(static_cast<std::uint32_t>(headers.bits));
  Value entries = types("[method]fields.entries", {hb});
  ASSERT_EQ(entries.items.size(), 1u);  // host and connection are left out
  EXPECT_EQ(entries.items[0].items[0].text, "x-custom");
  // Headers of a request cannot be changed.
  EXPECT_EQ(types("[method]fields.append", {hb, Value::string("x"), Value::bytes("y")}).payload()->caseIndex(), 2u);

  Value body = types("[method]incoming-request.consume", {req});
  ASSERT_EQ(body.caseIndex(), 0u);
  EXPECT_EQ(types("[method]incoming-request.consume", {req}).caseIndex(), 1u);  // once
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value stream = types("[method]incoming-body.stream", {bb});
  ASSERT_EQ(stream.caseIndex(), 0u);
  Value sb = Value::borrow(static_cast<std::uint32_t>(stream.payload()->bits));
  Value read = value(kStreams, "[method]input-stream.blocking-read", {sb, Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 0u);
  EXPECT_EQ(*read.payload()->listBytes(), "body bytes");
  EXPECT_EQ(value(kStreams, "[method]input-stream.blocking-read", {sb, Value::u64(100)}).caseIndex(), 1u);  // closed
  Value trailers = types("[static]incoming-body.finish", {*body.payload()});
  Value tb = Value::borrow(static_cast<std::uint32_t>(trailers.bits));
  Value got = types("[method]future-trailers.get", {tb});
  ASSERT_EQ(got.caseIndex(), 1u);                                // some
  EXPECT_EQ(got.payload()->caseIndex(), 0u);                     // ok
  EXPECT_EQ(got.payload()->payload()->caseIndex(), 0u);          // ok
  EXPECT_EQ(got.payload()->payload()->payload()->caseIndex(), 0u);  // none
  EXPECT_EQ(types("[method]future-trailers.get", {tb}).payload()->caseIndex(), 1u);  // taken already
}

TEST_F(Preview2HttpTest, ARequestBodyArrivingInPiecesWithTrailers) {
  auto pipe = BodyPipe::create(16);
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest({"POST", "http", "h", "/", {}}, pipe, slot);
  ASSERT_TRUE(handles);
  Value req = Value::borrow(static_cast<std::uint32_t>(handles->first.bits));
  Value body = types("[method]incoming-request.consume", {req});
  ASSERT_EQ(body.caseIndex(), 0u);
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value stream = types("[method]incoming-body.stream", {bb});
  ASSERT_EQ(stream.caseIndex(), 0u);
  EXPECT_EQ(types("[method]incoming-body.stream", {bb}).caseIndex(), 1u);  // once
  Value sb = Value::borrow(static_cast<std::uint32_t>(stream.payload()->bits));
  // Nothing yet: a read gives no bytes, the stream is not closed.
  Value read = value(kStreams, "[method]input-stream.read", {sb, Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 0u);
  EXPECT_EQ(read.payload()->listSize(), 0u);
  pipe->write("abc");
  read = value(kStreams, "[method]input-stream.read", {sb, Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 0u);
  EXPECT_EQ(*read.payload()->listBytes(), "abc");
  // Trailers are not there before the body ended.
  pipe->write("def");
  Value trailers = types("[static]incoming-body.finish", {*body.payload()});
  Value tb = Value::borrow(static_cast<std::uint32_t>(trailers.bits));
  EXPECT_EQ(types("[method]future-trailers.get", {tb}).caseIndex(), 0u);  // none: not yet
  pipe->finish({{"X-Checksum", "42"}});
  Value got = types("[method]future-trailers.get", {tb});
  ASSERT_EQ(got.caseIndex(), 1u);
  ASSERT_EQ(got.payload()->payload()->caseIndex(), 0u);
  const Value* some = got.payload()->payload()->payload();
  ASSERT_EQ(some->caseIndex(), 1u);  // some(trailers)
  Value fb = Value::borrow(static_cast<std::uint32_t>(some->payload()->bits));
  Value entries = types("[method]fields.entries", {fb});
  ASSERT_EQ(entries.items.size(), 1u);
  EXPECT_EQ(entries.items[0].items[0].text, "x-checksum");  // lower case, as wasi:http gives names
}

TEST_F(Preview2HttpTest, ARequestBodyCutOffIsAStreamError) {
  auto pipe = BodyPipe::create(16);
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest({"POST", "http", "h", "/", {}}, pipe, slot);
  ASSERT_TRUE(handles);
  Value req = Value::borrow(static_cast<std::uint32_t>(handles->first.bits));
  Value body = types("[method]incoming-request.consume", {req});
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value stream = types("[method]incoming-body.stream", {bb});
  Value sb = Value::borrow(static_cast<std::uint32_t>(stream.payload()->bits));
  pipe->write("ab");
  pipe->fail("the client went away");
  Value read = value(kStreams, "[method]input-stream.blocking-read", {sb, Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 0u);
  EXPECT_EQ(*read.payload()->listBytes(), "ab");  // what came before the end
  read = value(kStreams, "[method]input-stream.blocking-read", {sb, Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 1u);
  EXPECT_EQ(read.payload()->caseIndex(), 0u);  // last-operation-failed, not closed
}

TEST_F(Preview2HttpTest, AStreamedResponseBodyTellsTheGuestToWaitForTheNetwork) {
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest({"GET", "http", "h", "/", {}}, BodyPipe::whole(""), slot);
  ASSERT_TRUE(handles);
  Value response = types("[constructor]outgoing-response", {fields({})});
  Value rb = Value::borrow(static_cast<std::uint32_t>(response.bits));
  Value body = types("[method]outgoing-response.body", {rb});
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value out = types("[method]outgoing-body.write", {bb});
  Value ob = Value::borrow(static_cast<std::uint32_t>(out.payload()->bits));
  ASSERT_TRUE(call(kTypes, "[static]response-outparam.set", {handles->second, Value::ok(response)}));
  ASSERT_TRUE(slot->body);
  // The server sends the head and gives the body a window of 8 bytes.
  slot->body->data->setWindow(8);
  Value permit = value(kStreams, "[method]output-stream.check-write", {ob});
  ASSERT_EQ(permit.caseIndex(), 0u);
  EXPECT_EQ(permit.payload()->bits, 8u);
  EXPECT_EQ(value(kStreams, "[method]output-stream.write", {ob, Value::bytes("12345678")}).caseIndex(), 0u);
  EXPECT_EQ(value(kStreams, "[method]output-stream.check-write", {ob}).payload()->bits, 0u);
  Value pollable = value(kStreams, "[method]output-stream.subscribe", {ob});
  Value pb = Value::borrow(static_cast<std::uint32_t>(pollable.bits));
  EXPECT_FALSE(value("wasi:io/poll@0.2.12", "[method]pollable.ready", {pb}).bits);
  EXPECT_EQ(slot->body->data->take(), "12345678");  // the network took it
  EXPECT_TRUE(value("wasi:io/poll@0.2.12", "[method]pollable.ready", {pb}).bits);
  EXPECT_EQ(value(kStreams, "[method]output-stream.check-write", {ob}).payload()->bits, 8u);
  // The client went away: the guest's next write sees the stream closed.
  slot->body->data->closeReader();
  Value closed = value(kStreams, "[method]output-stream.check-write", {ob});
  ASSERT_EQ(closed.caseIndex(), 1u);
  EXPECT_EQ(closed.payload()->caseIndex(), 1u);  // closed
}

TEST_F(Preview2HttpTest, AResponseSetOnTheOutparamWithAFinishedBody) {
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest({"GET", "http", "h", "/", {}}, BodyPipe::whole(""), slot);
  ASSERT_TRUE(handles);
  Value response = types("[constructor]outgoing-response", {fields({field("content-type", "text/plain")})});
  Value rb = Value::borrow(static_cast<std::uint32_t>(response.bits));
  EXPECT_EQ(types("[method]outgoing-response.set-status-code", {rb, Value::u16(99)}).caseIndex(), 1u);
  EXPECT_EQ(types("[method]outgoing-response.set-status-code", {rb, Value::u16(201)}).caseIndex(), 0u);
  Value body = types("[method]outgoing-response.body", {rb});
  ASSERT_EQ(body.caseIndex(), 0u);
  EXPECT_EQ(types("[method]outgoing-response.body", {rb}).caseIndex(), 1u);  // once
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value out = types("[method]outgoing-body.write", {bb});
  ASSERT_EQ(out.caseIndex(), 0u);
  Value ob = Value::borrow(static_cast<std::uint32_t>(out.payload()->bits));
  EXPECT_EQ(value(kStreams, "[method]output-stream.blocking-write-and-flush", {ob, Value::bytes("hello")}).caseIndex(), 0u);
  auto set = call(kTypes, "[static]response-outparam.set", {handles->second, Value::ok(response)});
  ASSERT_TRUE(set) << set.error().message;
  Value finished = types("[static]outgoing-body.finish", {*body.payload(), Value::some(fields({field("x-trailer", "yes")}))});
  EXPECT_EQ(finished.caseIndex(), 0u);

  EXPECT_TRUE(slot->set);
  EXPECT_FALSE(slot->error);
  EXPECT_EQ(slot->status, 201);
  EXPECT_EQ(slot->headers, (HttpFieldList{{"content-type", "text/plain"}}));
  ASSERT_TRUE(slot->body);
  EXPECT_TRUE(slot->body->finished);
  EXPECT_EQ(slot->body->data->take(), "hello");
  EXPECT_EQ(slot->body->trailers, (HttpFieldList{{"x-trailer", "yes"}}));
}

TEST_F(Preview2HttpTest, ABodyPastTheLimitFailsItsWriteAndItsFinish) {
  auto slot = std::make_shared<HttpResponseSlot>();
  ASSERT_TRUE(host_->incomingRequest({"GET", "http", "h", "/", {}}, BodyPipe::whole(""), slot));
  Value response = types("[constructor]outgoing-response", {fields({})});
  Value body = types("[method]outgoing-response.body", {Value::borrow(static_cast<std::uint32_t>(response.bits))});
  Value bb = Value::borrow(static_cast<std::uint32_t>(body.payload()->bits));
  Value ob = Value::borrow(static_cast<std::uint32_t>(types("[method]outgoing-body.write", {bb}).payload()->bits));
  EXPECT_EQ(value(kStreams, "[method]output-stream.write", {ob, Value::bytes(std::string(65, 'x'))}).caseIndex(), 1u);  // limit 64
  Value finished = types("[static]outgoing-body.finish", {*body.payload(), Value::none()});
  ASSERT_EQ(finished.caseIndex(), 1u);
  EXPECT_EQ(finished.payload()->caseIndex(), 38u);  // internal-error
}

TEST_F(Preview2HttpTest, AnErrorCodeOnTheOutparamIsDescribedForTheLog) {
  auto slot = std::make_shared<HttpResponseSlot>();
  auto handles = host_->incomingRequest({"GET", "http", "h", "/", {}}, BodyPipe::whole(""), slot);
  ASSERT_TRUE(handles);
  Value code = Value::variant(38, Value::some(Value::string("db down")));
  ASSERT_TRUE(call(kTypes, "[static]response-outparam.set", {handles->second, Value::err(code)}));
  EXPECT_TRUE(slot->set);
  EXPECT_EQ(slot->error.value_or(""), "internal-error(\"db down\")");
}

TEST_F(Preview2HttpTest, OutboundRequestsAreRefused) {
  Value request = types("[constructor]outgoing-request", {fields({field("accept", "*/*")})});
  Value rb = Value::borrow(static_cast<std::uint32_t>(request.bits));
  EXPECT_EQ(types("[method]outgoing-request.set-authority", {rb, Value::some(Value::string("example.com"))}).caseIndex(), 0u);
  EXPECT_EQ(types("[method]outgoing-request.set-method", {rb, Value::variant(9, Value::string("bad method"))}).caseIndex(), 1u);
  EXPECT_EQ(types("[method]outgoing-request.authority", {rb}).payload()->text, "example.com");
  Value r = value("wasi:http/outgoing-handler@0.2.12", "handle", {request, Value::none()});
  ASSERT_EQ(r.caseIndex(), 1u);
  EXPECT_EQ(r.payload()->caseIndex(), 15u);  // HTTP-request-denied
}

TEST_F(Preview2HttpTest, AnOutboundResponseArrivesThroughItsFuture) {
  auto fake = useFakeOutbound();
  Value future = handle(outgoingRequest("example.com:8080"));
  ASSERT_EQ(future.caseIndex(), 0u);
  ASSERT_EQ(fake->started.size(), 1u);
  const HttpOutgoingRequest& sent = fake->started[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.scheme.value_or(""), "http");
  EXPECT_EQ(sent.authority.value_or(""), "example.com:8080");
  EXPECT_EQ(sent.pathWithQuery.value_or(""), "/path?q");
  EXPECT_EQ(sent.headers, (HttpFieldList{{"accept", "*/*"}}));
  EXPECT_FALSE(sent.body);

  Value fb = borrowOf(*future.payload());
  Value pollable = types("[method]future-incoming-response.subscribe", {fb});
  Value pb = borrowOf(pollable);
  EXPECT_FALSE(value(kPoll, "[method]pollable.ready", {pb}).bits);
  EXPECT_EQ(types("[method]future-incoming-response.get", {fb}).caseIndex(), 0u);  // none yet

  fake->calls[0]->complete(
      HttpIncomingResponse{201, {{"Content-Type", "text/plain"}, {"Connection", "close"}}, "hello"});
  EXPECT_TRUE(value(kPoll, "[method]pollable.ready", {pb}).bits);
  Value got = types("[method]future-incoming-response.get", {fb});
  ASSERT_EQ(got.caseIndex(), 1u);                        // some
  ASSERT_EQ(got.payload()->caseIndex(), 0u);             // ok
  ASSERT_EQ(got.payload()->payload()->caseIndex(), 0u);  // ok: a response
  Value response = *got.payload()->payload()->payload();
  EXPECT_EQ(types("[method]future-incoming-response.get", {fb}).payload()->caseIndex(), 1u);  // taken already

  Value rb = borrowOf(response);
  EXPECT_EQ(types("[method]incoming-response.status", {rb}).bits, 201u);
  Value headers = types("[method]incoming-response.headers", {rb});
  Value entries = types("[method]fields.entries", {borrowOf(headers)});
  ASSERT_EQ(entries.items.size(), 1u);  // lower case, the hop-by-hop connection left out
  EXPECT_EQ(entries.items[0].items[0].text, "content-type");
  EXPECT_EQ(
      types("[method]fields.append", {borrowOf(headers), Value::string("x"), Value::bytes("y")}).payload()->caseIndex(),
      2u);
  Value body = types("[method]incoming-response.consume", {rb});
  ASSERT_EQ(body.caseIndex(), 0u);
  EXPECT_EQ(types("[method]incoming-response.consume", {rb}).caseIndex(), 1u);  // once
  Value stream = types("[method]incoming-body.stream", {borrowOf(*body.payload())});
  Value read = value(kStreams, "[method]input-stream.blocking-read", {borrowOf(*stream.payload()), Value::u64(100)});
  ASSERT_EQ(read.caseIndex(), 0u);
  EXPECT_EQ(*read.payload()->listBytes(), "hello");
  // Children before parents: the stream, its body, the headers, the response, the future.
  for (auto [interface, resource, handle] :
       {std::tuple{kStreams, "input-stream", *stream.payload()}, std::tuple{kTypes, "incoming-body", *body.payload()},
        std::tuple{kTypes, "fields", headers}, std::tuple{kTypes, "incoming-response", response},
        std::tuple{kTypes, "future-incoming-response", *future.payload()}}) {
    const component::HostDestructor* drop = linker_.resource(interface, resource);
    ASSERT_NE(drop, nullptr) << resource;
    EXPECT_TRUE((*drop)(static_cast<std::uint32_t>(handle.bits))) << resource;
  }
}

TEST_F(Preview2HttpTest, AnOutboundFailureIsTheFuturesErrorCode) {
  auto fake = useFakeOutbound();
  Value future = handle(outgoingRequest("example.com"));
  ASSERT_EQ(future.caseIndex(), 0u);
  fake->calls[0]->complete(HttpOutboundError{httperror::InternalError, "boom"});
  Value got = types("[method]future-incoming-response.get", {borrowOf(*future.payload())});
  ASSERT_EQ(got.payload()->payload()->caseIndex(), 1u);  // some(ok(err(...)))
  const Value& code = *got.payload()->payload()->payload();
  EXPECT_EQ(code.caseIndex(), httperror::InternalError);
  EXPECT_EQ(code.payload()->payload()->text, "boom");

  Value dns = preview2::errorCode(httperror::DnsError, "NXDOMAIN");  // the text goes to rcode
  EXPECT_EQ(dns.payload()->items[0].payload()->text, "NXDOMAIN");
  EXPECT_EQ(preview2::describeErrorCode(preview2::errorCode(httperror::ConnectionRefused)), "connection-refused");
  EXPECT_EQ(describeHttpError({httperror::HttpRequestDenied, std::nullopt}), "HTTP-request-denied");
}

TEST_F(Preview2HttpTest, HandleChecksTheRequestThenAsksTheOutbound) {
  auto fake = useFakeOutbound();
  // Refused by the outbound (allowed_outbound_hosts): the answer of handle itself.
  Value denied = handle(outgoingRequest("denied.test"));
  ASSERT_EQ(denied.caseIndex(), 1u);
  EXPECT_EQ(denied.payload()->caseIndex(), httperror::HttpRequestDenied);

  Value ftp = outgoingRequest("example.com");
  EXPECT_EQ(types("[method]outgoing-request.set-scheme",
                  {borrowOf(ftp), Value::some(Value::variant(2, Value::string("ftp")))})
                .caseIndex(),
            0u);
  EXPECT_EQ(handle(ftp).payload()->caseIndex(), httperror::HttpProtocolError);
  for (const char* authority : {"user@example.com", "example.com/x", "example.com:99999", "[::1", ":80"})
    EXPECT_EQ(handle(outgoingRequest(authority)).payload()->caseIndex(), httperror::HttpRequestUriInvalid) << authority;
  Value noSlash = outgoingRequest("example.com");
  types("[method]outgoing-request.set-path-with-query", {borrowOf(noSlash), Value::some(Value::string("x"))});
  EXPECT_EQ(handle(noSlash).payload()->caseIndex(), httperror::HttpRequestUriInvalid);
  EXPECT_TRUE(fake->started.empty());

  // Defaults: path "/", https with an authority; request-options' timeouts go along.
  Value request = types("[constructor]outgoing-request", {fields({})});
  types("[method]outgoing-request.set-authority", {borrowOf(request), Value::some(Value::string("[::1]:8443"))});
  Value options = types("[constructor]request-options");
  types("[method]request-options.set-first-byte-timeout", {borrowOf(options), Value::some(Value::u64(5'000'000))});
  ASSERT_EQ(handle(request, Value::some(options)).caseIndex(), 0u);
  ASSERT_EQ(fake->started.size(), 1u);
  EXPECT_EQ(fake->started[0].pathWithQuery.value_or(""), "/");
  EXPECT_EQ(fake->started[0].scheme.value_or(""), "https");
  EXPECT_EQ(fake->started[0].firstByteTimeoutNs.value_or(0), 5'000'000u);
  EXPECT_FALSE(fake->started[0].connectTimeoutNs);
}

TEST_F(Preview2HttpTest, ARequestBodyWrittenAfterHandleIsSentOnceFinished) {
  auto fake = useFakeOutbound();
  Value request = outgoingRequest("example.com");
  Value body = types("[method]outgoing-request.body", {borrowOf(request)});
  ASSERT_EQ(body.caseIndex(), 0u);
  Value future = handle(request);
  ASSERT_EQ(future.caseIndex(), 0u);
  EXPECT_TRUE(fake->started.empty());  // not before its body is finished
  Value out = types("[method]outgoing-body.write", {borrowOf(*body.payload())});
  EXPECT_EQ(value(kStreams, "[method]output-stream.blocking-write-and-flush",
                  {borrowOf(*out.payload()), Value::bytes("data")})
                .caseIndex(),
            0u);
  const component::HostDestructor* dropStream = linker_.resource(kStreams, "output-stream");
  ASSERT_NE(dropStream, nullptr);
  ASSERT_TRUE((*dropStream)(static_cast<std::uint32_t>(out.payload()->bits)));
  EXPECT_EQ(types("[static]outgoing-body.finish", {*body.payload(), Value::none()}).caseIndex(), 0u);
  ASSERT_EQ(fake->started.size(), 1u);
  ASSERT_TRUE(fake->started[0].body);
  EXPECT_EQ(fake->started[0].body->data->take(), "data");

  // A body dropped without finish: the request is never sent, its future fails.
  Value second = outgoingRequest("example.com");
  Value secondBody = types("[method]outgoing-request.body", {borrowOf(second)});
  Value secondFuture = handle(second);
  ASSERT_EQ(secondFuture.caseIndex(), 0u);
  const component::HostDestructor* drop = linker_.resource(kTypes, "outgoing-body");
  ASSERT_NE(drop, nullptr);
  ASSERT_TRUE((*drop)(static_cast<std::uint32_t>(secondBody.payload()->bits)));
  EXPECT_EQ(fake->started.size(), 1u);
  Value got = types("[method]future-incoming-response.get", {borrowOf(*secondFuture.payload())});
  ASSERT_EQ(got.caseIndex(), 1u);
  EXPECT_EQ(got.payload()->payload()->payload()->caseIndex(), httperror::InternalError);
}

TEST_F(Preview2HttpTest, ADroppedFutureAbandonsItsCall) {
  auto fake = useFakeOutbound();
  Value future = handle(outgoingRequest("example.com"));
  ASSERT_EQ(fake->calls.size(), 1u);
  EXPECT_FALSE(fake->calls[0]->abandoned());
  bool told = false;
  fake->calls[0]->whenAbandoned([&] { told = true; });
  const component::HostDestructor* drop = linker_.resource(kTypes, "future-incoming-response");
  ASSERT_NE(drop, nullptr);
  ASSERT_TRUE((*drop)(static_cast<std::uint32_t>(future.payload()->bits)));
  EXPECT_TRUE(fake->calls[0]->abandoned());
  EXPECT_TRUE(told);
}

TEST_F(Preview2HttpTest, BlockOutsideATaskWaitsForTheOtherThread) {
  auto fake = useFakeOutbound();
  Value future = handle(outgoingRequest("example.com"));
  Value pollable = types("[method]future-incoming-response.subscribe", {borrowOf(*future.payload())});
  std::thread completer([call = fake->calls[0]] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    call->complete(HttpIncomingResponse{204, {}, ""});
  });
  const auto start = std::chrono::steady_clock::now();
  auto blocked = call(kPoll, "[method]pollable.block", {borrowOf(pollable)});
  completer.join();
  ASSERT_TRUE(blocked) << blocked.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(40));
  EXPECT_TRUE(value(kPoll, "[method]pollable.ready", {borrowOf(pollable)}).bits);
}

TEST_F(Preview2HttpTest, BlockOnAGuestTaskSuspendsItUntilTheCallCompletes) {
  auto fake = useFakeOutbound();
  Value future = handle(outgoingRequest("example.com"));
  Value pollable = types("[method]future-incoming-response.subscribe", {borrowOf(*future.payload())});
  Value clock = value("wasi:clocks/monotonic-clock@0.2.12", "subscribe-duration", {Value::u64(60'000'000'000ull)});
  Expected<std::optional<Value>> polled = std::optional<Value>();
  engine::GuestTask task(
      [&] {
        polled = call(kPoll, "poll", {Value::list({borrowOf(clock), borrowOf(pollable)})});
      },
      {});
  EXPECT_FALSE(task.resume());  // suspended, the thread free
  const GuestWait* wait = host_->waiting();
  ASSERT_NE(wait, nullptr);
  ASSERT_EQ(wait->signals.size(), 1u);
  ASSERT_TRUE(wait->until);
  EXPECT_GT(*wait->until, std::chrono::steady_clock::now() + std::chrono::seconds(50));
  EXPECT_FALSE(wait->soon);
  bool woken = false;
  wait->signals[0]->whenReady([&] { woken = true; });
  EXPECT_FALSE(task.resume());  // resumed too early: looks again, suspends again
  fake->calls[0]->complete(HttpIncomingResponse{200, {}, "x"});
  EXPECT_TRUE(woken);
  EXPECT_TRUE(task.resume());
  EXPECT_EQ(host_->waiting(), nullptr);
  ASSERT_TRUE(polled) << polled.error().message;
  ASSERT_TRUE(*polled);
  ASSERT_EQ((*polled)->items.size(), 1u);
  EXPECT_EQ((*polled)->items[0].bits, 1u);  // the future's pollable
}

TEST_F(Preview2HttpTest, ACancelledTaskEndsItsWaitWithATrap) {
  useFakeOutbound();
  Value future = handle(outgoingRequest("example.com"));
  Value pollable = types("[method]future-incoming-response.subscribe", {borrowOf(*future.payload())});
  Expected<std::optional<Value>> blocked = std::optional<Value>();
  engine::GuestTask task([&] { blocked = call(kPoll, "[method]pollable.block", {borrowOf(pollable)}); }, {});
  EXPECT_FALSE(task.resume());
  task.cancel();
  EXPECT_TRUE(task.resume());
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().message, "trap: cancelled");
}

TEST_F(Preview2HttpTest, TheLinkerRefusesAnImportWithOtherParameterTypes) {
  // outparam.set reads (own, result<own, error-code>): its shape names every error-code case.
  const std::string* shape = linker_.params(kTypes, "[static]response-outparam.set");
  ASSERT_NE(shape, nullptr);
  EXPECT_TRUE(shape->starts_with("own, result<own,variant<_,record<option<string>,option<u16>>,"));
  EXPECT_TRUE(shape->ends_with(",option<string>>>"));
}

}  // namespace
}  // namespace wasmops::wasi
