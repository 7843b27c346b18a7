#include "component/ComponentInstance.h"

#include <fmt/format.h>

#include "component/CanonicalAbi.h"
#include "component/CoreBridge.h"
#include "component/InstanceItems.h"
#include "component/InstantiationPlan.h"
#include "component/LinkerImports.h"

namespace wasmops::component {
namespace {

// What one lifted or lowered call runs with: the options' memory and
// encoding, and the instance's handles and resources.
AbiContext callContext(const InstanceRuntime& rt, InstanceState& st, const CanonPlan& opts, EngineMemory& memory,
                       BorrowScope& scope) {
  AbiContext cx;
  cx.encoding = opts.encoding;
  cx.memory = opts.memory != kNone ? &memory : nullptr;
  cx.handles = &st.handles;
  cx.call = &scope;
  cx.implements = [&rt, &st](std::uint32_t resource) { return rt.implements(st, resource); };
  return cx;
}

Expected<std::optional<Value>> callFunction(InstanceRuntime& rt, std::uint32_t func, std::span<const Value> args);

// canon lift: lower the arguments, call the core function, lift the result, post-return.
Expected<std::optional<Value>> callLifted(InstanceRuntime& rt, const LiftPlan& lift, std::span<const Value> args) {
  InstanceState& st = *rt.states[lift.state];
  WASMOPS_TRY_VOID(st.flags.enter());
  struct Leave {
    InstanceFlags& f;
    ~Leave() { f.leave(); }
  } leave{st.flags};
  const FunctionType& type = *lift.type;
  const CoreItem& core = rt.coreItems[lift.core];
  EngineMemory memory(rt.item(lift.options.memory), rt.item(lift.options.realloc));
  BorrowScope scope;
  AbiContext cx = callContext(rt, st, lift.options, memory, scope);
  WASMOPS_TRY(auto flat, lowerParams(cx, type, args));
  std::vector<wasmops_val> raw;
  raw.reserve(flat.size());
  for (const auto& v : flat) raw.push_back(toWasm(v));
  auto out = core.owner->call(*core.name, raw);
  if (!out) return makeError(ErrorCode::Invalid, out.error());
  if (out->trap) return tl::unexpected(trapError(*out->trap));
  std::vector<CoreValue> results;
  for (std::size_t i = 0; i < type.liftResults.size(); ++i)
    results.push_back(fromWasm(out->results[i], type.liftResults[i]));
  WASMOPS_TRY(auto result, liftResults(cx, type, results));
  if (const CoreItem* post = rt.item(lift.options.postReturn)) {
    if (!post->owner) return makeError(ErrorCode::Unsupported, "post-return is not a guest function");
    std::vector<wasmops_val> rawResults;
    for (const auto& v : results) rawResults.push_back(toWasm(v));
    st.flags.mayLeave = false;
    auto done = post->owner->call(*post->name, rawResults);
    st.flags.mayLeave = true;
    if (!done) return makeError(ErrorCode::Invalid, done.error());
    if (done->trap) return tl::unexpected(trapError(*done->trap));
  }
  WASMOPS_TRY_VOID(scope.checkReturn());
  return result;
}

Expected<std::optional<Value>> callFunction(InstanceRuntime& rt, std::uint32_t func, std::span<const Value> args) {
  const PlanFunction& f = rt.plan->funcs[func];
  if (f.host != kNone) return rt.hostFunction(f.host)(args);
  return callLifted(rt, rt.plan->lifts[f.lift], args);
}

// canon lower: a core function of the store that lifts its arguments, calls
// the component function, and lowers the result.
std::optional<std::string> callLowered(InstanceRuntime& rt, const PlanStep& s, const wasmops_val* args,
                                       wasmops_val* results) {
  InstanceState& st = *rt.states[s.state];
  if (auto ok = st.flags.checkMayLeave("an imported function"); !ok) return ok.error().message;
  const FunctionType& type = *rt.plan->funcs[s.func].type;
  std::vector<CoreValue> flat;
  flat.reserve(type.lowerParams.size());
  for (std::size_t i = 0; i < type.lowerParams.size(); ++i) flat.push_back(fromWasm(args[i], type.lowerParams[i]));
  EngineMemory memory(rt.item(s.options.memory), rt.item(s.options.realloc));
  BorrowScope scope;
  AbiContext cx = callContext(rt, st, s.options, memory, scope);
  auto values = liftParams(cx, type, flat);
  if (!values) return values.error().message;
  auto result = callFunction(rt, s.func, *values);
  if (!result) return result.error().message;
  auto out = lowerResults(cx, type, *result, flat);
  if (!out) return out.error().message;
  for (std::size_t i = 0; i < out->size(); ++i) results[i] = toWasm((*out)[i]);
  return std::nullopt;
}

// canon resource.new / resource.rep / resource.drop.
std::optional<std::string> callBuiltin(InstanceRuntime& rt, const PlanStep& s, const wasmops_val* args,
                                       wasmops_val* results) {
  using Kind = binary::CanonFunc::Kind;
  InstanceState& st = *rt.states[s.state];
  if (auto ok = st.flags.checkMayLeave(s.builtin == Kind::ResourceDrop ? "resource.drop" : "a resource built-in"); !ok)
    return ok.error().message;
  const ResourceType& type = rt.resources[s.resource];
  switch (s.builtin) {
    case Kind::ResourceNew: {
      auto h = st.handles.resourceNew(type, args[0].i32);
      if (!h) return h.error().message;
      results[0].i32 = *h;
      return std::nullopt;
    }
    case Kind::ResourceRep: {
      auto rep = st.handles.resourceRep(type, args[0].i32);
      if (!rep) return rep.error().message;
      results[0].i32 = *rep;
      return std::nullopt;
    }
    default: {
      auto dropped = st.handles.resourceDrop(type, args[0].i32);
      if (!dropped) return dropped.error().message;
      return std::nullopt;
    }
  }
}

// One step of the plan. Host functions and destructors capture the runtime
// and a step index or slot only (small enough for std::function to keep
// without allocating); the runtime outlives every call into the instance.
Expected<void> execute(InstanceRuntime& rt, engine::Store& store, std::uint32_t k) {
  const PlanStep& s = rt.plan->steps[k];
  InstanceRuntime* rtp = &rt;
  switch (s.kind) {
    case PlanStep::Kind::InstantiateCore: {
      // The engine asks for the module's imports in order; anything else is looked up by name.
      struct Resolver {
        const PlanStep& step;
        InstanceRuntime& rt;
        std::size_t next = 0;
        std::optional<engine::Extern> operator()(const std::string& mod, const std::string& name) {
          const auto& imports = step.module->module().imports;
          std::size_t i = next++;
          if (i >= imports.size() || &imports[i].module != &mod || &imports[i].name != &name) {
            for (i = 0; i < imports.size(); ++i)
              if (imports[i].module == mod && imports[i].name == name) break;
            if (i == imports.size()) return std::nullopt;
          }
          const std::uint32_t slot = step.imports[i];
          if (slot == kNone) return std::nullopt;
          return rt.coreItems[slot].ext;
        }
      } resolver{s, rt};
      auto inst = store.instantiate(
          s.module, [&resolver](const std::string& mod, const std::string& name) { return resolver(mod, name); });
      if (!inst) {
        const auto& e = inst.error();
        if (e.trap) return tl::unexpected(Error(trapError(*e.trap)).atOffset(s.offset));
        return makeErrorAt(ErrorCode::Invalid, s.offset,
                           fmt::format("core instance {} of module {}: {}", s.ordinal, s.moduleIndex, e.message));
      }
      rt.coreInstances[s.coreInstance] = *inst;
      return {};
    }
    case PlanStep::Kind::CoreExport: {
      engine::Instance* inst = rt.coreInstances[s.coreInstance];
      auto ext = inst->exported(*s.name);
      if (!ext) return makeError(ErrorCode::Internal, fmt::format("core export '{}' is missing", *s.name));
      rt.coreItems[s.item] = CoreItem{*ext, inst, s.name};
      return {};
    }
    case PlanStep::Kind::Lower: {
      auto host = [rtp, k](const wasmops_val* args, wasmops_val* results) {
        return callLowered(*rtp, rtp->plan->steps[k], args, results);
      };
      rt.coreItems[s.item] = CoreItem{store.hostFunction(*s.coreType, std::move(host)), nullptr, nullptr};
      return {};
    }
    case PlanStep::Kind::ResourceBuiltin: {
      auto host = [rtp, k](const wasmops_val* args, wasmops_val* results) {
        return callBuiltin(*rtp, rtp->plan->steps[k], args, results);
      };
      rt.coreItems[s.item] = CoreItem{store.hostFunction(*s.coreType, std::move(host)), nullptr, nullptr};
      return {};
    }
    case PlanStep::Kind::DefineResource: {
      ResourceType& type = rt.resources[s.resource];
      type.implementer = rt.plan->states[s.state];
      if (s.item != kNone) {
        type.destructor = [rtp, slot = s.item](std::uint32_t rep) -> Expected<void> {
          const CoreItem& dtor = rtp->coreItems[slot];
          std::vector<wasmops_val> args(1);
          args[0].i32 = rep;
          auto out = dtor.owner->call(*dtor.name, args);
          if (!out) return makeError(ErrorCode::Invalid, out.error());
          if (out->trap) return tl::unexpected(trapError(*out->trap));
          return {};
        };
      }
      return {};
    }
  }
  return {};
}

void compileModules(const binary::Component& c, const engine::Engine& engine,
                    std::vector<PreparedComponent::Compiled>& out, Error& error) {
  for (const auto& m : c.modules) {
    if (!error.message.empty()) return;
    auto compiled = engine.compile(m.bytes);
    if (!compiled) {
      error = std::move(compiled).error();
      error.message = fmt::format("core module at 0x{:x}: {}", m.offset, error.message);
      error.offset = m.offset;
      return;
    }
    out.emplace_back(&m, std::move(*compiled));
  }
  for (const auto& nested : c.components) compileModules(nested, engine, out, error);
}

}  // namespace

Expected<std::shared_ptr<const PreparedComponent>> PreparedComponent::prepare(const binary::Component& component,
                                                                              const engine::Engine& engine) {
  auto prepared = std::make_shared<PreparedComponent>();
  prepared->component_ = &component;
  Error error(ErrorCode::Invalid, "");
  compileModules(component, engine, prepared->modules_, error);
  if (!error.message.empty()) return tl::unexpected(std::move(error));
  prepared->plan_ = planInstantiation(*prepared);
  return std::shared_ptr<const PreparedComponent>(std::move(prepared));
}

std::shared_ptr<engine::CompiledModule> PreparedComponent::module(const binary::NestedModule& m) const {
  // A handful of modules per component: a scan is all it takes.
  for (const auto& [nested, compiled] : modules_)
    if (nested == &m) return compiled;
  return nullptr;
}

Expected<std::shared_ptr<const LinkedComponent>> PreparedComponent::link(const ComponentLinker& linker) const {
  // Top-level names first, as instantiation always checked them.
  WASMOPS_TRY_VOID(checkImports(plan_->topImports, linker));
  WASMOPS_TRY(LinkedImports imports, linkImports(*plan_, linker));
  if (plan_->error) return tl::unexpected(*plan_->error);
  std::shared_ptr<LinkedComponent> linked(new LinkedComponent());
  linked->plan_ = plan_;
  linked->functions_ = std::move(imports.functions);
  linked->resources_ = std::move(imports.resources);
  return std::shared_ptr<const LinkedComponent>(std::move(linked));
}

LinkedComponent::~LinkedComponent() = default;

ComponentInstance::ComponentInstance() = default;
ComponentInstance::~ComponentInstance() = default;

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiate(const binary::Component& component,
                                                                            const engine::Engine& engine,
                                                                            engine::Store& store,
                                                                            const ComponentLinker& linker) {
  // Imports first: a missing one is named before any module compiles.
  WASMOPS_TRY_VOID(checkImports(component, linker));
  WASMOPS_TRY(auto prepared, PreparedComponent::prepare(component, engine));
  WASMOPS_TRY(auto linked, prepared->link(linker));
  return instantiate(*linked, store);
}

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiate(const PreparedComponent& prepared,
                                                                            engine::Store& store,
                                                                            const ComponentLinker& linker) {
  WASMOPS_TRY(auto linked, prepared.link(linker));
  return instantiate(*linked, store);
}

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiate(const LinkedComponent& linked,
                                                                            engine::Store& store) {
  const InstantiationPlan& plan = *linked.plan_;
  std::unique_ptr<ComponentInstance> instance(new ComponentInstance());
  instance->linked_ = linked.shared_from_this();
  auto rt = std::make_unique<InstanceRuntime>();
  rt->plan = &plan;
  rt->linked = &linked;
  rt->coreInstances.assign(plan.coreInstances, nullptr);
  rt->coreItems.resize(plan.coreItems);
  rt->resources.resize(plan.ids);
  for (std::uint32_t id = 0; id < plan.ids; ++id) {
    rt->resources[id].id = id;
    rt->resources[id].implementer = kUnregistered;
  }
  rt->states.reserve(plan.states.size());
  for (std::uint32_t id : plan.states) rt->states.push_back(std::make_unique<InstanceState>(id));
  for (const auto& [id, dtor] : linked.resources_) {
    ResourceType& type = rt->resources[id];
    type.implementer = kHostInstance;
    if (dtor) type.destructor = [d = &dtor](std::uint32_t rep) { return (*d)(rep); };
  }
  for (std::uint32_t k = 0; k < plan.steps.size(); ++k) WASMOPS_TRY_VOID(execute(*rt, store, k));
  instance->runtime_ = std::move(rt);
  return instance;
}

std::vector<std::string> ComponentInstance::functionNames() const {
  std::vector<std::string> names;
  for (const auto& [name, fn] : linked_->plan_->exports) names.push_back(name);
  return names;
}

const FunctionType* ComponentInstance::functionType(std::string_view name) const {
  const PlanFunction* fn = linked_->plan_->exported(name);
  return fn ? fn->type : nullptr;
}

Expected<std::optional<Value>> ComponentInstance::call(std::string_view name, std::span<const Value> args) {
  const InstantiationPlan& plan = *linked_->plan_;
  for (const auto& [n, func] : plan.exports) {
    if (n != name) continue;
    const FunctionType& type = *plan.funcs[func].type;
    if (args.size() != type.params.size())
      return makeError(ErrorCode::Invalid,
                       fmt::format("'{}' takes {} arguments, got {}", name, type.params.size(), args.size()));
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (auto ok = checkValue(args[i], *type.params[i]); !ok)
        return makeError(ErrorCode::Invalid,
                         fmt::format("argument '{}' of '{}': {}", type.paramNames[i], name, ok.error().message));
    }
    return callFunction(*runtime_, func, args);
  }
  return makeError(ErrorCode::NotFound, fmt::format("no exported function '{}'", name));
}

}  // namespace wasmops::component
