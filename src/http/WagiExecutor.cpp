#include "http/WagiExecutor.h"

#include <fmt/format.h>

#include <utility>

#include "http/CgiResponse.h"

namespace wasmops::http {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Expected<std::unique_ptr<GuestRun>> WagiComponent::start(Request& request, const app::RouteMatch& match,
                                                         const GuestLimits& limits) const {
  WASMOPS_TRY(auto run, WagiRun::start(*this, request, match, limits));
  return std::unique_ptr<GuestRun>(std::move(run));
}

Expected<std::shared_ptr<WagiComponent>> WagiComponent::create(std::shared_ptr<engine::CompiledModule> module,
                                                              WagiComponentConfig config) {
  const binary::Module& m = module->module();
  const std::string where = "component '" + config.id + "'";
  for (const auto& imp : m.imports) {
    if (imp.module != wasi::kModuleName)
      return makeError(ErrorCode::Unsupported,
                       fmt::format("{} imports '{}.{}': a WAGI component may import only {} (WASI preview1)", where,
                                   imp.module, imp.name, wasi::kModuleName));
  }
  bool hasEntry = false;
  for (const auto& e : m.exports)
    if (e.kind == binary::ExternKind::Func && e.name == config.entrypoint) {
      const binary::FuncType* t = m.funcType(*m.functionTypeIndex(e.index));
      if (!t->params.empty() || !t->results.empty())
        return makeError(ErrorCode::Invalid, fmt::format("{}: the entrypoint '{}' has the type {}, not [] -> []", where,
                                                         config.entrypoint, binary::toString(*t)));
      hasEntry = true;
    }
  if (!hasEntry)
    return makeError(ErrorCode::Invalid, fmt::format("{} exports no function '{}' (the WAGI entrypoint; set "
                                                     "`executor = {{ type = \"wagi\", entrypoint = \"...\" }}`)",
                                                     where, config.entrypoint));
  // Link once now, so an import this host lacks stops `up` before it is
  // ready instead of failing every request.
  embed::WasiConfig wc;
  auto devnull = wasi::MemoryStream::output(0);
  auto host = wasi::WasiHost::create(wc, {wasi::MemoryStream::input(""), devnull, devnull});
  if (!host) return makeError(host.error().code, where + ": " + host.error().message);
  engine::Store store;
  auto inst = store.instantiate(module, (*host)->resolver(store));
  if (!inst) {
    const auto& e = inst.error();
    return makeError(ErrorCode::Invalid, fmt::format("{}: {}", where, e.trap ? "trap in its start function: " + e.trap->message : e.message));
  }
  if (!(*inst)->exportedMemory("memory"))
    return makeError(ErrorCode::Invalid, where + " exports no memory named \"memory\", which WASI programs must");
  return std::shared_ptr<WagiComponent>(new WagiComponent(std::move(module), std::move(config)));
}

Expected<std::unique_ptr<WagiRun>> WagiRun::start(const WagiComponent& component, Request& request,
                                                  const app::RouteMatch& match, const GuestLimits& limits) {
  const auto begin = Clock::now();
  const WagiComponentConfig& cc = component.config();
  std::unique_ptr<WagiRun> run(new WagiRun(limits));
  run->requestId_ = request.requestId;
  run->limits_ = limits;
  
  WagiRoute route{&match, cc.id, cc.basePath, cc.argvTemplate};
  embed::WasiConfig wc;
  wc.args = wagiArgv(request, route);
  wc.env = wagiEnvironment(request, route, cc.env);
  if (!cc.filesRoot.empty()) wc.preopens.push_back({cc.filesRoot, "/", true});
  run->stdio_.in = wasi::MemoryStream::input(std::move(request.body));
  run->stdio_.out = wasi::MemoryStream::output(limits.maxResponseBytes);
  run->stdio_.err = wasi::MemoryStream::output(limits.maxStderrBytes);
  WASMOPS_TRY_ASSIGN(run->wasi_, wasi::WasiHost::create(wc, run->stdio_));

  run->store_ = std::make_unique<engine::Store>(engine::Store::Limits{limits.maxMemoryBytes});
  auto inst = run->store_->instantiate(component.module(), run->wasi_->resolver(*run->store_));
  if (!inst) {
    const auto& e = inst.error();
    return makeError(ErrorCode::Internal, e.trap ? "trap while instantiating: " + e.trap->message : e.message);
  }
  run->instance_ = *inst;
  WASMOPS_TRY_VOID(run->wasi_->bindMemory(*run->instance_));
  run->task_ = std::make_unique<engine::GuestTask>(*run->instance_, cc.entrypoint, std::vector<wasmops_val>{});

  run->clock_.arm(*run->store_);
  run->instantiation_ = Clock::now() - begin;
  return run;
}

WagiRun::~WagiRun() {
  task_.reset();  // a paused guest is cancelled before its store goes
}

bool WagiRun::step() { return task_->resume(); }

GuestOutcome WagiRun::finish() {
  GuestOutcome o;
  o.instantiation = instantiation_;
  o.yields = task_->yields();
  o.stderrOutput = stdio_.err->take();
  o.stderrTruncated = stdio_.err->overflowed();
  if (auto* mem = instance_->exportedMemory("memory")) o.memoryBytes = mem->size;
  store_->clearDeadline();

  auto fail = [&](GuestOutcome::Kind kind, int status, std::string detail, std::string_view shown) {
    o.kind = kind;
    o.detail = std::move(detail);
    o.response = guestErrorResponse(status, requestId_, shown);
    return std::move(o);
  };
  const auto& outcome = task_->outcome();
  if (!outcome) return fail(GuestOutcome::Kind::StartFailed, 500, outcome.error(), "Internal Server Error");
  if (outcome->trap) {
    const auto& t = *outcome->trap;
    if (store_->memoryLimitReached()) {
      return fail(GuestOutcome::Kind::MemoryLimit, 500,
                  fmt::format("the guest reached its memory limit of {} bytes ({})", limits_.maxMemoryBytes, t.message),
                  "Internal Server Error: memory limit reached");
    }
    if (auto code = wasi_->exitCode()) {
      if (*code != 0)
        return fail(GuestOutcome::Kind::ExitCode, 500, fmt::format("the guest exited with status {}", *code),
                    "Internal Server Error");
    } else if (clock_.timedOut() && t.kind == engine::TrapKind::Interrupted) {
      return fail(GuestOutcome::Kind::Timeout, 504,
                  fmt::format("the guest ran past its deadline of {} ms", limits_.deadline.count()), "Gateway Timeout");
    } else {
      return fail(GuestOutcome::Kind::Trap, 500,
                  fmt::format("trap: {}{}", t.message, t.function.empty() ? "" : " (in function '" + t.function + "')"),
                  "Internal Server Error");
    }
  }
  if (stdio_.out->overflowed())
    return fail(GuestOutcome::Kind::ResponseTooLarge, 500,
                fmt::format("the response passed {} bytes", limits_.maxResponseBytes), "Internal Server Error");
  auto parsed = parseCgiResponse(stdio_.out->take());
  if (!parsed) return fail(GuestOutcome::Kind::BadResponse, 500, parsed.error().message, "Internal Server Error");
  o.kind = GuestOutcome::Kind::Ok;
  o.response = std::move(parsed->response);
  if (!parsed->dropped.empty()) {
    std::string names;
    for (const auto& d : parsed->dropped) names += (names.empty() ? "" : ", ") + d;
    o.detail = "dropped headers the host sets itself: " + names;
  }
  return o;
}

}  // namespace wasmops::http
