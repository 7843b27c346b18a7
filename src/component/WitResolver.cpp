#include "component/WitResolver.h"

#include <map>
#include <set>
#include <utility>

namespace wasmops::component::wit {
namespace {

std::string where(const Location& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

// What a name in an interface or world scope stands for.
struct Symbol {
  bool isType = false;  // false: a function
  bool isResource = false;
  bool containsBorrow = false;
  Location at;
};

using Scope = std::map<std::string, Symbol>;

struct PackageEntry {
  Package package;
  // Top-level `use` names, per file (a nested package block counts as its own file).
  std::map<std::string, std::map<std::string, TopLevelUse>> fileUses;
};

// One interface to resolve: a package's named one or a world's inline one.
struct InterfaceNode {
  const Interface* iface = nullptr;
  std::size_t package = 0;
  std::vector<std::size_t> deps;  // nodes its `use`s name
  Scope scope;
  bool resolved = false;
};

class Resolver {
 public:
  WitCheck run(std::vector<PackageSources> groups) {
    for (std::size_t g = 0; g < groups.size(); ++g) mergeGroup(groups[g]);
    if (diags_.empty()) {
      indexPackages();
      checkPackageItems();
      collectInterfaces();
      resolveInterfaceUses();
      orderAndResolveInterfaces();
      for (std::size_t p = 0; p < packages_.size(); ++p)
        for (const World& w : packages_[p].package.worlds) resolveWorld(p, w);
    }
    WitCheck out;
    for (auto& entry : packages_) out.document.packages.push_back(std::move(entry.package));
    out.diagnostics = std::move(diags_);
    return out;
  }

 private:
  void error(const Location& at, std::string message) { diags_.push_back(Diagnostic{at, std::move(message)}); }

  // The files of one group make one package; their nested blocks make more.
  void mergeGroup(PackageSources& group) {
    PackageEntry root;
    const PackageBody* declaredBy = nullptr;
    for (WitFile& file : group.files) {
      PackageBody& body = file.root;
      if (body.declared) {
        if (!declaredBy) {
          declaredBy = &body;
          root.package.name = body.package.name;
          root.package.at = body.package.at;
        } else if (toString(body.package.name) != toString(declaredBy->package.name)) {
          error(body.package.at, "package `" + toString(body.package.name) + "` does not match package `" +
                                     toString(declaredBy->package.name) + "` declared at " +
                                     where(declaredBy->package.at) + " (the files of a folder are one package)");
        }
      }
      for (auto& i : body.package.interfaces) root.package.interfaces.push_back(std::move(i));
      for (auto& w : body.package.worlds) root.package.worlds.push_back(std::move(w));
      addUses(root, file.file, body.uses);
      for (PackageBody& nested : file.nested) {
        PackageEntry entry;
        entry.package = std::move(nested.package);
        addUses(entry, file.file, nested.uses);
        packages_.push_back(std::move(entry));
      }
    }
    if (!declaredBy) {
      bool hasItems = !root.package.interfaces.empty() || !root.package.worlds.empty();
      if (hasItems || group.files.empty() || packages_.empty()) {
        Location at{group.files.empty() ? group.where : group.files.front().file, 1, 1, 0};
        if (hasItems) at = !root.package.interfaces.empty() ? root.package.interfaces.front().at
                                                              : root.package.worlds.front().at;
        error(at, "no `package` declaration in " + (group.files.size() == 1 ? std::string("this file")
                                                                             : "any .wit file of `" + group.where + "`"));
      }
      return;
    }
    packages_.insert(packages_.end() - static_cast<std::ptrdiff_t>(nestedSince(group)), std::move(root));
  }

  // How many packages the group's nested blocks added (they follow their root).
  static std::size_t nestedSince(const PackageSources& group) {
    std::size_t n = 0;
    for (const WitFile& f : group.files) n += f.nested.size();
    return n;
  }

  void addUses(PackageEntry& entry, const std::string& file, std::vector<TopLevelUse>& uses) {
    auto& names = entry.fileUses[file];
    for (TopLevelUse& use : uses) {
      std::string name = use.as.empty() ? use.path.interface : use.as;
      if (auto it = names.find(name); it != names.end()) {
        error(use.at, "name `" + name + "` is defined more than once (first at " + where(it->second.at) + ")");
        continue;
      }
      names.emplace(std::move(name), std::move(use));
    }
  }

  void indexPackages() {
    for (std::size_t p = 0; p < packages_.size(); ++p) {
      std::string key = toString(packages_[p].package.name);
      auto [it, fresh] = byName_.emplace(key, p);
      if (!fresh)
        error(packages_[p].package.at, "package `" + key + "` is defined more than once (first at " +
                                           where(packages_[it->second].package.at) + ")");
    }
  }

  // Interfaces and worlds share one namespace per package; top-level `use`
  // names may not shadow them.
  void checkPackageItems() {
    for (PackageEntry& entry : packages_) {
      std::map<std::string, Location> seen;
      auto define = [&](const std::string& name, const Location& at, const char* what) {
        auto [it, fresh] = seen.emplace(name, at);
        if (!fresh) error(at, std::string(what) + " `" + name + "` is defined more than once (first at " +
                                  where(it->second) + ")");
      };
      for (const Interface& i : entry.package.interfaces) define(i.name, i.at, "interface");
      for (const World& w : entry.package.worlds) define(w.name, w.at, "world");
      for (const auto& [file, uses] : entry.fileUses)
        for (const auto& [name, use] : uses)
          if (auto it = seen.find(name); it != seen.end())
            error(use.at, "name `" + name + "` is already defined at " + where(it->second));
    }
  }

  struct Found {
    std::size_t package = 0;
    const Interface* iface = nullptr;
    const World* world = nullptr;
  };

  // A use path as written in `file` of `package`, to an interface or a world.
  std::optional<Found> lookup(std::size_t package, const UsePath& path, bool wantWorld) {
    const char* what = wantWorld ? "world" : "interface";
    std::size_t target = package;
    std::string name = path.interface;
    if (path.ns.empty()) {
      const PackageEntry& entry = packages_[package];
      if (!wantWorld) {
        auto fileIt = entry.fileUses.find(path.at.file);
        if (fileIt != entry.fileUses.end()) {
          if (auto it = fileIt->second.find(name); it != fileIt->second.end()) {
            if (it->second.path.ns.empty()) {
              name = it->second.path.interface;
            } else {
              UsePath full = it->second.path;
              full.at = path.at;
              return lookup(package, full, wantWorld);
            }
          }
        }
      }
    } else {
      PackageName pn{path.ns, path.package, path.version};
      auto it = byName_.find(toString(pn));
      if (it == byName_.end()) {
        std::string known;
        for (const auto& [key, index] : byName_)
          if (key == path.ns + ":" + path.package || key.rfind(path.ns + ":" + path.package + "@", 0) == 0)
            known += (known.empty() ? "" : ", ") + ("`" + key + "`");
        error(path.at, "package `" + toString(pn) + "` not found" +
                           (known.empty() ? std::string(" (no deps/ entry declares it)") : " (found " + known + ")"));
        return std::nullopt;
      }
      target = it->second;
    }
    const Package& pkg = packages_[target].package;
    for (const Interface& i : pkg.interfaces)
      if (i.name == name) {
        if (wantWorld) {
          error(path.at, "`" + name + "` is an interface, not a world");
          return std::nullopt;
        }
        return Found{target, &i, nullptr};
      }
    for (const World& w : pkg.worlds)
      if (w.name == name) {
        if (!wantWorld) {
          error(path.at, "`" + name + "` is a world, not an interface");
          return std::nullopt;
        }
        return Found{target, nullptr, &w};
      }
    error(path.at, std::string(what) + " `" + name + "` not found in package `" + toString(pkg.name) + "`");
    return std::nullopt;
  }

  void collectInterfaces() {
    for (std::size_t p = 0; p < packages_.size(); ++p) {
      for (const Interface& i : packages_[p].package.interfaces) {
        nodeOf_[&i] = nodes_.size();
        nodes_.push_back(InterfaceNode{&i, p, {}, {}, false});
      }
      for (const World& w : packages_[p].package.worlds)
        for (const WorldItem& item : w.items)
          if (item.kind == WorldItem::Kind::InlineInterface) {
            nodeOf_[&item.inlineInterface] = nodes_.size();
            nodes_.push_back(InterfaceNode{&item.inlineInterface, p, {}, {}, false});
          }
    }
  }

  void resolveInterfaceUses() {
    for (InterfaceNode& node : nodes_)
      for (const InterfaceItem& item : node.iface->items)
        if (const Use* use = std::get_if<Use>(&item)) {
          auto found = lookup(node.package, use->from, false);
          usesTarget_[use] = found ? nodeOf_[found->iface] : kNone;
          if (found) node.deps.push_back(nodeOf_[found->iface]);
        }
  }

  // Kahn's algorithm, so that a long chain of uses cannot exhaust the stack.
  void orderAndResolveInterfaces() {
    std::vector<std::size_t> pending(nodes_.size());
    std::vector<std::vector<std::size_t>> users(nodes_.size());
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      pending[n] = nodes_[n].deps.size();
      for (std::size_t d : nodes_[n].deps) users[d].push_back(n);
    }
    std::vector<std::size_t> ready;
    for (std::size_t n = 0; n < nodes_.size(); ++n)
      if (pending[n] == 0) ready.push_back(n);
    while (!ready.empty()) {
      std::size_t n = ready.back();
      ready.pop_back();
      resolveInterface(nodes_[n]);
      for (std::size_t u : users[n])
        if (--pending[u] == 0) ready.push_back(u);
    }
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      if (nodes_[n].resolved) continue;
      // Point at the first use that leads back into the cycle.
      for (const InterfaceItem& item : nodes_[n].iface->items)
        if (const Use* use = std::get_if<Use>(&item); use && usesTarget_[use] != kNone &&
                                                      !nodes_[usesTarget_[use]].resolved) {
          error(use->from.at, "interface `" + describeInterface(nodes_[n]) + "` depends on itself: its `use` of `" +
                                  toString(use->from) + "` leads back to it");
          break;
        }
    }
  }

