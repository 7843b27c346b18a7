#include "component/InstantiationPlan.h"

#include <functional>

#include <fmt/format.h>

#include "binary/DefinitionOrder.h"
#include "component/ComponentInstance.h"
#include "component/CoreBridge.h"
#include "component/LinkerImports.h"

namespace wasmops::component {
namespace {

// A component instantiating its nested components many times over could
// otherwise make the plan (and every instance) exponential in its nesting.
constexpr std::size_t kMaxPlanItems = std::size_t{1} << 20;

}  // namespace

// Plans one component (the top level or a nested one): its definitions in
// file order, every index space holding slots of the plan.
class Planner {
 public:
  using ImportSource = std::function<Expected<Item>(const binary::ComponentImport& import)>;

  Planner(PlanContext& cx, const binary::Component& c, const Planner* parent, std::uint32_t state, ImportSource imports)
      : cx_(cx),
        c_(c),
        parent_(parent),
        state_(state),
        id_(cx.plan.states[state]),
        imports_(std::move(imports)),
        scope_(parent ? &parent->scope_ : nullptr, cx.ids()) {}

  // The component's exports, by name.
  Expected<InstanceItems> run() {
    if (!c_.values.empty())
      return makeErrorAt(ErrorCode::Unsupported, c_.values.front().offset, "value definitions are not supported");
    if (!c_.starts.empty())
      return makeErrorAt(ErrorCode::Unsupported, c_.starts.front().offset, "start functions are not supported");
    InstanceItems exports;
    for (const auto& e : binary::definitionOrder(c_)) {
      if (cx_.plan.steps.size() + cx_.plan.funcs.size() + cx_.plan.states.size() > kMaxPlanItems)
        return makeErrorAt(ErrorCode::LimitExceeded, c_.offset,
                           fmt::format("instantiating this component takes more than {} steps", kMaxPlanItems));
      switch (e.kind) {
        case binary::DefinitionKind::CoreModule: {
          const auto& m = c_.modules[e.index];
          auto compiled = cx_.prepared.module(m);
          if (!compiled)
            return makeErrorAt(ErrorCode::Internal, m.offset, "a core module the component was not prepared with");
          modules_.push_back(std::move(compiled));
          break;
        }
        case binary::DefinitionKind::Component: components_.push_back({&c_.components[e.index], this}); break;
        case binary::DefinitionKind::CoreType: break;  // core types only describe; nothing to build
        case binary::DefinitionKind::CoreInstance: WASMOPS_TRY_VOID(coreInstance(c_.coreInstances[e.index])); break;
        case binary::DefinitionKind::Instance: WASMOPS_TRY_VOID(instance(c_.instances[e.index])); break;
        case binary::DefinitionKind::Alias: WASMOPS_TRY_VOID(alias(c_.aliases[e.index])); break;
        case binary::DefinitionKind::Type: WASMOPS_TRY_VOID(type(c_.types[e.index])); break;
        case binary::DefinitionKind::Canon: WASMOPS_TRY_VOID(canon(c_.canons[e.index])); break;
        case binary::DefinitionKind::Import: {
          const auto& i = c_.imports[e.index];
          WASMOPS_TRY(Item item, imports_(i));
          push(item);
          break;
        }
        case binary::DefinitionKind::Export: {
          const auto& x = c_.exports[e.index];
          WASMOPS_TRY(Item item, at(x.item, x.offset));
          push(item);
          exports[x.name.name] = item;
          break;
        }
        case binary::DefinitionKind::Start:
        case binary::DefinitionKind::Value: break;  // refused above
      }
    }
    return exports;
  }

  const TypeScope* scope() const { return &scope_; }

 private:
  struct ComponentRef {
    const binary::Component* component;
    const Planner* home;
  };

  // A core instance: instantiated (its module's exports become core items
  // when first used), or a bag of core items.
  struct CoreInstance {
    std::uint32_t slot = kNone;
    std::shared_ptr<engine::CompiledModule> module;
    std::map<std::string, std::uint32_t, std::less<>> bag;
  };

  void push(const Item& item) {
    switch (item.sort) {
      case Sort::Func: funcs_.push_back(item.func); break;
      case Sort::Instance: instances_.push_back(item.instance); break;
      case Sort::Type: scope_.addAlias(item.typeScope, item.typeIndex); break;
      case Sort::Component: components_.push_back({item.component, item.componentHome}); break;
      case Sort::CoreModule: modules_.push_back(item.module); break;
      default: break;
    }
  }

