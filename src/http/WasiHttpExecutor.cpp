#include "http/WasiHttpExecutor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <utility>

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "http/CgiEnvironment.h"
#include "http/OutboundClient.h"

namespace wasmops::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kHandlerInterface = "wasi:http/incoming-handler@0.2.";

// One request's instance of a wasi:http component.
class WasiHttpRun final : public GuestRun {
 public:
  static Expected<std::unique_ptr<WasiHttpRun>> start(const WasiHttpComponent& component,
                                                      const component::LinkedComponent& linked,
                                                      Request& request, const app::RouteMatch& match,
                                                      const GuestLimits& limits);
  ~WasiHttpRun() override {
    task_.reset();  // a paused guest is cancelled before its instance goes
    // A response body whose writer is gone is cut off, never left open, and
    // the rest of a request body it did not read is dropped as it comes.
    if (slot_ && slot_->body) slot_->body->data->fail("the guest's instance ended");
    if (requestBody_) requestBody_->closeReader();
  }
  bool step() override;
  std::optional<Clock::time_point> waitingUntil(const std::function<void()>& wake) override;
  std::optional<Response> streamingResponse() override;
  GuestOutcome finish() override;

 private:
  explicit WasiHttpRun(const GuestLimits& limits) : clock_(limits) {}
  std::string requestId_;
  GuestLimits limits_;
  RequestClock clock_;
  std::shared_ptr<wasi::MemoryStream> log_;  // the guest's stdout and stderr, in the order written
  std::unique_ptr<wasi::Preview2Host> host_;
  std::unique_ptr<engine::Store> store_;
  std::unique_ptr<KeyValueHost::Instance> keyValue_;  // the stores the guest opened
  std::unique_ptr<component::ComponentInstance> instance_;
  std::shared_ptr<wasi::HttpResponseSlot> slot_;
  std::vector<component::Value> args_;
  std::string handler_;
  Expected<std::optional<component::Value>> result_ = std::optional<component::Value>();
  std::unique_ptr<engine::GuestTask> task_;
  std::chrono::nanoseconds instantiation_{0};
  std::shared_ptr<OutboundRequests> outbound_;
  bool streaming_ = false;  // the response's head is sent; its body follows as written
  std::shared_ptr<wasi::BodyPipe> requestBody_;  // as it arrives; null when it came whole
};

// How far a streamed response body runs ahead of the network.
constexpr std::size_t kResponseWindow = 64 * 1024;

// The guest's response headers the host sends: all but those it frames itself.
HeaderList responseHeaders(const wasi::HttpFieldList& fields, std::vector<std::string>& dropped) {
  HeaderList out;
  for (const auto& [name, value] : fields) {
    if (hostOwnedHeader(name)) {
      dropped.push_back(name);
      continue;
    }
    out.emplace_back(name, value);
  }
  return out;
}

// The host objects of one instance: WASI 0.2 with the guest's output in
// `log`, and wasi:http; the functions are the component's linker's.
Expected<std::unique_ptr<wasi::Preview2Host>> newHost(const WasiHttpComponentConfig& config,
                                                      std::shared_ptr<wasi::MemoryStream> log, std::size_t maxBodyBytes) {
  embed::WasiConfig wc;
  wc.env = config.env;
  if (!config.filesRoot.empty()) wc.preopens.push_back({config.filesRoot, "/", true});
  WASMOPS_TRY(auto host, wasi::Preview2Host::create(wc, {wasi::MemoryStream::input(""), log, log}));
  host->enableHttp(maxBodyBytes);
  return host;
}

Expected<std::unique_ptr<WasiHttpRun>> WasiHttpRun::start(const WasiHttpComponent& component,
                                                          const component::LinkedComponent& linked,
                                                          Request& request, const app::RouteMatch& match,
                                                          const GuestLimits& limits) {
  const auto begin = Clock::now();
  std::unique_ptr<WasiHttpRun> run(new WasiHttpRun(limits));
  run->requestId_ = request.requestId;
  run->limits_ = limits;
  run->handler_ = component.handler();
  run->log_ = wasi::MemoryStream::output(limits.maxStderrBytes);
  WASMOPS_TRY_ASSIGN(run->host_, newHost(component.config(), run->log_, limits.maxResponseBytes));
  run->outbound_ = std::make_shared<OutboundRequests>(component.config().outbound, component.config().id, request);
  run->host_->setOutbound(run->outbound_);
  run->store_ = std::make_unique<engine::Store>(engine::Store::Limits{limits.maxMemoryBytes});
  run->host_->bind(*run->store_);
  run->keyValue_ = component.keyValue().bind(*run->store_);
  auto instance = component::ComponentInstance::instantiate(linked, *run->store_);
  if (!instance) return makeError(ErrorCode::Internal, "instantiating: " + instance.error().message);
  run->instance_ = std::move(*instance);

  run->slot_ = std::make_shared<wasi::HttpResponseSlot>();
  run->requestBody_ = request.bodyStream;
  auto body = request.bodyStream ? std::move(request.bodyStream) : wasi::BodyPipe::whole(std::move(request.body));
  WASMOPS_TRY(auto handles, run->host_->incomingRequest(wasiHttpRequestHead(request, match, component.config()),
                                                        std::move(body), run->slot_));
  run->args_ = {std::move(handles.first), std::move(handles.second)};
  WasiHttpRun* self = run.get();
  run->task_ = std::make_unique<engine::GuestTask>([self] { self->result_ = self->instance_->call(self->handler_, self->args_); },
                                                   engine::GuestTask::Options{});

  run->clock_.arm(*run->store_);
  run->instantiation_ = Clock::now() - begin;
  return run;
}

