// The public embedding API (include/wasmops/engine.h) over engine::Runtime.
#include <cstring>
#include <map>

#include "engine/MemoryImage.h"
#include "engine/DeadlineTimer.h"
#include "engine/GuestTask.h"
#include "engine/Runtime.h"
#include "engine/TierPolicy.h"
#include "wasmops/engine.h"

namespace wasmops::embed {
namespace {

binary::ValType toValType(ValueType t) {
  switch (t) {
    case ValueType::I32: return {binary::ValKind::I32};
    case ValueType::I64: return {binary::ValKind::I64};
    case ValueType::F32: return {binary::ValKind::F32};
    case ValueType::F64: return {binary::ValKind::F64};
    case ValueType::V128: return {binary::ValKind::V128};
    case ValueType::FuncRef: return binary::ValType::funcref();
    case ValueType::ExternRef: return binary::ValType::externref();
  }
  return {};
}

std::optional<ValueType> fromValType(const binary::ValType& t) {
  switch (t.kind) {
    case binary::ValKind::I32: return ValueType::I32;
    case binary::ValKind::I64: return ValueType::I64;
    case binary::ValKind::F32: return ValueType::F32;
    case binary::ValKind::F64: return ValueType::F64;
    case binary::ValKind::V128: return ValueType::V128;
    default:
      if (t.isFuncref()) return ValueType::FuncRef;
      if (t.isExternref()) return ValueType::ExternRef;
      return std::nullopt;  // typed references (GC): not in WebAssembly 2.0
  }
}

wasmops_val toRaw(const Value& v) {
  wasmops_val r{};
  switch (v.type) {
    case ValueType::I32: r.i32 = static_cast<std::uint32_t>(v.i32); break;
    case ValueType::I64: r.i64 = static_cast<std::uint64_t>(v.i64); break;
    case ValueType::F32: r.f32 = v.f32; break;
    case ValueType::F64: r.f64 = v.f64; break;
    case ValueType::V128: std::memcpy(r.v128, v.v128.data(), 16); break;
    case ValueType::FuncRef:
    case ValueType::ExternRef: r.ref = v.ref; break;
  }
  return r;
}

Value fromRaw(const wasmops_val& r, ValueType t) {
  switch (t) {
    case ValueType::I32: return Value::fromI32(static_cast<std::int32_t>(r.i32));
    case ValueType::I64: return Value::fromI64(static_cast<std::int64_t>(r.i64));
    case ValueType::F32: return Value::fromF32(r.f32);
    case ValueType::F64: return Value::fromF64(r.f64);
    case ValueType::V128: {
      std::array<std::uint8_t, 16> b;
      std::memcpy(b.data(), r.v128, 16);
      return Value::fromV128(b);
    }
    case ValueType::FuncRef: {
      Value x = Value::nullFuncRef();
      x.ref = r.ref;
      return x;
    }
    case ValueType::ExternRef: return Value::fromExternRef(r.ref);
  }
  return {};
}

}  // namespace

void setMemoryPool(const MemoryPoolConfig& config) {
  engine::MemoryImage::setLimits(
      {.maxLive = config.maxLive, .maxIdle = config.maxIdle, .keepResidentBytes = config.keepResidentBytes});
}

MemoryPoolConfig memoryPool() {
  const auto l = engine::MemoryImage::limits();
  return {.maxLive = l.maxLive, .maxIdle = l.maxIdle, .keepResidentBytes = l.keepResidentBytes};
}

Engine::Engine(Tier tier, std::string cacheDir)
    : impl_(std::make_unique<engine::Engine>(
          engine::EngineConfig{.tier = tier == Tier::Optimized ? engine::Tier::Optimized : engine::Tier::Fast,
                               .cacheDir = cacheDir})),
      tier_(tier),
      cacheDir_(std::move(cacheDir)) {}
Engine::~Engine() = default;

Result<Module> Engine::compile(std::span<const std::uint8_t> wasm) const {
  Result<Module> out;
  engine::ModuleInput input(wasm);
  engine::LoadPolicy policy;
  if (tier_ != Tier::Auto) policy.tier = impl_->config().tier;
  policy.cacheDir = cacheDir_;
  auto cm = engine::loadModule(input, policy);
  if (!cm) {
    out.error = cm.error().format();
    return out;
  }
  out.value = Module{*cm};
  return out;
}

namespace {

// The export's type and the arguments as raw values, or the reason not.
tl::expected<std::pair<const binary::FuncType*, std::vector<wasmops_val>>, std::string> prepareCall(
    engine::Instance& inst, const std::string& exportName, const std::vector<Value>& args) {
  const auto& m = inst.module().module();
  const binary::FuncType* ft = nullptr;
  for (const auto& e : m.exports)
    if (e.kind == binary::ExternKind::Func && e.name == exportName) ft = m.funcType(*m.functionTypeIndex(e.index));
  if (!ft) return tl::unexpected("no exported function '" + exportName + "'");
  if (args.size() != ft->params.size()) return tl::unexpected("arguments do not match " + binary::toString(*ft));
  std::vector<wasmops_val> raw;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (fromValType(ft->params[i]) != args[i].type) return tl::unexpected("arguments do not match " + binary::toString(*ft));
    raw.push_back(toRaw(args[i]));
  }
  return std::pair{ft, std::move(raw)};
}

CallResult toCallResult(const binary::FuncType& ft, const tl::expected<engine::CallOutcome, std::string>& r) {
  CallResult out;
  if (!r) {
    out.error = r.error();
    return out;
  }
  if (r->trap) {
    out.trap = Trap{r->trap->message, r->trap->function};
    return out;
  }
  for (std::size_t i = 0; i < r->results.size(); ++i) {
    auto t = fromValType(ft.results[i]);
    if (!t) {
      out.error = "a result of a typed reference type, which WebAssembly 2.0 does not have";
      return out;
    }
    out.results.push_back(fromRaw(r->results[i], *t));
  }
  return out;
}

}  // namespace

