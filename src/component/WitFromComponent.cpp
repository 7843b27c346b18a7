#include "component/WitFromComponent.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "component/ComponentTypeGraph.h"

namespace wasmops::component {

using binary::ComponentValType;
using binary::DefinedKind;
using Kind = TypeNode::Kind;

namespace {

constexpr int kWorld = -1;     // owner of world-level types
constexpr int kMaxNesting = 100;  // of anonymous types (an unvalidated component may loop)

// An interface being rebuilt: a foreign one (`wasi:io/streams@0.2.6`) or an
// inline one in the world (`import bench: interface { ... }`).
struct InterfaceDraft {
  bool isInline = false;
  binary::InterfaceName id;  // foreign
  int package = -1;          // foreign: index into packages
  std::vector<wit::Use> uses;
  std::vector<wit::TypeDef> types;
  std::vector<wit::Function> functions;
  std::set<std::string> names;  // types and functions already filled (an interface imported and exported)
};

struct PackageDraft {
  wit::PackageName name;
  std::vector<int> interfaces;
};

// Who named a type identity first: the WIT name every later reference prints.
struct Naming {
  std::string name;
  int owner = kWorld;
};

class Decoder {
 public:
  Expected<wit::Document> decode(const ComponentTypeGraph& g) {
    wit::World world;
    world.name = "root";
    // Imports come before exports in every component wit-component writes;
    // keep each list in file order.
    for (const auto& imp : g.imports) WASMOPS_TRY_VOID(worldItem(world, imp, true));
    for (const auto& x : g.exports) WASMOPS_TRY_VOID(worldItem(world, x, false));

    wit::Document doc;
    wit::Package root;
    root.name = {"root", "component", ""};
    root.worlds.push_back(std::move(world));
    doc.packages.push_back(std::move(root));
    for (int p : packageOrder()) {
      wit::Package pkg;
      pkg.name = packages_[p].name;
      for (int i : packages_[p].interfaces) pkg.interfaces.push_back(finish(i));
      doc.packages.push_back(std::move(pkg));
    }
    return doc;
  }

 private:
  Expected<void> worldItem(wit::World& world, const NamedEntity& item, bool isImport) {
    wit::WorldItem w;
    w.isImport = isImport;
    w.name = item.name;
    w.at.offset = item.offset;
    switch (item.entity.kind) {
      case Entity::Kind::Instance: {
        if (!item.entity.instance)
          return makeErrorAt(ErrorCode::Invalid, item.offset, fmt::format("the type of instance `{}` is unknown", item.name));
        auto id = binary::splitInterfaceName(item.name);
        if (id.interface) {
          int iface = foreignInterface(id);
          WASMOPS_TRY_VOID(fill(iface, *item.entity.instance));
          w.kind = wit::WorldItem::Kind::InterfaceRef;
          w.path = {id.ns, id.package, id.version, id.name, {}};
        } else {
          int iface = static_cast<int>(interfaces_.size());
          interfaces_.emplace_back().isInline = true;
          WASMOPS_TRY_VOID(fill(iface, *item.entity.instance));
          w.kind = wit::WorldItem::Kind::InlineInterface;
          w.inlineInterface = finish(iface);
        }
        break;
      }
      case Entity::Kind::Func: {
        w.kind = wit::WorldItem::Kind::Function;
        WASMOPS_TRY(auto f, function(item.name, item.entity.type, item.offset));
        w.function = std::move(f.function);
        if (w.function.kind != wit::Function::Kind::Freestanding) {
          // A world-level resource function belongs to a world-level resource.
          std::vector<wit::TypeDef*> resources;
          for (auto& it : world.items)
            if (it.kind == wit::WorldItem::Kind::Type && it.type.kind == wit::TypeDef::Kind::Resource)
              resources.push_back(&it.type);
          if (!attachToResource(resources, f.resource, w.function))
            return makeErrorAt(ErrorCode::Invalid, item.offset,
                               fmt::format("function `{}` names a resource the world does not define", item.name));
          return {};
        }
        break;
      }
      case Entity::Kind::Type: {
        if (!isImport)
          return makeErrorAt(ErrorCode::Invalid, item.offset, fmt::format("component export `{}` is a type", item.name));
        std::optional<wit::Use> use;
        wit::TypeDef def;
        WASMOPS_TRY_VOID(typeExport(item.name, item.entity.type, kWorld, use, def));
        if (use) {
          w.kind = wit::WorldItem::Kind::Use;
          w.use = std::move(*use);
        } else {
          w.kind = wit::WorldItem::Kind::Type;
          w.type = std::move(def);
        }
        break;
      }
      case Entity::Kind::Other:
        if (isImport) return {};  // modules, components, values: not part of a WIT world
        return makeErrorAt(ErrorCode::Invalid, item.offset,
                           fmt::format("component export `{}` is not a function or an instance", item.name));
    }
    world.items.push_back(std::move(w));
    return {};
  }