bool WasiHttpRun::step() {
  // A guest waiting in wasi:io/poll past its deadline ends there (no guest
  // code runs to meet the epoch check).
  if (host_->waiting() && Clock::now() >= clock_.deadline()) {
    clock_.markTimedOut();
    task_->cancel();
  }
  return task_->resume();
}

std::optional<Clock::time_point> WasiHttpRun::waitingUntil(const std::function<void()>& wake) {
  const wasi::GuestWait* wait = host_->waiting();
  if (!wait || wait->soon) return std::nullopt;
  for (const auto& signal : wait->signals) signal->whenReady(wake);
  return wait->until ? std::min(*wait->until, clock_.deadline()) : clock_.deadline();
}

// The guest set its response and is still running (writing its body,
// waiting on an outbound call): its head goes out now and the body follows
// as the guest writes it, with the network's pace as its backpressure.
std::optional<Response> WasiHttpRun::streamingResponse() {
  const wasi::HttpResponseSlot& slot = *slot_;
  if (streaming_ || !slot.set || slot.error || slot.status < 200 || !slot.body || slot.body->abandoned) return std::nullopt;
  streaming_ = true;
  Response r;
  r.status = slot.status;
  std::vector<std::string> dropped;
  r.headers = responseHeaders(slot.headers, dropped);
  r.stream = slot.body->data;
  r.stream->setLimit(wasi::BodyPipe::kUnlimited);  // no longer held whole
  r.stream->setWindow(kResponseWindow);
  return r;
}

GuestOutcome WasiHttpRun::finish() {
  GuestOutcome o;
  o.instantiation = instantiation_;
  o.yields = task_->yields();
  o.stderrOutput = log_->take();
  o.stderrTruncated = log_->overflowed();
  outbound_->count(o);
  store_->clearDeadline();
  auto fail = [&](GuestOutcome::Kind kind, int status, std::string detail, std::string_view shown) {
    o.kind = kind;
    o.detail = std::move(detail);
    o.response = guestErrorResponse(status, requestId_, shown);
    // Its head is out already: the body is cut off instead.
    if (streaming_) slot_->body->data->fail(o.detail);
    return std::move(o);
  };
  if (!result_) {
    const std::string& message = result_.error().message;
    if (store_->memoryLimitReached())
      return fail(GuestOutcome::Kind::MemoryLimit, 500,
                  fmt::format("the guest reached its memory limit of {} bytes ({})", limits_.maxMemoryBytes, message),
                  "Internal Server Error: memory limit reached");
    if (clock_.timedOut())
      return fail(GuestOutcome::Kind::Timeout, 504,
                  fmt::format("the guest ran past its deadline of {} ms", limits_.deadline.count()), "Gateway Timeout");
    if (auto code = host_->exitCode(); code && *code != 0)
      return fail(GuestOutcome::Kind::ExitCode, 500, fmt::format("the guest exited with status {}", *code),
                  "Internal Server Error");
    if (!host_->exitCode()) return fail(GuestOutcome::Kind::Trap, 500, message, "Internal Server Error");
  }
  const wasi::HttpResponseSlot& slot = *slot_;
  if (!slot.set)
    return fail(GuestOutcome::Kind::BadResponse, 500, "the guest returned without setting a response",
                "Internal Server Error");
  if (slot.error)
    return fail(GuestOutcome::Kind::BadResponse, 500, fmt::format("the guest answered with error-code {}", *slot.error),
                "Internal Server Error");
  if (slot.status < 200)
    return fail(GuestOutcome::Kind::BadResponse, 500,
                fmt::format("the guest answered with the informational status {} as its response", slot.status),
                "Internal Server Error");
  if (slot.body && slot.body->data->overflowed())
    return fail(GuestOutcome::Kind::ResponseTooLarge, 500,
                fmt::format("the response passed {} bytes", limits_.maxResponseBytes), "Internal Server Error");
  if (slot.body && !slot.body->finished)
    return fail(GuestOutcome::Kind::BadResponse, 500,
                slot.body->abandoned ? "the guest dropped the response body without finishing it"
                                     : "the guest returned without finishing the response body",
                "Internal Server Error");
  o.kind = GuestOutcome::Kind::Ok;
  o.response.status = slot.status;
  std::vector<std::string> dropped;
  o.response.headers = responseHeaders(slot.headers, dropped);
  // A body with trailers goes out chunked, as a streamed one does.
  if (slot.body && (streaming_ || !slot.body->trailers.empty())) o.response.stream = slot.body->data;
  else if (slot.body) o.response.body = slot.body->data->take();
  if (!dropped.empty()) o.detail = fmt::format("dropped headers the host sets itself: {}", fmt::join(dropped, ", "));
  return o;
}

}  // namespace

