#include "component/ComponentTypeGraph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "binary/DefinitionOrder.h"

namespace wasmops::component {

using binary::ComponentAlias;
using binary::ComponentExternKind;
using binary::ComponentTypeDef;
using binary::ComponentTypeKind;
using binary::Sort;

namespace {

// Instantiating a nested component replays it; a component that
// instantiates its nested components many times over could otherwise make
// the graph exponential in its nesting.
constexpr std::size_t kMaxNodes = 1u << 20;
constexpr int kMaxDepth = 64;

}  // namespace

class GraphBuilder {
 public:
  explicit GraphBuilder(ComponentTypeGraph& g) : g_(g) { unknown_ = &g_.nodes_.emplace_back(); }

  using Args = std::vector<std::pair<std::string, Entity>>;

  // The index spaces of one component. `parent` is the enclosing one (outer aliases).
  struct Frame {
    const Frame* parent = nullptr;
    TypeScope* scope = nullptr;
    std::vector<Entity> funcs;
    std::vector<const InstanceValue*> instances;
    std::vector<const binary::Component*> components;
  };

  // Replays `c`; fills `imports` (top level only) and `exports`.
  Expected<void> run(const binary::Component& c, const Frame* parent, const Args* args, int depth,
                     std::vector<NamedEntity>* imports, std::vector<NamedEntity>& exports) {
    if (depth > kMaxDepth) return makeErrorAt(ErrorCode::Unsupported, c.offset, "components nested too deeply");
    Frame f;
    f.parent = parent;
    f.scope = &g_.scopes_.emplace_back();
    f.scope->parent = parent ? parent->scope : nullptr;

    for (const auto& e : binary::definitionOrder(c)) {
      if (g_.nodes_.size() > kMaxNodes)
        return makeErrorAt(ErrorCode::Unsupported, c.offset, "component types too large to describe");
      switch (e.kind) {
        case binary::DefinitionKind::Type: f.scope->types.push_back(defined(c.types[e.index], f.scope)); break;
        case binary::DefinitionKind::Component: f.components.push_back(&c.components[e.index]); break;
        case binary::DefinitionKind::Import: importItem(f, c.imports[e.index], args, imports); break;
        case binary::DefinitionKind::Alias: alias(f, c.aliases[e.index]); break;
        case binary::DefinitionKind::Canon:
          if (c.canons[e.index].kind == binary::CanonFunc::Kind::Lift)
            f.funcs.push_back({Entity::Kind::Func, slot(*f.scope, c.canons[e.index].type)});
          break;
        case binary::DefinitionKind::Instance: {
          const InstanceValue* inst = nullptr;
          WASMOPS_TRY_ASSIGN(inst, instance(f, c.instances[e.index], depth));
          f.instances.push_back(inst);
          break;
        }
        case binary::DefinitionKind::Export: exportItem(f, c.exports[e.index], exports); break;
        default: break;  // core items, starts and values carry no component types
      }
    }
    return {};
  }

 private:
  const TypeNode* node(TypeNode n) { return &g_.nodes_.emplace_back(std::move(n)); }
  const TypeNode* slot(const TypeScope& s, std::uint32_t index) {
    const auto* n = s.slot(index);
    return n ? n : unknown_;
  }
  static const TypeScope* outer(const TypeScope* s, std::uint32_t count) {
    for (std::uint32_t i = 0; i < count && s; ++i) s = s->parent;
    return s;
  }

  const TypeNode* defined(const ComponentTypeDef& def, const TypeScope* scope) {
    TypeNode n;
    n.def = &def;
    n.scope = scope;
    n.offset = def.offset;
    switch (def.kind) {
      case ComponentTypeKind::Defined: n.kind = TypeNode::Kind::Defined; break;
      case ComponentTypeKind::Func: n.kind = TypeNode::Kind::Func; break;
      case ComponentTypeKind::Instance: n.kind = TypeNode::Kind::Instance; break;
      case ComponentTypeKind::Component: n.kind = TypeNode::Kind::Component; break;
      case ComponentTypeKind::Resource: n.kind = TypeNode::Kind::Resource; break;
    }
    return node(std::move(n));
  }