  std::string describeInterface(const InterfaceNode& node) const {
    return node.iface->name.empty() ? std::string("(inline)") : node.iface->name;
  }

  // Adds a `use`'s names to `scope`, from an interface already resolved.
  void applyUse(const Use& use, std::size_t target, Scope& scope) {
    for (const UseName& n : use.names) {
      Symbol sym;
      if (target != kNone) {
        const InterfaceNode& from = nodes_[target];
        auto it = from.scope.find(n.name);
        if (it == from.scope.end() || !it->second.isType) {
          error(n.at, it == from.scope.end()
                          ? "type `" + n.name + "` not found in interface `" + toString(use.from) + "`"
                          : "`" + n.name + "` in interface `" + toString(use.from) + "` is a function, not a type");
          sym = unknownType();
        } else {
          sym = it->second;
        }
      } else {
        sym = unknownType();
      }
      sym.at = n.at;
      define(scope, n.as.empty() ? n.name : n.as, sym);
    }
  }

  // What an unresolved name stands for: anything, so that its uses raise no second error.
  static Symbol unknownType() { return Symbol{true, true, false, {}}; }

  void define(Scope& scope, const std::string& name, const Symbol& sym) {
    auto [it, fresh] = scope.emplace(name, sym);
    if (!fresh) error(sym.at, "name `" + name + "` is defined more than once (first at " + where(it->second.at) + ")");
  }