  static bool attachToResource(const std::vector<wit::TypeDef*>& resources, const std::string& resource,
                               wit::Function& f) {
    for (auto* r : resources)
      if (r->name == resource) {
        r->functions.push_back(std::move(f));
        return true;
      }
    return false;
  }

  int foreignInterface(const binary::InterfaceName& id) {
    const std::string key = fmt::format("{}:{}/{}@{}", id.ns, id.package, id.name, id.version);
    if (auto it = byName_.find(key); it != byName_.end()) return it->second;
    const std::string pkgKey = fmt::format("{}:{}@{}", id.ns, id.package, id.version);
    int pkg;
    if (auto it = packageByName_.find(pkgKey); it != packageByName_.end()) {
      pkg = it->second;
    } else {
      pkg = static_cast<int>(packages_.size());
      packages_.push_back({{id.ns, id.package, id.version}, {}});
      packageByName_[pkgKey] = pkg;
    }
    int iface = static_cast<int>(interfaces_.size());
    auto& d = interfaces_.emplace_back();
    d.id = id;
    d.package = pkg;
    packages_[pkg].interfaces.push_back(iface);
    byName_[key] = iface;
    return iface;
  }

  // The interface's items from an instance's exports, in order. An
  // interface seen before (imported, then exported) only gains what it lacks.
  Expected<void> fill(int iface, const InstanceValue& inst) {
    for (const auto& [name, ent] : inst.exports) {
      if (interfaces_[iface].names.count(name)) {
        if (ent.kind == Entity::Kind::Type && ent.type && !naming_.count(ent.type)) naming_[ent.type] = {name, iface};
        continue;
      }
      switch (ent.kind) {
        case Entity::Kind::Type: {
          std::optional<wit::Use> use;
          wit::TypeDef def;
          WASMOPS_TRY_VOID(typeExport(name, ent.type, iface, use, def));
          auto& d = interfaces_[iface];
          if (use) {
            // Consecutive names from one interface share a statement, as wit-component prints them.
            if (!d.uses.empty() && wit::toString(d.uses.back().from) == wit::toString(use->from))
              d.uses.back().names.push_back(use->names.front());
            else
              d.uses.push_back(std::move(*use));
          } else {
            d.types.push_back(std::move(def));
          }
          break;
        }
        case Entity::Kind::Func: {
          WASMOPS_TRY(auto f, function(name, ent.type, ent.type ? ent.type->offset : 0));
          auto& d = interfaces_[iface];
          if (f.function.kind == wit::Function::Kind::Freestanding) {
            d.functions.push_back(std::move(f.function));
          } else {
            std::vector<wit::TypeDef*> resources;
            for (auto& t : d.types)
              if (t.kind == wit::TypeDef::Kind::Resource) resources.push_back(&t);
            const std::uint64_t at = f.function.at.offset;
            if (!attachToResource(resources, f.resource, f.function))
              return makeErrorAt(ErrorCode::Invalid, at,
                                 fmt::format("function `{}` names a resource its interface does not define", name));
          }
          break;
        }
        case Entity::Kind::Instance:
        case Entity::Kind::Other:
          return makeError(ErrorCode::Invalid, fmt::format("instance export `{}` is not a type or a function", name));
      }
      interfaces_[iface].names.insert(name);
    }
    return {};
  }

  const Naming* namingOf(const TypeNode* n) const {
    // Follows the `eq` chain: a type equal to a named one is a use or an alias of it.
    for (int i = 0; n && i < 10000; ++i) {
      if (auto it = naming_.find(n); it != naming_.end()) return &it->second;
      n = n->kind == Kind::Export ? n->target : nullptr;
    }
    return nullptr;
  }