  const TypeNode* named(const std::string& name, const TypeNode* target, std::uint64_t offset) {
    TypeNode n;
    n.kind = TypeNode::Kind::Export;
    n.name = name;
    n.target = target;
    n.offset = offset;
    return node(std::move(n));
  }

  // An instance type opened into the instance it describes: every `(sub
  // resource)` export is a fresh resource, as it is for each import.
  const InstanceValue* openInstanceType(const TypeNode* type, int depth) {
    if (!type || type->kind != TypeNode::Kind::Instance || !type->def || depth > kMaxDepth) return nullptr;
    auto& inst = g_.instances_.emplace_back();
    auto& s = g_.scopes_.emplace_back();
    s.parent = type->scope;
    for (const auto& d : type->def->decls) {
      switch (d.kind) {
        case binary::TypeDecl::Kind::CoreType: break;
        case binary::TypeDecl::Kind::Type:
          s.types.push_back(d.type ? defined(*d.type, &s) : unknown_);
          break;
        case binary::TypeDecl::Kind::Alias:
          if (d.alias.sort != Sort::Type) break;
          if (d.alias.target == ComponentAlias::Target::Outer) {
            const TypeScope* o = outer(&s, d.alias.outerCount);
            s.types.push_back(o ? slot(*o, d.alias.outerIndex) : unknown_);
          } else {
            s.types.push_back(unknown_);
          }
          break;
        case binary::TypeDecl::Kind::Export:
        case binary::TypeDecl::Kind::Import: {
          Entity ent;
          switch (d.desc.kind) {
            case ComponentExternKind::Type: {
              const TypeNode* t = named(d.name.name, d.desc.subResource ? nullptr : slot(s, d.desc.index), d.offset);
              s.types.push_back(t);
              ent = {Entity::Kind::Type, t, nullptr};
              break;
            }
            case ComponentExternKind::Func: ent = {Entity::Kind::Func, slot(s, d.desc.index), nullptr}; break;
            case ComponentExternKind::Instance:
              ent = {Entity::Kind::Instance, nullptr, openInstanceType(slot(s, d.desc.index), depth + 1)};
              break;
            default: break;
          }
          if (d.kind == binary::TypeDecl::Kind::Export) inst.exports.emplace_back(d.name.name, ent);
          break;
        }
      }
    }
    return &inst;
  }

  static const Entity* argument(const Args* args, const std::string& name) {
    if (!args) return nullptr;
    for (const auto& [n, e] : *args)
      if (n == name) return &e;
    return nullptr;
  }

  void importItem(Frame& f, const binary::ComponentImport& imp, const Args* args, std::vector<NamedEntity>* imports) {
    const Entity* arg = argument(args, imp.name.name);
    Entity ent;
    switch (imp.desc.kind) {
      case ComponentExternKind::Type: {
        const TypeNode* t = arg && arg->kind == Entity::Kind::Type
                                ? arg->type
                                : named(imp.name.name, imp.desc.subResource ? nullptr : slot(*f.scope, imp.desc.index),
                                        imp.offset);
        f.scope->types.push_back(t);
        ent = {Entity::Kind::Type, t, nullptr};
        break;
      }
      case ComponentExternKind::Func:
        // The declared type, read in this scope, where imported types are the arguments.
        ent = {Entity::Kind::Func, slot(*f.scope, imp.desc.index), nullptr};
        f.funcs.push_back(ent);
        break;
      case ComponentExternKind::Instance:
        ent = {Entity::Kind::Instance, nullptr,
               arg && arg->kind == Entity::Kind::Instance ? arg->instance : openInstanceType(slot(*f.scope, imp.desc.index), 0)};
        f.instances.push_back(ent.instance);
        break;
      case ComponentExternKind::Component: f.components.push_back(nullptr); break;
      default: break;
    }
    if (imports) imports->push_back({imp.name.name, ent, imp.offset});
  }

