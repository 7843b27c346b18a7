#include "binary/ComponentWorld.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>

#include "binary/DefinitionOrder.h"

namespace wasmops::binary {
namespace {

struct Scope;

struct TypeSlot {
  const ComponentTypeDef* def = nullptr;  // null: imported, aliased, or not resolvable
  const Scope* scope = nullptr;           // where the indices inside `def` are interpreted
  std::string name;                       // from the import, export or alias that made the index
};

// A type index space: the component's, or that of an instance type (whose
// declarators start from an empty space and reach outward through aliases).
struct Scope {
  const Scope* parent = nullptr;
  std::vector<TypeSlot> types;
  std::map<std::string, std::uint32_t> funcExports;  // instance types: exported func name -> local type index

  const TypeSlot* slot(std::uint32_t index) const { return index < types.size() ? &types[index] : nullptr; }
  const Scope* outer(std::uint32_t count) const {
    const Scope* s = this;
    for (std::uint32_t i = 0; i < count && s; ++i) s = s->parent;
    return s;
  }
};

// A function's type: an index into `scope`'s type space.
struct FuncRef {
  std::optional<std::uint32_t> type;
  const Scope* scope = nullptr;
};

// The component-level index spaces (types, functions, instances), in
// definition order (sections interleave, so items are replayed by file
// offset), plus the scopes of the instance types that imports refer to.
class IndexSpaces {
 public:
  explicit IndexSpaces(const Component& c) {
    for (const auto& e : definitionOrder(c)) {
      switch (e.kind) {
        case DefinitionKind::Type: top.types.push_back({&c.types[e.index], &top, ""}); break;
        case DefinitionKind::Import: {
          const auto& imp = c.imports[e.index];
          switch (imp.desc.kind) {
            case ComponentExternKind::Type: {
              TypeSlot s = imp.desc.subResource ? TypeSlot{} : slotOf(top, imp.desc.index);
              s.name = imp.name.name;
              top.types.push_back(s);
              break;
            }
            case ComponentExternKind::Func: funcs.push_back({imp.desc.index, &top}); break;
            case ComponentExternKind::Instance: instances.push_back(instanceScope(top.slot(imp.desc.index))); break;
            default: break;
          }
          break;
        }
        case DefinitionKind::Alias: {
          const auto& a = c.aliases[e.index];
          const bool fromInstance = a.target == ComponentAlias::Target::InstanceExport;
          const Scope* inst = fromInstance && a.instance < instances.size() ? instances[a.instance] : nullptr;
          if (a.sort == Sort::Type) top.types.push_back({nullptr, nullptr, a.target == ComponentAlias::Target::Outer ? "" : a.name});
          if (a.sort == Sort::Func) {
            FuncRef f;
            if (inst)
              if (auto it = inst->funcExports.find(a.name); it != inst->funcExports.end()) f = {it->second, inst};
            funcs.push_back(f);
          }
          if (a.sort == Sort::Instance) instances.push_back(nullptr);
          break;
        }
        case DefinitionKind::Canon:
          if (c.canons[e.index].kind == CanonFunc::Kind::Lift) funcs.push_back({c.canons[e.index].type, &top});
          break;
        case DefinitionKind::Instance: instances.push_back(nullptr); break;
        case DefinitionKind::Export: {
          const auto& x = c.exports[e.index];
          if (x.item.sort == Sort::Type) {
            TypeSlot s = slotOf(top, x.item.index);
            s.name = x.name.name;
            top.types.push_back(s);
          }
          if (x.item.sort == Sort::Func) {
            if (x.desc && x.desc->kind == ComponentExternKind::Func) funcs.push_back({x.desc->index, &top});
            else funcs.push_back(func(x.item.index));
          }
          if (x.item.sort == Sort::Instance)
            instances.push_back(x.item.index < instances.size() ? instances[x.item.index] : nullptr);
          break;
        }
        default: break;  // core items and values add to no space read here
      }
    }
  }

  FuncRef func(std::uint32_t index) const { return index < funcs.size() ? funcs[index] : FuncRef{}; }

  Scope top;
  std::vector<FuncRef> funcs;
  std::vector<const Scope*> instances;  // the instance type's scope, when known

 private:
  static TypeSlot slotOf(const Scope& s, std::uint32_t index) {
    const auto* slot = s.slot(index);
    return slot ? *slot : TypeSlot{};
  }

  // The scope of an instance type, built once per type definition.
  const Scope* instanceScope(const TypeSlot* slot) {
    if (!slot || !slot->def || slot->def->kind != ComponentTypeKind::Instance) return nullptr;
    if (auto it = built_.find(slot->def); it != built_.end()) return it->second;
    auto& s = scopes_.emplace_back();
    s.parent = slot->scope;
    for (const auto& d : slot->def->decls) {
      switch (d.kind) {
        case TypeDecl::Kind::Type: s.types.push_back({d.type.get(), &s, ""}); break;
        case TypeDecl::Kind::Alias:
          if (d.alias.sort != Sort::Type) break;
          if (d.alias.target == ComponentAlias::Target::Outer) {
            const Scope* o = s.outer(d.alias.outerCount);
            s.types.push_back(o ? slotOf(*o, d.alias.outerIndex) : TypeSlot{});
          } else {
            s.types.push_back({nullptr, nullptr, d.alias.name});
          }
          break;
        case TypeDecl::Kind::Export:
        case TypeDecl::Kind::Import:
          if (d.desc.kind == ComponentExternKind::Type) {
            TypeSlot t = d.desc.subResource ? TypeSlot{} : slotOf(s, d.desc.index);
            t.name = d.name.name;
            s.types.push_back(t);
          }
          if (d.desc.kind == ComponentExternKind::Func) s.funcExports[d.name.name] = d.desc.index;
          break;
        case TypeDecl::Kind::CoreType: break;
      }
    }
    built_[slot->def] = &s;
    return &s;
  }