  void resolveInterface(InterfaceNode& node) {
    node.resolved = true;
    std::vector<const TypeDef*> defs;
    for (const InterfaceItem& item : node.iface->items) {
      if (const Use* use = std::get_if<Use>(&item)) applyUse(*use, usesTarget_[use], node.scope);
      if (const TypeDef* def = std::get_if<TypeDef>(&item)) {
        defs.push_back(def);
        define(node.scope, def->name, Symbol{true, def->kind == TypeDef::Kind::Resource, false, def->at});
      }
      if (const Function* f = std::get_if<Function>(&item)) define(node.scope, f->name, Symbol{false, false, false, f->at});
    }
    resolveTypeDefs(defs, node.scope);
    for (const InterfaceItem& item : node.iface->items)
      if (const Function* f = std::get_if<Function>(&item)) checkFunction(*f, node.scope, nullptr);
  }

  // The named types a type mentions, outside handles.
  static void namesIn(const Type& t, std::vector<const Type*>& out) {
    if (t.kind == Type::Kind::Named || t.kind == Type::Kind::Own || t.kind == Type::Kind::Borrow) out.push_back(&t);
    for (const Type& a : t.args) namesIn(a, out);
  }

  static std::vector<const Type*> typesOf(const TypeDef& def) {
    std::vector<const Type*> out;
    if (def.kind == TypeDef::Kind::Alias) namesIn(def.alias, out);
    for (const Field& f : def.fields) namesIn(f.type, out);
    for (const Case& c : def.cases)
      if (c.type) namesIn(*c.type, out);
    return out;
  }