  template <typename V>
  static Expected<typename V::value_type> index(const V& v, std::uint32_t i, const char* what, std::uint64_t offset) {
    if (i >= v.size())
      return makeErrorAt(ErrorCode::Invalid, offset, fmt::format("{} index {} is out of range", what, i));
    return v[i];
  }

  Expected<Item> at(const binary::SortIndex& s, std::uint64_t offset) const {
    Item item;
    item.sort = s.sort;
    switch (s.sort) {
      case Sort::Func: WASMOPS_TRY_ASSIGN(item.func, index(funcs_, s.index, "function", offset)); return item;
      case Sort::Instance:
        WASMOPS_TRY_ASSIGN(item.instance, index(instances_, s.index, "instance", offset));
        return item;
      case Sort::Type: {
        if (s.index >= scope_.size())
          return makeErrorAt(ErrorCode::Invalid, offset, fmt::format("type index {} is out of range", s.index));
        item.typeScope = &scope_;
        item.typeIndex = s.index;
        return item;
      }
      case Sort::Component: {
        WASMOPS_TRY(ComponentRef ref, index(components_, s.index, "component", offset));
        item.component = ref.component;
        item.componentHome = ref.home;
        return item;
      }
      case Sort::CoreModule:
        WASMOPS_TRY_ASSIGN(item.module, index(modules_, s.index, "core module", offset));
        return item;
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset,
                       fmt::format("a {} as a component item is not supported", binary::toString(s.sort)));
  }

  Expected<std::uint32_t> coreAt(const binary::SortIndex& s, std::uint64_t offset) const {
    switch (s.sort) {
      case Sort::CoreFunc: return index(coreFuncs_, s.index, "core function", offset);
      case Sort::CoreMemory: return index(coreMemories_, s.index, "core memory", offset);
      case Sort::CoreTable: return index(coreTables_, s.index, "core table", offset);
      case Sort::CoreGlobal: return index(coreGlobals_, s.index, "core global", offset);
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset,
                       fmt::format("a {} export is not supported", binary::toString(s.sort)));
  }

  Expected<void> pushCore(Sort sort, std::uint32_t item, std::uint64_t offset) {
    switch (sort) {
      case Sort::CoreFunc: coreFuncs_.push_back(item); return {};
      case Sort::CoreMemory: coreMemories_.push_back(item); return {};
      case Sort::CoreTable: coreTables_.push_back(item); return {};
      case Sort::CoreGlobal: coreGlobals_.push_back(item); return {};
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset,
                       fmt::format("a {} alias is not supported", binary::toString(sort)));
  }

  // An export of a core instance as a core item (as engine::Instance::exported
  // finds it: the first export of that name; tags are not items).
  std::optional<std::uint32_t> coreExport(const CoreInstance& ci, const std::string& name) {
    if (ci.slot == kNone) {
      auto it = ci.bag.find(name);
      if (it == ci.bag.end()) return std::nullopt;
      return it->second;
    }
    const binary::Module& m = ci.module->module();
    for (std::uint32_t k = 0; k < m.exports.size(); ++k) {
      const auto& e = m.exports[k];
      if (e.name != name) continue;
      if (e.kind == binary::ExternKind::Tag) return std::nullopt;
      auto key = std::make_pair(ci.slot, k);
      if (auto it = cx_.exportItems.find(key); it != cx_.exportItems.end()) return it->second;
      const binary::FuncType* type = nullptr;
      if (e.kind == binary::ExternKind::Func)
        if (auto ti = m.functionTypeIndex(e.index)) type = m.funcType(*ti);
      PlanStep s;
      s.kind = PlanStep::Kind::CoreExport;
      s.state = state_;
      s.coreInstance = ci.slot;
      s.name = &e.name;
      s.item = cx_.newCoreItem(type, true);
      cx_.plan.steps.push_back(std::move(s));
      cx_.exportItems.emplace(key, cx_.plan.steps.back().item);
      return cx_.plan.steps.back().item;
    }
    return std::nullopt;
  }