  wit::UsePath pathFrom(int from, int to) const {
    const auto& src = interfaces_[from];
    if (to >= 0 && interfaces_[to].package == src.package && !interfaces_[to].isInline) return {"", "", "", src.id.name, {}};
    return {src.id.ns, src.id.package, src.id.version, src.id.name, {}};
  }

  // A type export named `name` in `owner`: a `use` of a type another
  // interface named, an alias of one this owner named, or a definition.
  Expected<void> typeExport(const std::string& name, const TypeNode* node, int owner, std::optional<wit::Use>& use,
                            wit::TypeDef& def) {
    if (!node) return makeError(ErrorCode::Invalid, fmt::format("type `{}` is unknown", name));
    def.name = name;
    def.at.offset = node->offset;
    const TypeNode* target = node->kind == Kind::Export ? node->target : node;
    const bool abstractResource = node->kind == Kind::Export && !node->target;
    if (const Naming* prev = abstractResource ? nullptr : namingOf(target)) {
      if (prev->owner != owner && prev->owner != kWorld && !interfaces_[prev->owner].isInline) {
        wit::Use u;
        u.from = pathFrom(prev->owner, owner);
        u.names.push_back({prev->name, prev->name == name ? "" : name, {}});
        u.at.offset = node->offset;
        use = std::move(u);
      } else {
        def.kind = wit::TypeDef::Kind::Alias;
        def.alias.kind = wit::Type::Kind::Named;
        def.alias.name = prev->name;
      }
      naming_[node] = {name, owner};
      return {};
    }
    const TypeNode* d = abstractResource ? node : ComponentTypeGraph::definitionOf(target);
    if (!d) return makeErrorAt(ErrorCode::Invalid, node->offset, fmt::format("type `{}` is unknown", name));
    if (d->kind == Kind::Resource || (d->kind == Kind::Export && !d->target)) {
      def.kind = wit::TypeDef::Kind::Resource;
    } else if (d->kind == Kind::Defined && d->def && d->scope) {
      WASMOPS_TRY_VOID(definition(*d, def));
    } else {
      return makeErrorAt(ErrorCode::Invalid, node->offset, fmt::format("type `{}` is not a value type or a resource", name));
    }
    // Every identity on the way to the definition now prints as `name`
    // (an instance built from inline exports refers to the definition itself).
    for (const TypeNode* n = node; n; n = n->kind == Kind::Export ? n->target : nullptr) {
      naming_.emplace(n, Naming{name, owner});
      if (n == d) break;
    }
    return {};
  }

  Expected<void> definition(const TypeNode& n, wit::TypeDef& def) {
    const auto& dv = n.def->defined;
    const TypeScope& s = *n.scope;
    switch (dv.kind) {
      case DefinedKind::Record:
        def.kind = wit::TypeDef::Kind::Record;
        for (const auto& f : dv.fields) {
          wit::Field field;
          field.name = f.label;
          WASMOPS_TRY_ASSIGN(field.type, valType(s, f.type, n.offset, 0));
          def.fields.push_back(std::move(field));
        }
        return {};
      case DefinedKind::Variant:
        def.kind = wit::TypeDef::Kind::Variant;
        for (const auto& c : dv.cases) {
          wit::Case cs;
          cs.name = c.label;
          if (c.type) WASMOPS_TRY_ASSIGN(cs.type, valType(s, *c.type, n.offset, 0));
          def.cases.push_back(std::move(cs));
        }
        return {};
      case DefinedKind::Enum:
      case DefinedKind::Flags:
        def.kind = dv.kind == DefinedKind::Enum ? wit::TypeDef::Kind::Enum : wit::TypeDef::Kind::Flags;
        for (const auto& l : dv.labels) def.cases.push_back({l, std::nullopt, "", {}});
        return {};
      default:
        def.kind = wit::TypeDef::Kind::Alias;
        WASMOPS_TRY_ASSIGN(def.alias, anonymous(n, 0));
        return {};
    }
  }

  Expected<wit::Type> valType(const TypeScope& s, const ComponentValType& t, std::uint64_t at, int depth) {
    if (t.isPrimitive) return primitive(t.primitive);
    const TypeNode* n = s.slot(t.index);
    if (!n) return makeErrorAt(ErrorCode::Invalid, at, fmt::format("type index {} does not resolve", t.index));
    return reference(n, at, depth);
  }