  std::deque<Scope> scopes_;  // deque: scopes point at each other, so they must not move
  std::map<const ComponentTypeDef*, const Scope*> built_;
};

// Rendering stops this deep: indices in an unvalidated component may form cycles.
constexpr int kMaxDepth = 8;

std::string valType(const Scope& s, const ComponentValType& t, int depth);

std::string optionalList(const Scope& s, const char* head, const std::optional<ComponentValType>& t, int depth) {
  return t ? fmt::format("{}<{}>", head, valType(s, *t, depth)) : std::string(head);
}

std::string defined(const Scope& s, const DefinedValType& d, int depth) {
  switch (d.kind) {
    case DefinedKind::Primitive: return toString(d.primitive);
    case DefinedKind::List: return fmt::format("list<{}>", valType(s, *d.element, depth));
    case DefinedKind::FixedList: return fmt::format("list<{}, {}>", valType(s, *d.element, depth), d.length);
    case DefinedKind::Option: return fmt::format("option<{}>", valType(s, *d.element, depth));
    case DefinedKind::Result:
      if (!d.element && !d.second) return "result";
      if (!d.second) return fmt::format("result<{}>", valType(s, *d.element, depth));
      return fmt::format("result<{}, {}>", d.element ? valType(s, *d.element, depth) : "_", valType(s, *d.second, depth));
    case DefinedKind::Tuple: {
      std::string out = "tuple<";
      for (std::size_t i = 0; i < d.types.size(); ++i) out += (i ? ", " : "") + valType(s, d.types[i], depth);
      return out + ">";
    }
    case DefinedKind::Own: return valType(s, ComponentValType{false, PrimValType::Bool, d.resource}, depth);
    case DefinedKind::Borrow:
      return fmt::format("borrow<{}>", valType(s, ComponentValType{false, PrimValType::Bool, d.resource}, depth));
    case DefinedKind::Stream: return optionalList(s, "stream", d.element, depth);
    case DefinedKind::Future: return optionalList(s, "future", d.element, depth);
    case DefinedKind::Map: return fmt::format("map<{}, {}>", valType(s, *d.element, depth), valType(s, *d.second, depth));
    case DefinedKind::Record:
    case DefinedKind::Variant:
    case DefinedKind::Enum:
    case DefinedKind::Flags: return toString(d.kind);  // anonymous: WIT always names these
  }
  return "?";
}

std::string valType(const Scope& s, const ComponentValType& t, int depth) {
  if (t.isPrimitive) return toString(t.primitive);
  const auto* slot = s.slot(t.index);
  if (slot && !slot->name.empty()) return slot->name;
  if (!slot || !slot->def || !slot->scope || slot->def->kind != ComponentTypeKind::Defined || depth >= kMaxDepth)
    return fmt::format("type {}", t.index);
  return defined(*slot->scope, slot->def->defined, depth + 1);
}

std::string funcType(const FuncRef& f) {
  if (!f.type || !f.scope) return "";
  const auto* slot = f.scope->slot(*f.type);
  if (!slot || !slot->def || !slot->scope || slot->def->kind != ComponentTypeKind::Func) return "";
  const auto& ft = slot->def->func;
  const Scope& s = *slot->scope;
  std::string out = ft.async ? "async func(" : "func(";
  for (std::size_t i = 0; i < ft.params.size(); ++i)
    out += fmt::format("{}{}: {}", i ? ", " : "", ft.params[i].label, valType(s, ft.params[i].type, 0));
  out += ")";
  if (ft.result) out += " -> " + valType(s, *ft.result, 0);
  return out;
}

const char* sortKind(Sort sort) { return sort == Sort::CoreModule ? "module" : toString(sort); }

}  // namespace

ComponentWorld describeWorld(const Component& c) {
  IndexSpaces spaces(c);
  ComponentWorld w;
  for (const auto& imp : c.imports) {
    WorldItem item;
    item.name = imp.name.name;
    item.interfaceName = splitInterfaceName(item.name);
    item.kind = toString(imp.desc.kind);
    if (!(imp.desc.kind == ComponentExternKind::Type && imp.desc.subResource) &&
        !(imp.desc.kind == ComponentExternKind::Value && !imp.desc.valueEq))
      item.typeIndex = imp.desc.index;
    if (imp.desc.kind == ComponentExternKind::Func) item.type = funcType({imp.desc.index, &spaces.top});
    if (imp.desc.kind == ComponentExternKind::Type && imp.desc.subResource) item.type = "resource";
    item.offset = imp.offset;
    w.imports.push_back(std::move(item));
  }
  for (const auto& x : c.exports) {
    WorldItem item;
    item.name = x.name.name;
    item.interfaceName = splitInterfaceName(item.name);
    item.kind = sortKind(x.item.sort);
    item.index = x.item.index;
    if (x.desc) item.typeIndex = x.desc->index;
    if (x.item.sort == Sort::Func) {
      FuncRef f = x.desc ? FuncRef{x.desc->index, &spaces.top} : spaces.func(x.item.index);
      // A type index is only reported in the component's own type space.
      if (!item.typeIndex && f.scope == &spaces.top) item.typeIndex = f.type;
      item.type = funcType(f);
    }
    item.offset = x.offset;
    w.exports.push_back(std::move(item));
  }
  return w;
}

}  // namespace wasmops::binary