bool isComponentBinary(std::span<const std::uint8_t> bytes) {
  auto preamble = binary::readPreamble(bytes);
  return preamble && preamble->kind == binary::BinaryKind::Component;
}

wasi::HttpRequestHead wasiHttpRequestHead(const Request& request, const app::RouteMatch& match,
                                         const WasiHttpComponentConfig& config) {
  wasi::HttpRequestHead head;
  head.method = request.method;
  head.scheme = request.scheme;
  head.authority = std::string(request.header("Host"));
  head.pathWithQuery = request.target;
  head.headers.reserve(request.headers.size() + 8);
  for (const auto& [name, value] : request.headers) head.headers.emplace_back(name, value);
  WagiRoute route{&match, config.id, config.basePath, ""};
  for (auto& v : spinRouteValues(request, route))
    if (!v.headerName.empty()) head.headers.emplace_back(std::move(v.headerName), std::move(v.value));
  return head;
}

Expected<std::shared_ptr<WasiHttpComponent>> WasiHttpComponent::create(MappedFile file, const engine::Engine& engine,
                                                                       WasiHttpComponentConfig config) {
  const std::string where = fmt::format("component '{}'", config.id);
  auto fail = [&](const Error& e) { return tl::unexpected(Error(e.code, fmt::format("{}: {}", where, e.message))); };
  std::shared_ptr<WasiHttpComponent> c(new WasiHttpComponent());
  c->file_ = std::move(file);
  c->config_ = std::move(config);
  auto decoded = binary::decodeComponent(c->file_.bytes());
  if (!decoded) return fail(decoded.error());
  c->component_ = std::make_unique<binary::Component>(std::move(*decoded));

  std::vector<std::string> exports;
  for (const auto& e : c->component_->exports) {
    if (e.name.name.starts_with("fermyon:spin/inbound-http"))
      return makeError(ErrorCode::Unsupported,
                       fmt::format("{} exports {}, Spin's own HTTP world, which is not supported: use wasi:http "
                                   "(export wasi:http/incoming-handler@0.2.x; current Spin SDKs build it)",
                                   where, e.name.name));
    exports.push_back(e.name.name);
  }
  WASMOPS_TRY_ASSIGN(c->prepared_, component::PreparedComponent::prepare(*c->component_, engine).map_error([&](Error e) {
    return Error(e.code, fmt::format("{}: {}", where, e.message));
  }));

  // The functions every instance links to, defined once on a host of their
  // own; each request's instance is bound to its own host's objects.
  GuestLimits limits;
  auto definer = wasi::Preview2Host::create({}, {wasi::MemoryStream::input(""), wasi::MemoryStream::output(0),
                                                 wasi::MemoryStream::output(0)});
  if (!definer) return fail(definer.error());
  c->definer_ = std::move(*definer);
  if (auto defined = c->definer_->define(c->linker_); !defined) return fail(defined.error());
  if (auto defined = c->definer_->defineHttp(c->linker_, limits.maxResponseBytes); !defined) return fail(defined.error());
  c->keyValue_ = std::make_unique<KeyValueHost>(c->config_.keyValue ? c->config_.keyValue
                                                                     : std::make_shared<const KeyValueOptions>());
  if (auto defined = c->keyValue_->define(c->linker_); !defined) return fail(defined.error());
  if (c->config_.variables)
    if (auto defined = defineVariableInterfaces(c->linker_, c->config_.variables); !defined) return fail(defined.error());

  // Instantiated once now, as every request will be: the imports link, the
  // start functions run, and the handler is there.
  auto host = newHost(c->config_, wasi::MemoryStream::output(0), limits.maxResponseBytes);
  if (!host) return fail(host.error());
  engine::Store store(engine::Store::Limits{limits.maxMemoryBytes});
  (*host)->bind(store);
  auto keyValue = c->keyValue_->bind(store);
  auto linked = c->prepared_->link(c->linker_);
  if (!linked) return fail(linked.error());
  c->linked_ = std::move(*linked);
  auto instance = component::ComponentInstance::instantiate(*c->linked_, store);
  if (!instance) return fail(instance.error());
  for (const auto& name : (*instance)->functionNames())
    if (name.starts_with(kHandlerInterface) && name.ends_with("#handle")) c->handler_ = name;
  if (c->handler_.empty())
    return makeError(ErrorCode::Invalid,
                     fmt::format("{} is not a wasi:http handler: it exports no wasi:http/incoming-handler@0.2.x "
                                 "(its exports: {})",
                                 where, exports.empty() ? "none" : fmt::format("{}", fmt::join(exports, ", "))));
  return c;
}

Expected<std::unique_ptr<GuestRun>> WasiHttpComponent::start(Request& request, const app::RouteMatch& match,
                                                             const GuestLimits& limits) const {
  WASMOPS_TRY(auto run, WasiHttpRun::start(*this, *linked_, request, match, limits));
  return std::unique_ptr<GuestRun>(std::move(run));
}

}  // namespace wasmops::http