  Expected<void> coreInstance(const binary::CoreInstance& ci) {
    CoreInstance items;
    if (!ci.instantiate) {
      for (const auto& x : ci.exports) {
        WASMOPS_TRY(std::uint32_t item, coreAt(x.item, ci.offset));
        items.bag[x.name] = item;
      }
      coreInstances_.push_back(std::move(items));
      return {};
    }
    WASMOPS_TRY(auto module, index(modules_, ci.module, "core module", ci.offset));
    std::map<std::string, std::uint32_t, std::less<>> args;
    for (const auto& a : ci.args) {
      if (a.instance >= coreInstances_.size())
        return makeErrorAt(ErrorCode::Invalid, ci.offset,
                           fmt::format("core instance index {} is out of range", a.instance));
      args[a.name] = a.instance;
    }
    PlanStep s;
    s.kind = PlanStep::Kind::InstantiateCore;
    s.offset = ci.offset;
    s.state = state_;
    s.ordinal = static_cast<std::uint32_t>(coreInstances_.size());
    s.moduleIndex = ci.module;
    // What the engine's resolver will be asked for, in import order (the
    // engine checks kinds and types, and names what is missing).
    for (const auto& imp : module->module().imports) {
      auto it = args.find(imp.module);
      std::optional<std::uint32_t> item;
      if (it != args.end()) item = coreExport(coreInstances_[it->second], imp.name);
      s.imports.push_back(item ? *item : kNone);
    }
    s.coreInstance = cx_.plan.coreInstances++;
    s.module = module;
    items.slot = s.coreInstance;
    items.module = std::move(module);
    cx_.plan.steps.push_back(std::move(s));
    coreInstances_.push_back(std::move(items));
    return {};
  }

  Expected<void> instance(const binary::ComponentInstance& ci) {
    auto items = std::make_shared<InstanceItems>();
    if (!ci.instantiate) {
      for (const auto& x : ci.exports) {
        WASMOPS_TRY(Item item, at(x.item, ci.offset));
        (*items)[x.name.name] = std::move(item);
      }
      instances_.push_back(std::move(items));
      return {};
    }
    WASMOPS_TRY(ComponentRef ref, index(components_, ci.component, "component", ci.offset));
    auto args = std::make_shared<InstanceItems>();
    for (const auto& a : ci.args) {
      WASMOPS_TRY(Item item, at(a.item, ci.offset));
      (*args)[a.name] = std::move(item);
    }
    // A component instance of its own: own id, handle table and flags.
    cx_.plan.states.push_back((*cx_.ids())++);
    const auto child = static_cast<std::uint32_t>(cx_.plan.states.size() - 1);
    Planner* nested =
        cx_.planners
            .emplace_back(std::make_unique<Planner>(
                cx_, *ref.component, ref.home, child,
                [args](const binary::ComponentImport& i) -> Expected<Item> {
                  auto it = args->find(i.name.name);
                  if (it == args->end())
                    return makeErrorAt(ErrorCode::Invalid, i.offset,
                                       fmt::format("nested component import '{}' has no argument", i.name.name));
                  return it->second;
                }))
            .get();
    WASMOPS_TRY(*items, nested->run());
    instances_.push_back(std::move(items));
    return {};
  }

  Expected<void> alias(const binary::ComponentAlias& a) {
    using Target = binary::ComponentAlias::Target;
    switch (a.target) {
      case Target::CoreInstanceExport: {
        if (a.instance >= coreInstances_.size())
          return makeErrorAt(ErrorCode::Invalid, a.offset,
                             fmt::format("core instance index {} is out of range", a.instance));
        auto item = coreExport(coreInstances_[a.instance], a.name);
        if (!item)
          return makeErrorAt(ErrorCode::Invalid, a.offset,
                             fmt::format("core instance {} has no export '{}'", a.instance, a.name));
        return pushCore(a.sort, *item, a.offset);
      }
      case Target::InstanceExport: {
        WASMOPS_TRY(auto items, index(instances_, a.instance, "instance", a.offset));
        auto it = items->find(a.name);
        if (it == items->end())
          return makeErrorAt(ErrorCode::Invalid, a.offset,
                             fmt::format("instance {} has no export '{}'", a.instance, a.name));
        if (it->second.sort != a.sort)
          return makeErrorAt(ErrorCode::Invalid, a.offset,
                             fmt::format("export '{}' of instance {} is a {}, not a {}", a.name, a.instance,
                                         binary::toString(it->second.sort), binary::toString(a.sort)));
        push(it->second);
        return {};
      }
      case Target::Outer: {
        const Planner* home = this;
        for (std::uint32_t i = 0; i < a.outerCount; ++i) {
          if (!home->parent_)
            return makeErrorAt(ErrorCode::Invalid, a.offset, "outer alias leaves the outermost component");
          home = home->parent_;
        }
        if (a.sort == Sort::CoreType) return {};
        WASMOPS_TRY(Item item, home->at({a.sort, a.outerIndex}, a.offset));
        push(item);
        return {};
      }
    }
    return {};
  }