  static wit::Type primitive(binary::PrimValType p) {
    wit::Type w;
    w.kind = wit::Type::Kind::Primitive;
    w.primitive = p;
    return w;
  }

  // A type where it is used: its name if it has one, else spelled out.
  Expected<wit::Type> reference(const TypeNode* n, std::uint64_t at, int depth) {
    if (depth > kMaxNesting) return makeErrorAt(ErrorCode::Invalid, at, "types nest too deeply (a cycle?)");
    if (auto it = naming_.find(n); it != naming_.end()) {
      wit::Type w;
      w.kind = wit::Type::Kind::Named;
      w.name = it->second.name;
      return w;
    }
    if (n->kind == Kind::Export && n->target) return reference(n->target, at, depth + 1);
    if (n->kind != Kind::Defined || !n->def || !n->scope)
      return makeErrorAt(ErrorCode::Invalid, n->offset ? n->offset : at, "a function uses a type WIT cannot name");
    return anonymous(*n, depth + 1);
  }

  Expected<std::string> resourceName(const TypeScope& s, std::uint32_t index, std::uint64_t at) {
    const TypeNode* r = s.slot(index);
    if (const Naming* nm = r ? namingOf(r) : nullptr) return nm->name;
    return makeErrorAt(ErrorCode::Invalid, at, "a handle refers to a resource that has no name");
  }

  Expected<wit::Type> anonymous(const TypeNode& n, int depth) {
    const auto& d = n.def->defined;
    const TypeScope& s = *n.scope;
    const std::uint64_t at = n.offset;
    wit::Type w;
    auto arg = [&](const ComponentValType& t) -> Expected<void> {
      WASMOPS_TRY(wit::Type a, valType(s, t, at, depth + 1));
      w.args.push_back(std::move(a));
      return {};
    };
    switch (d.kind) {
      case DefinedKind::Primitive: return primitive(d.primitive);
      case DefinedKind::List:
      case DefinedKind::FixedList:
      case DefinedKind::Option:
        w.kind = d.kind == DefinedKind::List ? wit::Type::Kind::List
                 : d.kind == DefinedKind::Option ? wit::Type::Kind::Option : wit::Type::Kind::FixedList;
        w.length = d.length;
        if (!d.element) return makeErrorAt(ErrorCode::Invalid, at, "a list or option without an element type");
        WASMOPS_TRY_VOID(arg(*d.element));
        return w;
      case DefinedKind::Result:
        w.kind = wit::Type::Kind::Result;
        w.resultOk = d.element.has_value();
        w.resultErr = d.second.has_value();
        if (d.element) WASMOPS_TRY_VOID(arg(*d.element));
        if (d.second) WASMOPS_TRY_VOID(arg(*d.second));
        return w;
      case DefinedKind::Tuple:
        w.kind = wit::Type::Kind::Tuple;
        for (const auto& t : d.types) WASMOPS_TRY_VOID(arg(t));
        return w;
      case DefinedKind::Own:
      case DefinedKind::Borrow:
        w.kind = d.kind == DefinedKind::Own ? wit::Type::Kind::Own : wit::Type::Kind::Borrow;
        WASMOPS_TRY_ASSIGN(w.name, resourceName(s, d.resource, at));
        return w;
      case DefinedKind::Stream:
      case DefinedKind::Future:
        w.kind = d.kind == DefinedKind::Stream ? wit::Type::Kind::Stream : wit::Type::Kind::Future;
        if (d.element) WASMOPS_TRY_VOID(arg(*d.element));
        return w;
      case DefinedKind::Map:
        w.kind = wit::Type::Kind::Map;
        if (!d.element || !d.second) return makeErrorAt(ErrorCode::Invalid, at, "a map without key and value types");
        WASMOPS_TRY_VOID(arg(*d.element));
        WASMOPS_TRY_VOID(arg(*d.second));
        return w;
      case DefinedKind::Record:
      case DefinedKind::Variant:
      case DefinedKind::Enum:
      case DefinedKind::Flags:
        return makeErrorAt(ErrorCode::Invalid, at, fmt::format("an unnamed {} type (WIT names every {})",
                                                               binary::toString(d.kind), binary::toString(d.kind)));
    }
    return makeErrorAt(ErrorCode::Invalid, at, "unknown defined type");
  }