CallResult Instance::call(const std::string& exportName, const std::vector<Value>& args) {
  auto prepared = prepareCall(*impl, exportName, args);
  if (!prepared) {
    CallResult out;
    out.error = prepared.error();
    return out;
  }
  return toCallResult(*prepared->first, impl->call(exportName, prepared->second));
}

struct Task::Impl {
  const binary::FuncType* type = nullptr;
  std::unique_ptr<engine::GuestTask> task;
  std::string error;
};

Task::Task() : impl_(std::make_unique<Impl>()) {}
Task::~Task() = default;
Task::Task(Task&&) noexcept = default;
Task& Task::operator=(Task&&) noexcept = default;

bool Task::resume() { return !impl_->task || impl_->task->resume(); }

CallResult Task::result() const {
  if (!impl_->task) {
    CallResult out;
    out.error = impl_->error;
    return out;
  }
  if (!impl_->task->finished()) {
    CallResult out;
    out.error = "the call has not finished";
    return out;
  }
  return toCallResult(*impl_->type, impl_->task->outcome());
}

Task Instance::start(const std::string& exportName, const std::vector<Value>& args) {
  Task t;
  auto prepared = prepareCall(*impl, exportName, args);
  if (!prepared) {
    t.impl_->error = prepared.error();
    return t;
  }
  t.impl_->type = prepared->first;
  t.impl_->task = std::make_unique<engine::GuestTask>(*impl, exportName, std::move(prepared->second));
  return t;
}

std::span<std::uint8_t> Instance::memory(const std::string& exportName) { return impl->memoryBytes(exportName); }

struct Store::Impl {
  engine::Store store;
  std::map<std::pair<std::string, std::string>, engine::Extern> defined;
  std::map<std::string, engine::Instance*> instances;
  explicit Impl(std::uint64_t maxMemory) : store(engine::Store::Limits{maxMemory}) {}
};

Store::Store(std::uint64_t maxMemoryBytes) : impl_(std::make_unique<Impl>(maxMemoryBytes)) {}
Store::~Store() = default;

void Store::defineFunction(const std::string& module, const std::string& name, std::vector<ValueType> params,
                           std::vector<ValueType> results, HostFunction fn) {
  binary::FuncType ft;
  for (auto p : params) ft.params.push_back(toValType(p));
  for (auto r : results) ft.results.push_back(toValType(r));
  auto callback = [fn = std::move(fn), params, results](const wasmops_val* a, wasmops_val* r) -> std::optional<std::string> {
    std::vector<Value> in, out(results.size());
    for (std::size_t i = 0; i < params.size(); ++i) in.push_back(fromRaw(a[i], params[i]));
    for (std::size_t i = 0; i < results.size(); ++i) out[i].type = results[i];
    auto err = fn(in, out);
    if (err) return err;
    for (std::size_t i = 0; i < results.size(); ++i) r[i] = toRaw(out[i]);
    return std::nullopt;
  };
  impl_->defined[{module, name}] = impl_->store.hostFunction(std::move(ft), std::move(callback));
}

engine::Store& Store::engineStore() { return impl_->store; }

void Store::setDeadline(std::chrono::nanoseconds fromNow) { impl_->store.setDeadline(fromNow); }
void Store::clearDeadline() { impl_->store.clearDeadline(); }
void Store::interrupt() { impl_->store.interrupt(); }

void Store::setTimeSlice(std::chrono::nanoseconds slice) {
  const std::uint64_t ticks = engine::EpochClock::ticksFor(slice);
  impl_->store.onDeadline([ticks](engine::Store&) { return engine::Store::DeadlineAction::yieldFor(ticks); });
  impl_->store.setEpochDeadline(ticks);
}

void Store::onDeadline(std::function<std::optional<std::chrono::nanoseconds>()> handler) {
  if (!handler) {
    impl_->store.onDeadline(nullptr);
    return;
  }
  impl_->store.onDeadline([handler = std::move(handler)](engine::Store&) {
    using Action = engine::Store::DeadlineAction;
    auto more = handler();
    if (!more) return Action::trap();
    return Action::continueFor(engine::EpochClock::ticksFor(*more));
  });
}

void Store::defineExtern(const std::string& module, const std::string& name, const engine::Extern& ext) {
  impl_->defined[{module, name}] = ext;
}

void Store::defineInstance(const std::string& module, const Instance& instance) {
  impl_->instances[module] = instance.impl;
}

Result<Instance> Store::instantiate(const Module& module) {
  Result<Instance> out;
  auto inst = impl_->store.instantiate(module.impl, [&](const std::string& m, const std::string& n) -> std::optional<engine::Extern> {
    if (auto it = impl_->defined.find({m, n}); it != impl_->defined.end()) return it->second;
    if (auto it = impl_->instances.find(m); it != impl_->instances.end()) return it->second->exported(n);
    return std::nullopt;
  });
  if (!inst) {
    out.error = inst.error().trap ? "trap during instantiation: " + inst.error().trap->message : inst.error().message;
    return out;
  }
  out.value = Instance{*inst};
  return out;
}

}  // namespace wasmops::embed
