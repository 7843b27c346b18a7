#include "component/LinkerImports.h"

#include <fmt/format.h>

#include "component/TypeShape.h"

namespace wasmops::component {
namespace {

std::string versionOf(const std::string& name) {
  auto parts = binary::splitInterfaceName(name);
  return parts.version.empty() ? "" : " (version " + parts.version + ")";
}

}  // namespace

Expected<Item> ImportPlanner::operator()(const binary::ComponentImport& i) const {
  const std::string& name = i.name.name;
  const TypeScope& scope = **scope_;
  InstantiationPlan& plan = cx_.plan;
  auto located = [&](Error e) {
    if (!e.offset) e.offset = i.offset;
    return tl::unexpected(std::move(e));
  };
  auto require = [&](LinkRequirement::Kind kind, std::string member = {}) -> LinkRequirement& {
    LinkRequirement& r = plan.requirements.emplace_back();
    r.kind = kind;
    r.name = name;
    r.member = std::move(member);
    r.offset = i.offset;
    return r;
  };
  Item item;
  switch (i.desc.kind) {
    case binary::ComponentExternKind::Func: {
      require(LinkRequirement::Kind::Function).slot = plan.hostFunctions;
      auto type = scope.functionAt(i.desc.index);
      if (!type) return located(std::move(type).error());
      item.sort = binary::Sort::Func;
      item.func = cx_.newFunction(std::move(*type), plan.hostFunctions++, kNone);
      return item;
    }
    case binary::ComponentExternKind::Instance: {
      const auto iface = static_cast<std::uint32_t>(plan.requirements.size());
      require(LinkRequirement::Kind::Interface);
      auto found = scope.find(i.desc.index);
      if (!found) return located(std::move(found).error());
      if (!found->def || found->def->kind != binary::ComponentTypeKind::Instance)
        return makeErrorAt(ErrorCode::Invalid, i.offset,
                           fmt::format("import '{}': type {} is not an instance type", name, i.desc.index));
      auto decls = std::make_unique<TypeScope>(found->scope, cx_.ids());
      if (auto ok = decls->addDeclarations(found->def->decls); !ok) return located(std::move(ok).error());
      item.sort = binary::Sort::Instance;
      item.instance = std::make_shared<InstanceItems>();
      for (const auto& [exportName, declared] : decls->exports()) {
        Item member;
        if (declared.kind == binary::ComponentExternKind::Type) {
          member.sort = binary::Sort::Type;
          member.typeScope = decls.get();
          member.typeIndex = declared.index;
          auto slot = decls->find(declared.index);
          if (!slot) return located(std::move(slot).error());
          if (slot->resource && !slot->def && !cx_.implementers.count(*slot->resource)) {
            // A resource the host implements (a fresh `sub resource`; an `eq`
            // export names one an earlier import brought): guest handles carry the host's reps.
            LinkRequirement& r = require(LinkRequirement::Kind::InterfaceResource, exportName);
            r.iface = iface;
            r.resource = *slot->resource;
            cx_.implementers[*slot->resource] = kHostInstance;
          }
        } else if (declared.kind == binary::ComponentExternKind::Func) {
          const auto requirement = plan.requirements.size();
          LinkRequirement& r = require(LinkRequirement::Kind::InterfaceFunction, exportName);
          r.iface = iface;
          r.slot = plan.hostFunctions;
          auto type = decls->functionAt(declared.index);
          if (!type) return located(std::move(type).error());
          plan.requirements[requirement].shapes = paramShapes(*type);
          member.sort = binary::Sort::Func;
          member.func = cx_.newFunction(std::move(*type), plan.hostFunctions++, kNone);
        } else {
          return makeErrorAt(
              ErrorCode::Unsupported, i.offset,
              fmt::format("import '{}': a {} export is not supported", name, binary::toString(declared.kind)));
        }
        (*item.instance)[exportName] = std::move(member);
      }
      cx_.scopes.push_back(std::move(decls));
      return item;
    }
    case binary::ComponentExternKind::Type: {
      item.sort = binary::Sort::Type;
      // A host resource type: a slot of its own, in a scope of its own.
      auto own = std::make_unique<TypeScope>(nullptr, cx_.ids());
      if (i.desc.subResource) {
        item.typeIndex = own->addResource(own->newResourceId());
      } else {
        item.typeIndex = own->addAlias(&scope, i.desc.index);
      }
      item.typeScope = own.get();
      cx_.scopes.push_back(std::move(own));
      return item;
    }
    default: break;
  }
  return makeErrorAt(ErrorCode::Unsupported, i.offset,
                     fmt::format("import '{}': importing a {} is not supported", name, binary::toString(i.desc.kind)));
}

Expected<LinkedImports> linkImports(const InstantiationPlan& plan, const ComponentLinker& linker) {
  LinkedImports linked;
  linked.functions.resize(plan.hostFunctions);
  // The provided interface each Interface requirement links to.
  std::vector<std::string> interfaces(plan.requirements.size());
  for (std::size_t k = 0; k < plan.requirements.size(); ++k) {
    const LinkRequirement& r = plan.requirements[k];
    switch (r.kind) {
      case LinkRequirement::Kind::Function: {
        const HostFunction* host = linker.function(r.name);
        if (!host)
          return makeErrorAt(ErrorCode::NotFound, r.offset,
                             fmt::format("import '{}' (a function) is not provided by the host", r.name));
        if (r.slot >= linked.functions.size())
          linked.functions.resize(r.slot + 1);  // a plan stopped at this import's type
        linked.functions[r.slot] = *host;
        break;
      }
      case LinkRequirement::Kind::Interface: {
        auto iface = linker.interfaceFor(r.name);
        if (!iface)
          return makeErrorAt(
              ErrorCode::NotFound, r.offset,
              fmt::format("import '{}'{} (an instance) is not provided by the host", r.name, versionOf(r.name)));
        interfaces[k] = std::move(*iface);
        break;
      }
      case LinkRequirement::Kind::InterfaceResource: {
        const HostDestructor* dtor = linker.resource(interfaces[r.iface], r.member);
        if (!dtor)
          return makeErrorAt(ErrorCode::NotFound, r.offset,
                             fmt::format("import '{}'{}: resource '{}' is not provided by the host", r.name,
                                         versionOf(r.name), r.member));
        linked.resources.emplace_back(r.resource, *dtor);
        break;
      }
      case LinkRequirement::Kind::InterfaceFunction: {
        const std::string& iface = interfaces[r.iface];
        const HostFunction* host = linker.function(iface, r.member);
        if (!host)
          return makeErrorAt(ErrorCode::NotFound, r.offset,
                             fmt::format("import '{}'{}: function '{}' is not provided by the host", r.name,
                                         versionOf(r.name), r.member));
        if (const std::string* wanted = linker.params(iface, r.member); wanted && r.shapes && *wanted != *r.shapes)
          return makeErrorAt(ErrorCode::Invalid, r.offset,
                             fmt::format("import '{}'{}: function '{}' takes ({}), the host's takes ({})", r.name,
                                         versionOf(r.name), r.member, *r.shapes, *wanted));
        if (r.slot >= linked.functions.size()) linked.functions.resize(r.slot + 1);
        linked.functions[r.slot] = *host;
        break;
      }
    }
  }
  return linked;
}

std::vector<TopImport> topImports(const binary::Component& c) {
  std::vector<TopImport> out;
  for (const auto& i : c.imports) {
    if (i.desc.kind == binary::ComponentExternKind::Func) out.push_back({true, i.name.name, i.offset});
    if (i.desc.kind == binary::ComponentExternKind::Instance) out.push_back({false, i.name.name, i.offset});
  }
  return out;
}

Expected<void> checkImports(const std::vector<TopImport>& imports, const ComponentLinker& linker) {
  for (const auto& i : imports) {
    if (i.function && !linker.function(i.name))
      return makeErrorAt(ErrorCode::NotFound, i.offset,
                         fmt::format("import '{}' (a function) is not provided by the host", i.name));
    if (!i.function && !linker.interfaceFor(i.name))
      return makeErrorAt(
          ErrorCode::NotFound, i.offset,
          fmt::format("import '{}'{} (an instance) is not provided by the host", i.name, versionOf(i.name)));
  }
  return {};
}

Expected<void> checkImports(const binary::Component& c, const ComponentLinker& linker) {
  return checkImports(topImports(c), linker);
}

}  // namespace wasmops::component