  struct DecodedFunction {
    wit::Function function;
    std::string resource;  // constructors, methods, statics: the resource it belongs to
  };

  // `[method]counter.peek` and friends: the function's WIT name and kind.
  Expected<DecodedFunction> function(const std::string& name, const TypeNode* type, std::uint64_t at) {
    const TypeNode* t = type;
    while (t && t->kind == Kind::Export && t->target) t = t->target;
    if (!t || t->kind != Kind::Func || !t->def || !t->scope)
      return makeErrorAt(ErrorCode::Invalid, at, fmt::format("the type of function `{}` is unknown", name));
    const auto& ft = t->def->func;
    wit::Function f;
    f.async = ft.async;
    f.at.offset = t->offset;
    std::string rest = name;
    auto take = [&](const char* prefix) {
      const std::string p = prefix;
      if (rest.rfind(p, 0) != 0) return false;
      rest = rest.substr(p.size());
      return true;
    };
    std::string resource;
    if (take("[constructor]")) {
      f.kind = wit::Function::Kind::Constructor;
      resource = rest;
      f.name = rest;
    } else if (take("[method]") || take("[async method]")) {
      f.kind = wit::Function::Kind::Method;
    } else if (take("[static]") || take("[async static]")) {
      f.kind = wit::Function::Kind::Static;
    } else {
      take("[async]");
      f.name = rest;
    }
    if (f.kind == wit::Function::Kind::Method || f.kind == wit::Function::Kind::Static) {
      auto dot = rest.find('.');
      if (dot == std::string::npos)
        return makeErrorAt(ErrorCode::Invalid, at, fmt::format("function name `{}` has no resource", name));
      resource = rest.substr(0, dot);
      f.name = rest.substr(dot + 1);
    }
    const std::size_t skip = f.kind == wit::Function::Kind::Method && !ft.params.empty() ? 1 : 0;
    for (std::size_t i = skip; i < ft.params.size(); ++i) {
      wit::Param p;
      p.name = ft.params[i].label;
      WASMOPS_TRY_ASSIGN(p.type, valType(*t->scope, ft.params[i].type, t->offset, 0));
      f.params.push_back(std::move(p));
    }
    if (ft.result) {
      WASMOPS_TRY(wit::Type r, valType(*t->scope, *ft.result, t->offset, 0));
      // `constructor(...)` returns its own resource without saying so.
      const bool shorthand = f.kind == wit::Function::Kind::Constructor &&
                             (r.kind == wit::Type::Kind::Own || r.kind == wit::Type::Kind::Named) && r.name == resource;
      if (!shorthand) f.result = std::move(r);
    }
    return DecodedFunction{std::move(f), std::move(resource)};
  }

  wit::Interface finish(int i) {
    auto& d = interfaces_[i];
    wit::Interface out;
    out.name = d.isInline ? "" : d.id.name;
    for (auto& u : d.uses) out.items.emplace_back(u);
    for (auto& t : d.types) out.items.emplace_back(t);
    for (auto& f : d.functions) out.items.emplace_back(f);
    return out;
  }

  // Dependencies before dependents, otherwise first seen first, as
  // wit-component orders the packages it decodes.
  std::vector<int> packageOrder() const {
    std::vector<int> order;
    std::vector<char> state(packages_.size(), 0);
    auto visit = [&](auto& self, int p) -> void {
      if (state[p]) return;
      state[p] = 1;
      for (int i : packages_[p].interfaces)
        for (const auto& u : interfaces_[i].uses)
          if (!u.from.ns.empty()) {
            auto it = packageByName_.find(fmt::format("{}:{}@{}", u.from.ns, u.from.package, u.from.version));
            if (it != packageByName_.end() && it->second != p) self(self, it->second);
          }
      order.push_back(p);
    };
    for (int p = 0; p < static_cast<int>(packages_.size()); ++p) visit(visit, p);
    return order;
  }

  std::vector<InterfaceDraft> interfaces_;
  std::vector<PackageDraft> packages_;
  std::map<std::string, int> byName_, packageByName_;
  std::map<const TypeNode*, Naming> naming_;
};

}  // namespace

Expected<wit::Document> witOfComponent(const binary::Component& component) {
  WASMOPS_TRY(auto graph, ComponentTypeGraph::build(component));
  Decoder d;
  return d.decode(*graph);
}

}  // namespace wasmops::component
