#include "wasi/Preview2Host.h"

#include <fmt/format.h>

#include "component/ComponentInstance.h"
#include "wasi/Preview2HttpState.h"

namespace wasmops::wasi {

namespace preview2 {

InterfaceDefiner::InterfaceDefiner(component::ComponentLinker& linker, std::string_view packageAndName)
    : linker_(linker), interface_(fmt::format("{}@{}", packageAndName, kVersion)) {}

InterfaceDefiner& InterfaceDefiner::function(std::string name, std::string params, component::HostFunction fn) {
  if (status_) status_ = linker_.define(interface_, std::move(name), std::move(fn), std::move(params));
  return *this;
}

InterfaceDefiner& InterfaceDefiner::resource(std::string name, component::HostDestructor destructor) {
  if (status_) status_ = linker_.defineResource(interface_, std::move(name), std::move(destructor));
  return *this;
}

template <>
Preview2State& StateRefOf<Preview2State>::get() const {
  if (engine::Store* store = engine::Store::current())
    if (Preview2Host* host = store->hostData<Preview2Host>()) return *host->state_;
  return *defined_;
}

template <>
HttpState& StateRefOf<HttpState>::get() const {
  if (engine::Store* store = engine::Store::current())
    if (Preview2Host* host = store->hostData<Preview2Host>(); host && host->http_) return *host->http_;
  return *defined_;
}

component::Value bytesValue(std::span<const std::uint8_t> bytes) {
  return component::Value::bytes(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Expected<std::span<const std::uint8_t>> bytesOf(const component::Value& list, std::string& storage) {
  const std::string* bytes = &list.text;
  if (!list.packed) {
    // The parameter shape (list<u8>) was checked at link time; only a host's own caller passes items.
    auto copy = list.listBytes();
    if (!copy) return makeError(ErrorCode::Invalid, "trap: a list<u8> argument holds other values");
    storage = std::move(*copy);
    bytes = &storage;
  }
  return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size());
}

component::Value streamClosed() { return component::Value::err(component::Value::variant(1)); }

Expected<component::Value> streamFailed(Preview2State& st, std::string message, std::optional<int> hostErrno) {
  std::optional<std::uint8_t> code;
  if (hostErrno) code = filesystemErrorCode(*hostErrno);
  WASMOPS_TRY(std::uint32_t rep, st.errors.add(HostError{std::move(message), code}));
  return component::Value::err(component::Value::variant(0, component::Value::own(rep)));
}

Expected<component::Value> newPollable(Preview2State& st, Pollable p) {
  WASMOPS_TRY(std::uint32_t rep, st.pollables.add(std::move(p)));
  return component::Value::own(rep);
}

}  // namespace preview2

std::optional<std::string> commandExport(const component::ComponentInstance& instance) {
  for (const auto& name : instance.functionNames())
    if (name.starts_with("wasi:cli/run@0.2.") && name.ends_with("#run")) return name;
  return std::nullopt;
}

Preview2Host::Preview2Host() = default;
Preview2Host::~Preview2Host() = default;

Expected<std::unique_ptr<Preview2Host>> Preview2Host::create(const embed::WasiConfig& config, const MemoryStdio& memoryStdio) {
  std::unique_ptr<Preview2Host> host(new Preview2Host());
  WASMOPS_TRY_VOID(openWasiContext(host->cx_, config, memoryStdio));
  host->state_ = std::make_unique<preview2::Preview2State>(host->cx_);
  return host;
}

Expected<void> Preview2Host::define(component::ComponentLinker& linker) {
  WASMOPS_TRY_VOID(preview2::defineCli(*state_, linker));
  WASMOPS_TRY_VOID(preview2::defineIo(*state_, linker));
  WASMOPS_TRY_VOID(preview2::defineClocksAndRandom(*state_, linker));
  WASMOPS_TRY_VOID(preview2::defineFilesystem(*state_, linker));
  return {};
}

}  // namespace wasmops::wasi

namespace wasmops::wasi {

void Preview2Host::enableHttp(std::size_t maxBodyBytes) {
  http_ = std::make_unique<preview2::HttpState>(*state_, maxBodyBytes);
}

Expected<void> Preview2Host::defineHttp(component::ComponentLinker& linker, std::size_t maxBodyBytes) {
  enableHttp(maxBodyBytes);
  return preview2::defineHttp(*http_, linker);
}

void Preview2Host::setOutbound(std::shared_ptr<HttpOutbound> outbound) {
  if (http_) http_->outbound = std::move(outbound);
}

const GuestWait* Preview2Host::waiting() const {
  return state_->waiting ? &*state_->waiting : nullptr;
}

Expected<std::pair<component::Value, component::Value>> Preview2Host::incomingRequest(HttpRequestHead head, std::shared_ptr<BodyPipe> body,
                                                                                      std::shared_ptr<HttpResponseSlot> slot) {
  if (!http_) return makeError(ErrorCode::Internal, "incomingRequest before defineHttp");
  // As wasmtime-wasi-http's new_incoming_request: names in lower case, and
  // the hop-by-hop and Host headers a guest could not set itself left out
  // (the authority carries the host).
  for (auto& field : head.headers) field.first = preview2::lowerCase(field.first);
  std::erase_if(head.headers, [](const auto& field) { return preview2::forbiddenField(field.first); });
  WASMOPS_TRY(auto reps, preview2::newIncomingRequest(*http_, std::move(head), std::move(body), std::move(slot)));
  return std::pair{component::Value::own(reps.first), component::Value::own(reps.second)};
}

}  // namespace wasmops::wasi
