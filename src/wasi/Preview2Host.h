#pragma once
// The WASI 0.2 host for one component: wasi:cli, wasi:io, wasi:clocks,
// wasi:random and wasi:filesystem over the same services (WasiContext:
// stdio, capability-checked preopens, args, env) as the preview1 host, so
// both ABIs obey one set of sandbox rules. define() puts every interface in
// a ComponentLinker at version 0.2.12; a component importing any 0.2.x links.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/Error.h"
#include "component/ComponentLinker.h"
#include "component/Value.h"
#include "engine/Store.h"
#include "wasi/HttpExchange.h"
#include "wasi/MemoryStream.h"
#include "wasi/WasiContext.h"
#include "wasmops/wasi.h"

namespace wasmops::component {
class ComponentInstance;
}

namespace wasmops::wasi {

// The linking rule for components: a WASI 0.2 command is run through its
// `wasi:cli/run@0.2.x#run` export; nullopt when it has none.
std::optional<std::string> commandExport(const component::ComponentInstance& instance);

namespace preview2 {
struct Preview2State;
struct HttpState;
template <typename State>
class StateRefOf;
}

class Preview2Host {
 public:
  // Fails as WasiHost::create does (a missing preopen, a closed stdio fd).
  static Expected<std::unique_ptr<Preview2Host>> create(const embed::WasiConfig& config, const MemoryStdio& memoryStdio = {});
  ~Preview2Host();
  Preview2Host(const Preview2Host&) = delete;
  Preview2Host& operator=(const Preview2Host&) = delete;

  // Defines every interface; the host must outlive the instances linked with it.
  Expected<void> define(component::ComponentLinker& linker);
  // Instances in `store` use this host's objects (stdio, preopens, resource
  // tables) even through a linker another host defined: a linker is defined
  // once per component and serves each request's instance (HTTP host). The
  // host must outlive the store's calls.
  void bind(engine::Store& store) { store.setHostData(this); }
  // wasi:http/types and wasi:http/outgoing-handler, for a handler component
  // (after define()). A body the guest writes holds at most `maxBodyBytes`.
  // Outbound requests go to setOutbound's; without one they are refused
  // (HTTP-request-denied).
  Expected<void> defineHttp(component::ComponentLinker& linker, std::size_t maxBodyBytes);
  // The wasi:http objects without defining functions: for a host bound to a
  // store whose linker another host's defineHttp() made.
  void enableHttp(std::size_t maxBodyBytes);
  // The arguments of one wasi:http/incoming-handler.handle call (own
  // handles of the request and of its response-outparam); what the guest
  // answers lands in `slot`; `body` is the request body as it arrives
  // (BodyPipe::whole for one read already). After defineHttp().
  Expected<std::pair<component::Value, component::Value>> incomingRequest(HttpRequestHead head,
                                                                          std::shared_ptr<BodyPipe> body,
                                                                          std::shared_ptr<HttpResponseSlot> slot);
  // Where this instance's wasi:http/outgoing-handler requests go (after
  // defineHttp() or enableHttp()).
  void setOutbound(std::shared_ptr<HttpOutbound> outbound);
  // What the guest waits for while its GuestTask is suspended in
  // pollable.block or poll; null when it is not waiting.
  const GuestWait* waiting() const;
  // Set once the guest called wasi:cli/exit (then its trap is the exit, not a failure).
  std::optional<std::uint32_t> exitCode() const { return cx_.exitCode; }
  WasiContext& context() { return cx_; }

 private:
  template <typename State>
  friend class preview2::StateRefOf;
  Preview2Host();
  WasiContext cx_;
  std::unique_ptr<preview2::Preview2State> state_;
  std::unique_ptr<preview2::HttpState> http_;
};

}  // namespace wasmops::wasi