  Expected<void> type(const binary::ComponentTypeDef& def) {
    std::uint32_t slot = scope_.addDefinition(&def);
    if (def.kind != binary::ComponentTypeKind::Resource) return {};
    WASMOPS_TRY(std::uint32_t id, scope_.resourceAt(slot));
    PlanStep s;
    s.kind = PlanStep::Kind::DefineResource;
    s.offset = def.offset;
    s.state = state_;
    s.resource = id;
    if (def.resource.dtor) {
      WASMOPS_TRY(std::uint32_t dtor, index(coreFuncs_, *def.resource.dtor, "core function", def.offset));
      if (!cx_.coreInfo[dtor].guest)
        return makeErrorAt(ErrorCode::Unsupported, def.offset, "a resource destructor that is not a guest function");
      WASMOPS_TRY_VOID(
          checkSignature(cx_.coreInfo[dtor].funcType, {CoreType::I32}, {}, "the resource destructor", def.offset));
      s.item = dtor;
    }
    cx_.implementers[id] = id_;
    cx_.plan.steps.push_back(std::move(s));
    return {};
  }

  Expected<CanonPlan> options(const binary::CanonOptions& o, std::uint64_t offset) const {
    if (o.async || o.callback || o.gc)
      return makeErrorAt(ErrorCode::Unsupported, offset, "async, callback and gc canon options are not supported");
    CanonPlan s;
    s.encoding = o.stringEncoding;
    if (o.memory) WASMOPS_TRY_ASSIGN(s.memory, index(coreMemories_, *o.memory, "core memory", offset));
    if (o.realloc) {
      WASMOPS_TRY_ASSIGN(s.realloc, index(coreFuncs_, *o.realloc, "core function", offset));
      const auto i32 = CoreType::I32;
      WASMOPS_TRY_VOID(
          checkSignature(cx_.coreInfo[s.realloc].funcType, {i32, i32, i32, i32}, {i32}, "realloc", offset));
    }
    if (o.postReturn) WASMOPS_TRY_ASSIGN(s.postReturn, index(coreFuncs_, *o.postReturn, "core function", offset));
    return s;
  }

  // resource.new and resource.rep need a type this component defined;
  // resource.drop takes any (an imported one's destructor is its definer's).
  Expected<std::uint32_t> resourceType(std::uint32_t typeIndex, bool definedHere, std::uint64_t offset) const {
    WASMOPS_TRY(std::uint32_t id, scope_.resourceAt(typeIndex));
    auto it = cx_.implementers.find(id);
    if (it == cx_.implementers.end() || (definedHere && it->second != id_))
      return makeErrorAt(
          ErrorCode::Invalid, offset,
          fmt::format("resource type {} is not {}", typeIndex, definedHere ? "defined by this component" : "known"));
    return id;
  }

  Expected<void> canon(const binary::CanonFunc& cf) {
    using Kind = binary::CanonFunc::Kind;
    switch (cf.kind) {
      case Kind::Lift: return lift(cf);
      case Kind::Lower: return lower(cf);
      case Kind::ResourceNew:
      case Kind::ResourceRep:
      case Kind::ResourceDrop: return resourceBuiltin(cf);
      case Kind::Builtin: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, cf.offset, fmt::format("canon {} is not supported", cf.builtin));
  }

  Expected<void> lift(const binary::CanonFunc& cf) {
    auto located = [&](Error e) {
      if (!e.offset) e.offset = cf.offset;
      return tl::unexpected(std::move(e));
    };
    auto fnType = scope_.functionAt(cf.type);
    if (!fnType) return located(std::move(fnType).error());
    WASMOPS_TRY(std::uint32_t core, index(coreFuncs_, cf.func, "core function", cf.offset));
    if (!cx_.coreInfo[core].guest)
      return makeErrorAt(ErrorCode::Unsupported, cf.offset, "lifting a function that is not a guest export");
    WASMOPS_TRY(CanonPlan opts, options(cf.options, cf.offset));
    WASMOPS_TRY_VOID(checkSignature(cx_.coreInfo[core].funcType, fnType->liftParams, fnType->liftResults,
                                    "the lifted function", cf.offset));
    if (opts.postReturn != kNone)
      WASMOPS_TRY_VOID(
          checkSignature(cx_.coreInfo[opts.postReturn].funcType, fnType->liftResults, {}, "post-return", cf.offset));
    const auto lift = static_cast<std::uint32_t>(cx_.plan.lifts.size());
    const std::uint32_t func = cx_.newFunction(std::move(*fnType), kNone, lift);
    cx_.plan.lifts.push_back({cx_.plan.funcs[func].type, core, opts, state_});
    funcs_.push_back(func);
    return {};
  }