  // Checks the names a type mentions; true when it holds a borrow.
  bool checkType(const Type& t, const Scope& scope) {
    bool borrow = t.kind == Type::Kind::Borrow;
    if (t.kind == Type::Kind::Named || t.kind == Type::Kind::Own || t.kind == Type::Kind::Borrow) {
      auto it = scope.find(t.name);
      if (it == scope.end()) {
        error(t.at, "type `" + t.name + "` does not exist");
      } else if (!it->second.isType) {
        error(t.at, "`" + t.name + "` is a function, not a type");
      } else {
        if (t.kind != Type::Kind::Named && !it->second.isResource)
          error(t.at, std::string(t.kind == Type::Kind::Borrow ? "borrow" : "own") + "<" + t.name +
                          ">: `" + t.name + "` is not a resource");
        borrow = borrow || it->second.containsBorrow;
      }
    }
    if (t.kind == Type::Kind::Map && !t.args.empty() && t.args[0].kind != Type::Kind::Primitive)
      error(t.args[0].at, "a map's key is a primitive type other than f32 or f64");
    if (t.kind == Type::Kind::Map && !t.args.empty() && t.args[0].kind == Type::Kind::Primitive &&
        (t.args[0].primitive == binary::PrimValType::F32 || t.args[0].primitive == binary::PrimValType::F64))
      error(t.args[0].at, "a map's key is a primitive type other than f32 or f64");
    for (const Type& a : t.args) borrow = checkType(a, scope) || borrow;
    return borrow;
  }

