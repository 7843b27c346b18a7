#include "component/ComponentInstance.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "binary/DefinitionOrder.h"
#include "component/CanonicalAbi.h"
#include "component/CoreBridge.h"
#include "component/InstanceItems.h"
#include "component/LinkerImports.h"

namespace wasmops::component {
namespace {

// The options of one canon lift or lower, looked up once.
struct CanonState {
  binary::StringEncoding encoding = binary::StringEncoding::Utf8;
  std::optional<CoreItem> memory, realloc, postReturn;
};

}  // namespace

// Instantiates one component (the top level or a nested one).
class Builder {
 public:
  using ImportSource = std::function<Expected<Item>(const binary::ComponentImport& import)>;

  Builder(const binary::Component& c, const Builder* parent, InstanceState& state, const PreparedComponent& prepared,
          engine::Store& store, std::uint32_t* nextId, ImportSource imports)
      : c_(c), parent_(parent), st_(state), prepared_(prepared), store_(store), nextId_(nextId), imports_(std::move(imports)) {
    auto scope = std::make_unique<TypeScope>(parent ? parent->scope_ : nullptr, nextId);
    scope_ = scope.get();
    st_.scopes.push_back(std::move(scope));
  }

  // The component's exports, by name.
  Expected<InstanceItems> run() {
    if (!c_.values.empty()) return makeErrorAt(ErrorCode::Unsupported, c_.values.front().offset, "value definitions are not supported");
    if (!c_.starts.empty()) return makeErrorAt(ErrorCode::Unsupported, c_.starts.front().offset, "start functions are not supported");
    InstanceItems exports;
    for (const auto& e : binary::definitionOrder(c_)) {
      switch (e.kind) {
        case binary::DefinitionKind::CoreModule: {
          const auto& m = c_.modules[e.index];
          auto compiled = prepared_.module(m);
          if (!compiled) return makeErrorAt(ErrorCode::Internal, m.offset, "a core module the component was not prepared with");
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

  TypeScope* scope() const { return scope_; }

 private:
  struct ComponentRef {
    const binary::Component* component;
    const Builder* home;
  };

  void push(const Item& item) {
    switch (item.sort) {
      case Sort::Func: funcs_.push_back(item.func); break;
      case Sort::Instance: instances_.push_back(item.instance); break;
      case Sort::Type: scope_->addAlias(item.typeScope, item.typeIndex); break;
      case Sort::Component: components_.push_back({item.component, item.componentHome}); break;
      case Sort::CoreModule: modules_.push_back(item.module); break;
      default: break;
    }
  }

  template <typename V>
  static Expected<typename V::value_type> index(const V& v, std::uint32_t i, const char* what, std::uint64_t offset) {
    if (i >= v.size()) return makeErrorAt(ErrorCode::Invalid, offset, fmt::format("{} index {} is out of range", what, i));
    return v[i];
  }

  Expected<Item> at(const binary::SortIndex& s, std::uint64_t offset) const {
    Item item;
    item.sort = s.sort;
    switch (s.sort) {
      case Sort::Func: WASMOPS_TRY_ASSIGN(item.func, index(funcs_, s.index, "function", offset)); return item;
      case Sort::Instance: WASMOPS_TRY_ASSIGN(item.instance, index(instances_, s.index, "instance", offset)); return item;
      case Sort::Type: {
        if (s.index >= scope_->size()) return makeErrorAt(ErrorCode::Invalid, offset, fmt::format("type index {} is out of range", s.index));
        item.typeScope = scope_;
        item.typeIndex = s.index;
        return item;
      }
      case Sort::Component: {
        WASMOPS_TRY(ComponentRef ref, index(components_, s.index, "component", offset));
        item.component = ref.component;
        item.componentHome = ref.home;
        return item;
      }
      case Sort::CoreModule: WASMOPS_TRY_ASSIGN(item.module, index(modules_, s.index, "core module", offset)); return item;
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset, fmt::format("a {} as a component item is not supported", binary::toString(s.sort)));
  }

  Expected<CoreItem> coreAt(const binary::SortIndex& s, std::uint64_t offset) const {
    switch (s.sort) {
      case Sort::CoreFunc: return index(coreFuncs_, s.index, "core function", offset);
      case Sort::CoreMemory: return index(coreMemories_, s.index, "core memory", offset);
      case Sort::CoreTable: return index(coreTables_, s.index, "core table", offset);
      case Sort::CoreGlobal: return index(coreGlobals_, s.index, "core global", offset);
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset, fmt::format("a {} export is not supported", binary::toString(s.sort)));
  }

  Expected<void> pushCore(Sort sort, CoreItem item, std::uint64_t offset) {
    switch (sort) {
      case Sort::CoreFunc: coreFuncs_.push_back(std::move(item)); return {};
      case Sort::CoreMemory: coreMemories_.push_back(std::move(item)); return {};
      case Sort::CoreTable: coreTables_.push_back(std::move(item)); return {};
      case Sort::CoreGlobal: coreGlobals_.push_back(std::move(item)); return {};
      default: break;
    }
    return makeErrorAt(ErrorCode::Unsupported, offset, fmt::format("a {} alias is not supported", binary::toString(sort)));
  }

  Expected<void> coreInstance(const binary::CoreInstance& ci) {
    CoreInstanceItems items;
    if (!ci.instantiate) {
      for (const auto& x : ci.exports) {
        WASMOPS_TRY(CoreItem item, coreAt(x.item, ci.offset));
        items.bag[x.name] = std::move(item);
      }
      coreInstances_.push_back(std::move(items));
      return {};
    }
    WASMOPS_TRY(auto module, index(modules_, ci.module, "core module", ci.offset));
    std::map<std::string, std::uint32_t, std::less<>> args;
    for (const auto& a : ci.args) {
      if (a.instance >= coreInstances_.size())
        return makeErrorAt(ErrorCode::Invalid, ci.offset, fmt::format("core instance index {} is out of range", a.instance));
      args[a.name] = a.instance;
    }
    auto inst = store_.instantiate(module, [&](const std::string& mod, const std::string& name) -> std::optional<engine::Extern> {
      auto it = args.find(mod);
      if (it == args.end()) return std::nullopt;
      auto item = coreInstances_[it->second].get(name);
      if (!item) return std::nullopt;
      return item->ext;
    });
    if (!inst) {
      const auto& e = inst.error();
      if (e.trap) return tl::unexpected(Error(trapError(*e.trap)).atOffset(ci.offset));
      return makeErrorAt(ErrorCode::Invalid, ci.offset,
                         fmt::format("core instance {} of module {}: {}", coreInstances_.size(), ci.module, e.message));
    }
    items.instance = *inst;
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
    InstanceItems args;
    for (const auto& a : ci.args) {
      WASMOPS_TRY(Item item, at(a.item, ci.offset));
      args[a.name] = std::move(item);
    }
    auto child = std::make_unique<InstanceState>((*nextId_)++, st_.allResources);
    Builder nested(*ref.component, ref.home, *child, prepared_, store_, nextId_,
                   [&args](const binary::ComponentImport& i) -> Expected<Item> {
                     auto it = args.find(i.name.name);
                     if (it == args.end())
                       return makeErrorAt(ErrorCode::Invalid, i.offset, fmt::format("nested component import '{}' has no argument", i.name.name));
                     return it->second;
                   });
    WASMOPS_TRY(*items, nested.run());
    st_.children.push_back(std::move(child));
    instances_.push_back(std::move(items));
    return {};
  }

  Expected<void> alias(const binary::ComponentAlias& a) {
    using Target = binary::ComponentAlias::Target;
    switch (a.target) {
      case Target::CoreInstanceExport: {
        if (a.instance >= coreInstances_.size())
          return makeErrorAt(ErrorCode::Invalid, a.offset, fmt::format("core instance index {} is out of range", a.instance));
        auto item = coreInstances_[a.instance].get(a.name);
        if (!item)
          return makeErrorAt(ErrorCode::Invalid, a.offset, fmt::format("core instance {} has no export '{}'", a.instance, a.name));
        return pushCore(a.sort, std::move(*item), a.offset);
      }
      case Target::InstanceExport: {
        WASMOPS_TRY(auto items, index(instances_, a.instance, "instance", a.offset));
        auto it = items->find(a.name);
        if (it == items->end())
          return makeErrorAt(ErrorCode::Invalid, a.offset, fmt::format("instance {} has no export '{}'", a.instance, a.name));
        if (it->second.sort != a.sort)
          return makeErrorAt(ErrorCode::Invalid, a.offset, fmt::format("export '{}' of instance {} is a {}, not a {}", a.name,
                                                                       a.instance, binary::toString(it->second.sort), binary::toString(a.sort)));
        push(it->second);
        return {};
      }
      case Target::Outer: {
        const Builder* home = this;
        for (std::uint32_t i = 0; i < a.outerCount; ++i) {
          if (!home->parent_) return makeErrorAt(ErrorCode::Invalid, a.offset, "outer alias leaves the outermost component");
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
    std::uint32_t slot = scope_->addDefinition(&def);
    if (def.kind != binary::ComponentTypeKind::Resource) return {};
    WASMOPS_TRY(std::uint32_t id, scope_->resourceAt(slot));
    ResourceType rt;
    rt.id = id;
    rt.implementer = st_.id;
    if (def.resource.dtor) {
      WASMOPS_TRY(CoreItem dtor, index(coreFuncs_, *def.resource.dtor, "core function", def.offset));
      if (!dtor.owner) return makeErrorAt(ErrorCode::Unsupported, def.offset, "a resource destructor that is not a guest function");
      WASMOPS_TRY_VOID(checkSignature(dtor, {CoreType::I32}, {}, "the resource destructor", def.offset));
      rt.destructor = [dtor](std::uint32_t rep) -> Expected<void> {
        std::vector<wasmops_val> args(1);
        args[0].i32 = rep;
        auto out = dtor.owner->call(dtor.name, args);
        if (!out) return makeError(ErrorCode::Invalid, out.error());
        if (out->trap) return tl::unexpected(trapError(*out->trap));
        return {};
      };
    }
    (*st_.allResources)[id] = rt;
    st_.resources[id] = std::move(rt);
    return {};
  }

  Expected<CanonState> options(const binary::CanonOptions& o, std::uint64_t offset) const {
    if (o.async || o.callback || o.gc)
      return makeErrorAt(ErrorCode::Unsupported, offset, "async, callback and gc canon options are not supported");
    CanonState s;
    s.encoding = o.stringEncoding;
    if (o.memory) WASMOPS_TRY_ASSIGN(s.memory, index(coreMemories_, *o.memory, "core memory", offset));
    if (o.realloc) {
      WASMOPS_TRY_ASSIGN(s.realloc, index(coreFuncs_, *o.realloc, "core function", offset));
      const auto i32 = CoreType::I32;
      WASMOPS_TRY_VOID(checkSignature(*s.realloc, {i32, i32, i32, i32}, {i32}, "realloc", offset));
    }
    if (o.postReturn) WASMOPS_TRY_ASSIGN(s.postReturn, index(coreFuncs_, *o.postReturn, "core function", offset));
    return s;
  }

  // resource.new and resource.rep need a type this component defined;
  // resource.drop takes any (an imported one's destructor is its definer's).
  Expected<const ResourceType*> resourceType(std::uint32_t typeIndex, bool definedHere, std::uint64_t offset) const {
    WASMOPS_TRY(std::uint32_t id, scope_->resourceAt(typeIndex));
    const auto& types = definedHere ? st_.resources : *st_.allResources;
    auto it = types.find(id);
    if (it == types.end())
      return makeErrorAt(ErrorCode::Invalid, offset,
                         fmt::format("resource type {} is not {}", typeIndex, definedHere ? "defined by this component" : "known"));
    return &it->second;
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
    auto fnType = scope_->functionAt(cf.type);
    if (!fnType) return located(std::move(fnType).error());
    WASMOPS_TRY(CoreItem core, index(coreFuncs_, cf.func, "core function", cf.offset));
    if (!core.owner) return makeErrorAt(ErrorCode::Unsupported, cf.offset, "lifting a function that is not a guest export");
    WASMOPS_TRY(CanonState opts, options(cf.options, cf.offset));
    WASMOPS_TRY_VOID(checkSignature(core, fnType->liftParams, fnType->liftResults, "the lifted function", cf.offset));
    if (opts.postReturn)
      WASMOPS_TRY_VOID(checkSignature(*opts.postReturn, fnType->liftResults, {}, "post-return", cf.offset));
    auto fn = std::make_shared<ComponentFunction>();
    fn->type = std::move(*fnType);
    InstanceState* st = &st_;
    const FunctionType* type = &fn->type;  // owned by fn, which the call's closure never outlives
    fn->call = [st, type, core, opts](std::span<const Value> args) -> Expected<std::optional<Value>> {
      WASMOPS_TRY_VOID(st->flags.enter());
      struct Leave {
        InstanceFlags& f;
        ~Leave() { f.leave(); }
      } leave{st->flags};
      EngineMemory memory(opts.memory ? &*opts.memory : nullptr, opts.realloc ? &*opts.realloc : nullptr);
      BorrowScope scope;
      AbiContext cx = callContext(*st, opts, memory, scope);
      WASMOPS_TRY(auto flat, lowerParams(cx, *type, args));
      std::vector<wasmops_val> raw;
      for (const auto& v : flat) raw.push_back(toWasm(v));
      auto out = core.owner->call(core.name, raw);
      if (!out) return makeError(ErrorCode::Invalid, out.error());
      if (out->trap) return tl::unexpected(trapError(*out->trap));
      std::vector<CoreValue> results;
      for (std::size_t i = 0; i < type->liftResults.size(); ++i) results.push_back(fromWasm(out->results[i], type->liftResults[i]));
      WASMOPS_TRY(auto result, liftResults(cx, *type, results));
      if (opts.postReturn) {
        if (!opts.postReturn->owner) return makeError(ErrorCode::Unsupported, "post-return is not a guest function");
        std::vector<wasmops_val> rawResults;
        for (const auto& v : results) rawResults.push_back(toWasm(v));
        st->flags.mayLeave = false;
        auto post = opts.postReturn->owner->call(opts.postReturn->name, rawResults);
        st->flags.mayLeave = true;
        if (!post) return makeError(ErrorCode::Invalid, post.error());
        if (post->trap) return tl::unexpected(trapError(*post->trap));
      }
      WASMOPS_TRY_VOID(scope.checkReturn());
      return result;
    };
    funcs_.push_back(std::move(fn));
    return {};
  }

  // What one lifted or lowered call runs with: the options' memory and
  // encoding, and the instance's handles and resources.
  static AbiContext callContext(InstanceState& st, const CanonState& opts, EngineMemory& memory, BorrowScope& scope) {
    AbiContext cx;
    cx.encoding = opts.encoding;
    cx.memory = opts.memory ? &memory : nullptr;
    cx.handles = &st.handles;
    cx.call = &scope;
    cx.implements = [&st](std::uint32_t resource) { return st.resources.count(resource) != 0; };
    return cx;
  }

  Expected<void> lower(const binary::CanonFunc& cf) {
    WASMOPS_TRY(auto fn, index(funcs_, cf.func, "function", cf.offset));
    WASMOPS_TRY(CanonState opts, options(cf.options, cf.offset));
    binary::FuncType coreType;
    for (auto t : fn->type.lowerParams) coreType.params.push_back(coreValType(t));
    for (auto t : fn->type.lowerResults) coreType.results.push_back(coreValType(t));
    InstanceState* st = &st_;
    auto host = [st, fn, opts, coreType](const wasmops_val* args, wasmops_val* results) -> std::optional<std::string> {
      if (auto ok = st->flags.checkMayLeave("an imported function"); !ok) return ok.error().message;
      std::vector<CoreValue> flat;
      for (std::size_t i = 0; i < fn->type.lowerParams.size(); ++i) flat.push_back(fromWasm(args[i], fn->type.lowerParams[i]));
      EngineMemory memory(opts.memory ? &*opts.memory : nullptr, opts.realloc ? &*opts.realloc : nullptr);
      BorrowScope scope;
      AbiContext cx = callContext(*st, opts, memory, scope);
      auto values = liftParams(cx, fn->type, flat);
      if (!values) return values.error().message;
      auto result = fn->call(*values);
      if (!result) return result.error().message;
      auto out = lowerResults(cx, fn->type, *result, flat);
      if (!out) return out.error().message;
      for (std::size_t i = 0; i < out->size(); ++i) results[i] = toWasm((*out)[i]);
      return std::nullopt;
    };
    coreFuncs_.push_back(CoreItem{store_.hostFunction(coreType, std::move(host)), nullptr, {}});
    return {};
  }

  Expected<void> resourceBuiltin(const binary::CanonFunc& cf) {
    using Kind = binary::CanonFunc::Kind;
    WASMOPS_TRY(const ResourceType* rt, resourceType(cf.type, cf.kind != Kind::ResourceDrop, cf.offset));
    binary::FuncType coreType;
    coreType.params.push_back(coreValType(CoreType::I32));
    if (cf.kind != Kind::ResourceDrop) coreType.results.push_back(coreValType(CoreType::I32));
    InstanceState* st = &st_;
    const Kind kind = cf.kind;
    auto host = [st, rt, kind](const wasmops_val* args, wasmops_val* results) -> std::optional<std::string> {
      if (auto ok = st->flags.checkMayLeave(kind == Kind::ResourceDrop ? "resource.drop" : "a resource built-in"); !ok)
        return ok.error().message;
      switch (kind) {
        case Kind::ResourceNew: {
          auto h = st->handles.resourceNew(*rt, args[0].i32);
          if (!h) return h.error().message;
          results[0].i32 = *h;
          return std::nullopt;
        }
        case Kind::ResourceRep: {
          auto rep = st->handles.resourceRep(*rt, args[0].i32);
          if (!rep) return rep.error().message;
          results[0].i32 = *rep;
          return std::nullopt;
        }
        default: {
          auto dropped = st->handles.resourceDrop(*rt, args[0].i32);
          if (!dropped) return dropped.error().message;
          return std::nullopt;
        }
      }
    };
    coreFuncs_.push_back(CoreItem{store_.hostFunction(coreType, std::move(host)), nullptr, {}});
    return {};
  }

  const binary::Component& c_;
  const Builder* parent_;
  InstanceState& st_;
  const PreparedComponent& prepared_;
  engine::Store& store_;
  std::uint32_t* nextId_;
  ImportSource imports_;
  TypeScope* scope_ = nullptr;

  std::vector<std::shared_ptr<engine::CompiledModule>> modules_;
  std::vector<CoreInstanceItems> coreInstances_;
  std::vector<CoreItem> coreFuncs_, coreMemories_, coreTables_, coreGlobals_;
  std::vector<std::shared_ptr<ComponentFunction>> funcs_;
  std::vector<std::shared_ptr<InstanceItems>> instances_;
  std::vector<ComponentRef> components_;
};

namespace {

void compileModules(const binary::Component& c, const engine::Engine& engine, std::vector<PreparedComponent::Compiled>& out,
                    Error& error) {
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
  return std::shared_ptr<const PreparedComponent>(std::move(prepared));
}

std::shared_ptr<engine::CompiledModule> PreparedComponent::module(const binary::NestedModule& m) const {
  // A handful of modules per component: a scan is all it takes.
  for (const auto& [nested, compiled] : modules_)
    if (nested == &m) return compiled;
  return nullptr;
}

ComponentInstance::~ComponentInstance() = default;

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiate(const binary::Component& component,
                                                                           const engine::Engine& engine, engine::Store& store,
                                                                           const ComponentLinker& linker) {
  // Imports first: a missing one is named before any module compiles.
  WASMOPS_TRY_VOID(checkImports(component, linker));
  WASMOPS_TRY(auto prepared, PreparedComponent::prepare(component, engine));
  return instantiateChecked(*prepared, store, linker);
}

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiate(const PreparedComponent& prepared, engine::Store& store,
                                                                           const ComponentLinker& linker) {
  WASMOPS_TRY_VOID(checkImports(prepared.component(), linker));
  return instantiateChecked(prepared, store, linker);
}

Expected<std::unique_ptr<ComponentInstance>> ComponentInstance::instantiateChecked(const PreparedComponent& prepared,
                                                                                  engine::Store& store,
                                                                                  const ComponentLinker& linker) {
  const binary::Component& component = prepared.component();
  std::unique_ptr<ComponentInstance> instance(new ComponentInstance());
  auto ids = std::make_unique<std::uint32_t>(1);
  instance->state_ = std::make_unique<InstanceState>(0, std::make_shared<std::unordered_map<std::uint32_t, ResourceType>>());
  const TypeScope* topScope = nullptr;
  auto imports = std::make_shared<LinkerImports>(linker, &topScope);
  imports->resources = ids.get();
  imports->allResources = instance->state_->allResources.get();
  Builder top(component, nullptr, *instance->state_, prepared, store, ids.get(),
              [imports](const binary::ComponentImport& i) { return (*imports)(i); });
  topScope = top.scope();
  WASMOPS_TRY(InstanceItems exports, top.run());
  for (auto& s : imports->scopes()) instance->state_->scopes.push_back(std::move(s));
  instance->nextResource_ = std::move(ids);
  for (const auto& [name, item] : exports) {
    if (item.sort == Sort::Func) instance->exports_.emplace_back(name, item.func);
    if (item.sort != Sort::Instance) continue;
    for (const auto& [member, inner] : *item.instance)
      if (inner.sort == Sort::Func) instance->exports_.emplace_back(name + "#" + member, inner.func);
  }
  return instance;
}

std::vector<std::string> ComponentInstance::functionNames() const {
  std::vector<std::string> names;
  for (const auto& [name, fn] : exports_) names.push_back(name);
  return names;
}

const FunctionType* ComponentInstance::functionType(std::string_view name) const {
  for (const auto& [n, fn] : exports_)
    if (n == name) return &fn->type;
  return nullptr;
}

Expected<std::optional<Value>> ComponentInstance::call(std::string_view name, std::span<const Value> args) {
  for (const auto& [n, fn] : exports_) {
    if (n != name) continue;
    if (args.size() != fn->type.params.size())
      return makeError(ErrorCode::Invalid, fmt::format("'{}' takes {} arguments, got {}", name, fn->type.params.size(), args.size()));
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (auto ok = checkValue(args[i], *fn->type.params[i]); !ok)
        return makeError(ErrorCode::Invalid, fmt::format("argument '{}' of '{}': {}", fn->type.paramNames[i], name, ok.error().message));
    }
    return fn->call(args);
  }
  return makeError(ErrorCode::NotFound, fmt::format("no exported function '{}'", name));
}

}  // namespace wasmops::component