  Expected<void> lower(const binary::CanonFunc& cf) {
    WASMOPS_TRY(std::uint32_t fn, index(funcs_, cf.func, "function", cf.offset));
    WASMOPS_TRY(CanonPlan opts, options(cf.options, cf.offset));
    const FunctionType& type = *cx_.plan.funcs[fn].type;
    binary::FuncType& coreType = cx_.plan.coreTypes.emplace_back();
    for (auto t : type.lowerParams) coreType.params.push_back(coreValType(t));
    for (auto t : type.lowerResults) coreType.results.push_back(coreValType(t));
    PlanStep s;
    s.kind = PlanStep::Kind::Lower;
    s.offset = cf.offset;
    s.state = state_;
    s.func = fn;
    s.options = opts;
    s.coreType = &coreType;
    s.item = cx_.newCoreItem(&coreType, false);
    coreFuncs_.push_back(s.item);
    cx_.plan.steps.push_back(std::move(s));
    return {};
  }

  Expected<void> resourceBuiltin(const binary::CanonFunc& cf) {
    using Kind = binary::CanonFunc::Kind;
    WASMOPS_TRY(std::uint32_t id, resourceType(cf.type, cf.kind != Kind::ResourceDrop, cf.offset));
    PlanStep s;
    s.kind = PlanStep::Kind::ResourceBuiltin;
    s.offset = cf.offset;
    s.state = state_;
    s.builtin = cf.kind;
    s.resource = id;
    s.coreType = builtinType(cf.kind != Kind::ResourceDrop);
    s.item = cx_.newCoreItem(s.coreType, false);
    coreFuncs_.push_back(s.item);
    cx_.plan.steps.push_back(std::move(s));
    return {};
  }

  // (i32) -> i32 for resource.new and resource.rep, (i32) -> () for resource.drop; one each per plan.
  const binary::FuncType* builtinType(bool returns) {
    const binary::FuncType*& type = returns ? cx_.builtinReturns : cx_.builtinDrops;
    if (!type) {
      binary::FuncType& t = cx_.plan.coreTypes.emplace_back();
      t.params.push_back(coreValType(CoreType::I32));
      if (returns) t.results.push_back(coreValType(CoreType::I32));
      type = &t;
    }
    return type;
  }

  PlanContext& cx_;
  const binary::Component& c_;
  const Planner* parent_;
  std::uint32_t state_;  // index into plan.states
  std::uint32_t id_;     // the component instance's id
  ImportSource imports_;
  TypeScope scope_;

  std::vector<std::shared_ptr<engine::CompiledModule>> modules_;
  std::vector<CoreInstance> coreInstances_;
  std::vector<std::uint32_t> coreFuncs_, coreMemories_, coreTables_, coreGlobals_;
  std::vector<std::uint32_t> funcs_;
  std::vector<std::shared_ptr<InstanceItems>> instances_;
  std::vector<ComponentRef> components_;
};

PlanContext::PlanContext(const PreparedComponent& p, InstantiationPlan& pl) : prepared(p), plan(pl) {}
PlanContext::~PlanContext() = default;

std::shared_ptr<const InstantiationPlan> planInstantiation(const PreparedComponent& prepared) {
  auto plan = std::make_shared<InstantiationPlan>();
  PlanContext cx(prepared, *plan);
  plan->states.push_back(0);  // the top level; ids count on from 1
  plan->topImports = topImports(prepared.component());
  const TypeScope* topScope = nullptr;
  ImportPlanner imports(cx, &topScope);
  Planner top(cx, prepared.component(), nullptr, 0,
              [&imports](const binary::ComponentImport& i) { return imports(i); });
  topScope = top.scope();
  auto exports = top.run();
  if (!exports) {
    plan->error = std::move(exports).error();
    return plan;
  }
  for (const auto& [name, item] : *exports) {
    if (item.sort == Sort::Func) plan->exports.emplace_back(name, item.func);
    if (item.sort != Sort::Instance) continue;
    for (const auto& [member, inner] : *item.instance)
      if (inner.sort == Sort::Func) plan->exports.emplace_back(name + "#" + member, inner.func);
  }
  return plan;
}

}  // namespace wasmops::component