  // Orders the type definitions of one scope by what they mention (a cycle
  // is an error), then fills in resource-ness and borrows in that order.
  void resolveTypeDefs(const std::vector<const TypeDef*>& defs, Scope& scope) {
    std::map<std::string, std::size_t> local;
    for (std::size_t i = 0; i < defs.size(); ++i) local.emplace(defs[i]->name, i);
    std::vector<std::vector<std::size_t>> users(defs.size());
    std::vector<std::size_t> pending(defs.size(), 0);
    for (std::size_t i = 0; i < defs.size(); ++i)
      for (const Type* t : typesOf(*defs[i]))
        if (auto it = local.find(t->name); it != local.end() && scope.at(t->name).at.offset == defs[it->second]->at.offset &&
                                           scope.at(t->name).at.file == defs[it->second]->at.file) {
          users[it->second].push_back(i);
          ++pending[i];
        }
    std::vector<std::size_t> ready;
    std::vector<bool> done(defs.size(), false);
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (pending[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
      std::size_t i = ready.back();
      ready.pop_back();
      done[i] = true;
      resolveTypeDef(*defs[i], scope);
      for (std::size_t u : users[i])
        if (--pending[u] == 0) ready.push_back(u);
    }
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (!done[i]) error(defs[i]->at, "type `" + defs[i]->name + "` depends on itself");
    // Methods may name any resource of the scope, so they wait for all of them.
    for (const TypeDef* def : defs)
      for (const Function& f : def->functions) checkFunction(f, scope, def);
  }

  void resolveTypeDef(const TypeDef& def, Scope& scope) {
    auto it = scope.find(def.name);
    bool mine = it != scope.end() && it->second.at.offset == def.at.offset && it->second.at.file == def.at.file;
    Symbol sym{true, def.kind == TypeDef::Kind::Resource, false, def.at};
    auto unique = [&](const std::string& name, const Location& at, std::map<std::string, Location>& seen,
                      const char* what) {
      auto [s, fresh] = seen.emplace(name, at);
      if (!fresh) error(at, std::string(what) + " `" + name + "` is defined more than once (first at " +
                                where(s->second) + ")");
    };
    std::map<std::string, Location> seen;
    switch (def.kind) {
      case TypeDef::Kind::Alias:
        sym.containsBorrow = checkType(def.alias, scope);
        if (def.alias.kind == Type::Kind::Named)
          if (auto target = scope.find(def.alias.name); target != scope.end()) sym.isResource = target->second.isResource;
        break;
      case TypeDef::Kind::Record:
        if (def.fields.empty()) error(def.at, "record `" + def.name + "` has no fields");
        for (const Field& f : def.fields) {
          unique(f.name, f.at, seen, "field");
          sym.containsBorrow = checkType(f.type, scope) || sym.containsBorrow;
        }
        break;
      case TypeDef::Kind::Variant:
      case TypeDef::Kind::Enum:
      case TypeDef::Kind::Flags: {
        const char* kind = def.kind == TypeDef::Kind::Variant ? "variant" : def.kind == TypeDef::Kind::Enum ? "enum" : "flags";
        if (def.cases.empty()) error(def.at, std::string(kind) + " `" + def.name + "` has no cases");
        if (def.kind == TypeDef::Kind::Flags && def.cases.size() > 32)
          error(def.at, "flags `" + def.name + "` has more than 32 flags");
        for (const Case& c : def.cases) {
          unique(c.name, c.at, seen, def.kind == TypeDef::Kind::Flags ? "flag" : "case");
          if (c.type) sym.containsBorrow = checkType(*c.type, scope) || sym.containsBorrow;
        }
        break;
      }
      case TypeDef::Kind::Resource: {
        bool constructor = false;
        for (const Function& f : def.functions) {
          if (f.kind == Function::Kind::Constructor) {
            if (constructor) error(f.at, "resource `" + def.name + "` has more than one constructor");
            constructor = true;
          } else {
            unique(f.name, f.at, seen, "function");
          }
        }
        break;
      }
    }
    if (mine) it->second = sym;
  }

  void checkFunction(const Function& f, const Scope& scope, const TypeDef* resource) {
    std::map<std::string, Location> seen;
    if (resource && f.kind == Function::Kind::Method) seen.emplace("self", f.at);
    for (const Param& p : f.params) {
      auto [it, fresh] = seen.emplace(p.name, p.at);
      if (!fresh) error(p.at, "parameter `" + p.name + "` is defined more than once" +
                                  (p.name == "self" && it->second.offset == f.at.offset ? " (methods have an implicit `self`)"
                                                                                        : ""));
      checkType(p.type, scope);
    }
    if (f.result) {
      bool borrow = checkType(*f.result, scope);
      if (borrow) error(f.result->at, "function `" + f.name + "` returns a `borrow<...>`: borrowed handles may only be parameters");
      if (f.kind == Function::Kind::Constructor) {
        const Type& r = *f.result;
        bool ok = r.kind == Type::Kind::Result && r.resultOk && r.args[0].kind == Type::Kind::Named &&
                  r.args[0].name == resource->name;
        if (!ok) error(r.at, "a constructor of `" + resource->name + "` returns `result<" + resource->name + ", E>` or nothing");
      }
    }
  }

  // Imports and exports are each one namespace; world-level types and `use`d
  // names are imports.
  void resolveWorld(std::size_t package, const World& world) {
    Scope scope;
    std::vector<const TypeDef*> defs;
    std::map<std::string, Location> imports, exports;
    auto add = [&](bool isImport, const std::string& key, const Location& at, const std::string& shown) {
      auto& names = isImport ? imports : exports;
      auto [it, fresh] = names.emplace(key, at);
      if (!fresh) error(at, shown + " is " + (isImport ? "imported" : "exported") + " more than once (first at " +
                                where(it->second) + ")");
    };
    for (const WorldItem& item : world.items) {
      switch (item.kind) {
        case WorldItem::Kind::Use: {
          auto found = lookup(package, item.use.from, false);
          std::size_t target = found ? nodeOf_[found->iface] : kNone;
          if (target != kNone && !nodes_[target].resolved) target = kNone;  // in a cycle, reported already
          applyUse(item.use, target, scope);
          for (const UseName& n : item.use.names) {
            std::string name = n.as.empty() ? n.name : n.as;
            add(true, name, n.at, "`" + name + "`");
          }
          break;
        }
        case WorldItem::Kind::Type:
          defs.push_back(&item.type);
          define(scope, item.type.name, Symbol{true, item.type.kind == TypeDef::Kind::Resource, false, item.type.at});
          add(true, item.type.name, item.type.at, "`" + item.type.name + "`");
          break;
        case WorldItem::Kind::Function:
        case WorldItem::Kind::InlineInterface:
          add(item.isImport, item.name, item.at, "`" + item.name + "`");
          break;
        case WorldItem::Kind::InterfaceRef: {
          auto found = lookup(package, item.path, false);
          if (!item.name.empty()) {
            add(item.isImport, item.name, item.at, "`" + item.name + "`");
          } else if (found) {
            add(item.isImport, "interface " + interfaceKey(*found), item.path.at, "interface `" + interfaceKey(*found) + "`");
          }
          break;
        }
      }
    }
    resolveTypeDefs(defs, scope);
    for (const WorldItem& item : world.items)
      if (item.kind == WorldItem::Kind::Function) checkFunction(item.function, scope, nullptr);
    for (const Include& inc : world.includes) {
      auto found = lookup(package, inc.world, true);
      if (!found) continue;
      if (found->world == &world) {
        error(inc.world.at, "world `" + world.name + "` includes itself");
        continue;
      }
      std::set<std::string> names;
      for (const WorldItem& item : found->world->items)
        if (!item.name.empty()) names.insert(item.name);
      for (const UseName& n : inc.with)
        if (!names.count(n.name))
          error(n.at, "world `" + toString(inc.world) + "` has no import or export named `" + n.name + "`");
    }
  }

  std::string interfaceKey(const Found& found) const {
    return toString(packages_[found.package].package.name) + "/" + found.iface->name;
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<PackageEntry> packages_;
  std::map<std::string, std::size_t> byName_;
  std::vector<InterfaceNode> nodes_;
  std::map<const Interface*, std::size_t> nodeOf_;
  std::map<const Use*, std::size_t> usesTarget_;
  std::vector<Diagnostic> diags_;
};

}  // namespace

WitCheck resolveWit(std::vector<PackageSources> groups) { return Resolver().run(std::move(groups)); }

WitCheck checkWitSource(std::string_view source, const std::string& file) {
  auto parsed = parseWitFile(source, file);
  if (!parsed) {
    WitCheck out;
    const Error& e = parsed.error();
    out.diagnostics.push_back(
        Diagnostic{Location{file, e.line.value_or(1), e.column.value_or(1), e.offset.value_or(0)}, e.message});
    return out;
  }
  std::vector<PackageSources> groups(1);
  groups[0].where = file;
  groups[0].files.push_back(std::move(*parsed));
  return resolveWit(std::move(groups));
}

}  // namespace wasmops::component::wit
