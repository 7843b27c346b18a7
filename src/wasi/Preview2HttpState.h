#pragma once
// The host objects behind wasi:http/types' resources (one HostTable per
// resource type), next to the wasi:io tables their bodies' streams live in.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "component/HostTable.h"
#include "wasi/HttpExchange.h"
#include "wasi/Preview2State.h"

namespace wasmops::wasi::preview2 {

struct HttpFields {
  HttpFieldList entries;
  // Headers of a request or response the guest got or built: set, append
  // and delete fail with header-error.immutable.
  bool immutable = false;
};

struct IncomingRequest {
  HttpRequestHead head;
  std::shared_ptr<BodyPipe> body;  // null once consumed
};

struct IncomingBody {
  std::shared_ptr<BodyPipe> data;
  bool streamTaken = false;  // stream() hands out one input-stream
};

// The trailers of an incoming body the guest finished: there once the
// body's writer ended it (the rest of the body is read and dropped).
struct FutureTrailers {
  std::shared_ptr<BodyPipe> body;
  bool taken = false;  // get() gave its value
};

struct OutgoingResponse {
  std::uint16_t status = 200;
  HttpFieldList headers;
  std::shared_ptr<HttpBodyOut> body;  // created on first body()
  bool bodyTaken = false;
};

struct OutgoingBody {
  std::shared_ptr<HttpBodyOut> body;
};

struct ResponseOutparam {
  std::shared_ptr<HttpResponseSlot> slot;
};

struct RequestOptions {
  std::optional<std::uint64_t> connectTimeout, firstByteTimeout, betweenBytesTimeout;
};

struct OutgoingRequest {
  HttpOutgoingRequest request;
  bool bodyTaken = false;
};

// An outbound request's response (outgoing-handler.handle, then
// future-incoming-response.get).
struct IncomingResponse {
  std::uint16_t status = 200;
  HttpFieldList headers;
  std::shared_ptr<BodyPipe> body;  // null once consumed
};

// An outbound request in flight. Dropped before its response came, or with
// the instance, it tells the sender to give up.
struct FutureIncomingResponse {
  explicit FutureIncomingResponse(std::shared_ptr<HttpOutboundCall> c) : call(std::move(c)) {}
  FutureIncomingResponse(FutureIncomingResponse&&) noexcept = default;
  FutureIncomingResponse& operator=(FutureIncomingResponse&&) noexcept = default;
  ~FutureIncomingResponse() {
    if (call) call->abandon();
  }
  std::shared_ptr<HttpOutboundCall> call;
  bool taken = false;  // get() gave its value
};

struct HttpState {
  HttpState(Preview2State& streams, std::size_t maxBody) : io(streams), maxBodyBytes(maxBody) {}
  Preview2State& io;
  std::size_t maxBodyBytes;
  component::HostTable<HttpFields> fields{"fields"};
  component::HostTable<IncomingRequest> incomingRequests{"incoming-request"};
  component::HostTable<OutgoingRequest> outgoingRequests{"outgoing-request"};
  component::HostTable<RequestOptions> requestOptions{"request-options"};
  component::HostTable<ResponseOutparam> outparams{"response-outparam"};
  component::HostTable<IncomingResponse> incomingResponses{"incoming-response"};
  component::HostTable<IncomingBody> incomingBodies{"incoming-body"};
  component::HostTable<FutureTrailers> futureTrailers{"future-trailers"};
  component::HostTable<OutgoingResponse> outgoingResponses{"outgoing-response"};
  component::HostTable<OutgoingBody> outgoingBodies{"outgoing-body"};
  component::HostTable<FutureIncomingResponse> futureResponses{"future-incoming-response"};
  std::shared_ptr<HttpOutbound> outbound;  // null: every outbound request is refused
};

// StateRef's counterpart for the wasi:http objects.
template <>
HttpState& StateRefOf<HttpState>::get() const;
using HttpStateRef = StateRefOf<HttpState>;

// Header names and values as wasi:http accepts them from a guest (RFC 9110
// tokens; values without NUL, CR, LF or other controls but tab), and the
// names a guest may not set (wasmtime's DEFAULT_FORBIDDEN_HEADERS).
bool validFieldName(std::string_view name);
bool validFieldValue(std::string_view value);
bool forbiddenField(std::string_view lowerCaseName);
std::string lowerCase(std::string_view s);

// wasi:http/types.error-code as a shape (TypeShape.h) and described for logs.
const std::string& errorCodeShape();
std::string describeErrorCode(const component::Value& code);
std::string describeHttpErrorCase(std::uint32_t caseIndex, const std::optional<std::string>& detail);
// An error-code value of case `caseIndex`; `detail` fills its text payload
// where it has one (internal-error, DNS-error's rcode, ...), others are empty.
component::Value errorCode(std::uint32_t caseIndex, std::optional<std::string> detail = std::nullopt);

// The fields resource and its functions (Preview2HttpFields.cpp).
void defineFields(HttpState& st, InterfaceDefiner& types);
// wasi:http/types and wasi:http/outgoing-handler (Preview2Http.cpp).
Expected<void> defineHttp(HttpState& st, component::ComponentLinker& linker);
// The reps of a new incoming-request and of its response-outparam.
Expected<std::pair<std::uint32_t, std::uint32_t>> newIncomingRequest(HttpState& st, HttpRequestHead head,
                                                                    std::shared_ptr<BodyPipe> body,
                                                                    std::shared_ptr<HttpResponseSlot> slot);

}  // namespace wasmops::wasi::preview2