  void alias(Frame& f, const ComponentAlias& a) {
    if (a.target == ComponentAlias::Target::CoreInstanceExport) return;
    if (a.target == ComponentAlias::Target::Outer) {
      const Frame* o = &f;
      for (std::uint32_t i = 0; i < a.outerCount && o; ++i) o = o->parent;
      if (a.sort == Sort::Type) f.scope->types.push_back(o ? slot(*o->scope, a.outerIndex) : unknown_);
      if (a.sort == Sort::Component)
        f.components.push_back(o && a.outerIndex < o->components.size() ? o->components[a.outerIndex] : nullptr);
      return;
    }
    const InstanceValue* inst = a.instance < f.instances.size() ? f.instances[a.instance] : nullptr;
    const Entity* e = inst ? inst->find(a.name) : nullptr;
    switch (a.sort) {
      case Sort::Type: f.scope->types.push_back(e && e->kind == Entity::Kind::Type ? e->type : unknown_); break;
      case Sort::Func: f.funcs.push_back(e ? *e : Entity{}); break;
      case Sort::Instance: f.instances.push_back(e ? e->instance : nullptr); break;
      case Sort::Component: f.components.push_back(nullptr); break;
      default: break;
    }
  }

  Entity entityOf(const Frame& f, binary::SortIndex item) {
    switch (item.sort) {
      case Sort::Type: return {Entity::Kind::Type, slot(*f.scope, item.index), nullptr};
      case Sort::Func: return item.index < f.funcs.size() ? f.funcs[item.index] : Entity{};
      case Sort::Instance:
        return {Entity::Kind::Instance, nullptr, item.index < f.instances.size() ? f.instances[item.index] : nullptr};
      default: return {};
    }
  }

  Expected<const InstanceValue*> instance(Frame& f, const binary::ComponentInstance& ci, int depth) {
    if (!ci.instantiate) {
      auto& inst = g_.instances_.emplace_back();
      for (const auto& x : ci.exports) {
        Entity e = entityOf(f, x.item);
        // An inline type export names the type, as an exported type does.
        if (e.kind == Entity::Kind::Type) e.type = named(x.name.name, e.type, ci.offset);
        inst.exports.emplace_back(x.name.name, e);
      }
      return &inst;
    }
    const binary::Component* nested = ci.component < f.components.size() ? f.components[ci.component] : nullptr;
    if (!nested) return nullptr;
    Args args;
    for (const auto& a : ci.args) args.emplace_back(a.name, entityOf(f, a.item));
    std::vector<NamedEntity> exports;
    WASMOPS_TRY_VOID(run(*nested, &f, &args, depth + 1, nullptr, exports));
    auto& inst = g_.instances_.emplace_back();
    for (auto& x : exports) inst.exports.emplace_back(std::move(x.name), x.entity);
    return &inst;
  }

  void exportItem(Frame& f, const binary::ComponentExport& x, std::vector<NamedEntity>& exports) {
    Entity e = entityOf(f, x.item);
    switch (x.item.sort) {
      case Sort::Type: {
        const bool eq = x.desc && x.desc->kind == ComponentExternKind::Type && !x.desc->subResource;
        e.type = named(x.name.name, eq ? slot(*f.scope, x.desc->index) : e.type, x.offset);
        f.scope->types.push_back(e.type);
        break;
      }
      case Sort::Func:
        if (x.desc && x.desc->kind == ComponentExternKind::Func) e.type = slot(*f.scope, x.desc->index);
        f.funcs.push_back(e);
        break;
      case Sort::Instance: f.instances.push_back(e.instance); break;
      case Sort::Component:
        f.components.push_back(x.item.index < f.components.size() ? f.components[x.item.index] : nullptr);
        break;
      default: break;
    }
    exports.push_back({x.name.name, e, x.offset});
  }

  ComponentTypeGraph& g_;
  const TypeNode* unknown_ = nullptr;
};

Expected<std::unique_ptr<ComponentTypeGraph>> ComponentTypeGraph::build(const binary::Component& component) {
  auto g = std::unique_ptr<ComponentTypeGraph>(new ComponentTypeGraph());
  GraphBuilder b(*g);
  WASMOPS_TRY_VOID(b.run(component, nullptr, nullptr, 0, &g->imports, g->exports));
  return g;
}

const TypeNode* ComponentTypeGraph::definitionOf(const TypeNode* node) {
  // Bounded: an `eq` chain only points at earlier nodes, but stay safe.
  for (int i = 0; node && node->kind == TypeNode::Kind::Export && node->target && i < 10000; ++i) node = node->target;
  return node;
}

}  // namespace wasmops::component
