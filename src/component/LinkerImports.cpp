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

Expected<Item> LinkerImports::operator()(const binary::ComponentImport& i) const {
  const std::string& name = i.name.name;
  const TypeScope& scope = **scope_;
  auto located = [&](Error e) {
    if (!e.offset) e.offset = i.offset;
    return tl::unexpected(std::move(e));
  };
  Item item;
  switch (i.desc.kind) {
    case binary::ComponentExternKind::Func: {
      const HostFunction* host = linker_.function(name);
      if (!host) return makeErrorAt(ErrorCode::NotFound, i.offset, fmt::format("import '{}' (a function) is not provided by the host", name));
      auto type = scope.functionAt(i.desc.index);
      if (!type) return located(std::move(type).error());
      item.sort = binary::Sort::Func;
      item.func = std::make_shared<ComponentFunction>(ComponentFunction{std::move(*type), *host});
      return item;
    }
    case binary::ComponentExternKind::Instance: {
      auto iface = linker_.interfaceFor(name);
      if (!iface)
        return makeErrorAt(ErrorCode::NotFound, i.offset,
                           fmt::format("import '{}'{} (an instance) is not provided by the host", name, versionOf(name)));
      auto found = scope.find(i.desc.index);
      if (!found) return located(std::move(found).error());
      if (!found->def || found->def->kind != binary::ComponentTypeKind::Instance)
        return makeErrorAt(ErrorCode::Invalid, i.offset, fmt::format("import '{}': type {} is not an instance type", name, i.desc.index));
      auto decls = std::make_unique<TypeScope>(found->scope, resources);
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
          if (slot->resource && !slot->def && !allResources->count(*slot->resource)) {
            // A resource the host implements (a fresh `sub resource`; an `eq`
            // export names one an earlier import brought): guest handles carry the host's reps.
            const HostDestructor* dtor = linker_.resource(*iface, exportName);
            if (!dtor)
              return makeErrorAt(ErrorCode::NotFound, i.offset,
                                 fmt::format("import '{}'{}: resource '{}' is not provided by the host", name, versionOf(name), exportName));
            ResourceType rt;
            rt.id = *slot->resource;
            rt.implementer = kHostInstance;
            if (*dtor) rt.destructor = *dtor;
            (*allResources)[rt.id] = std::move(rt);
          }
        } else if (declared.kind == binary::ComponentExternKind::Func) {
          const HostFunction* host = linker_.function(*iface, exportName);
          if (!host)
            return makeErrorAt(ErrorCode::NotFound, i.offset,
                               fmt::format("import '{}'{}: function '{}' is not provided by the host", name, versionOf(name), exportName));
          auto type = decls->functionAt(declared.index);
          if (!type) return located(std::move(type).error());
          if (const std::string* wanted = linker_.params(*iface, exportName); wanted && *wanted != paramShapes(*type))
            return makeErrorAt(ErrorCode::Invalid, i.offset,
                               fmt::format("import '{}'{}: function '{}' takes ({}), the host's takes ({})", name,
                                           versionOf(name), exportName, paramShapes(*type), *wanted));
          member.sort = binary::Sort::Func;
          member.func = std::make_shared<ComponentFunction>(ComponentFunction{std::move(*type), *host});
        } else {
          return makeErrorAt(ErrorCode::Unsupported, i.offset,
                             fmt::format("import '{}': a {} export is not supported", name, binary::toString(declared.kind)));
        }
        (*item.instance)[exportName] = std::move(member);
      }
      scopes_.push_back(std::move(decls));
      return item;
    }
    case binary::ComponentExternKind::Type: {
      item.sort = binary::Sort::Type;
      // A host resource type: a slot of its own, in a scope of its own.
      auto own = std::make_unique<TypeScope>(nullptr, resources);
      if (i.desc.subResource) {
        item.typeIndex = own->addResource(own->newResourceId());
      } else {
        item.typeIndex = own->addAlias(&scope, i.desc.index);
      }
      item.typeScope = own.get();
      scopes_.push_back(std::move(own));
      return item;
    }
    default: break;
  }
  return makeErrorAt(ErrorCode::Unsupported, i.offset,
                     fmt::format("import '{}': importing a {} is not supported", name, binary::toString(i.desc.kind)));
}

Expected<void> checkImports(const binary::Component& c, const ComponentLinker& linker) {
  for (const auto& i : c.imports) {
    const std::string& name = i.name.name;
    if (i.desc.kind == binary::ComponentExternKind::Func && !linker.function(name))
      return makeErrorAt(ErrorCode::NotFound, i.offset, fmt::format("import '{}' (a function) is not provided by the host", name));
    if (i.desc.kind == binary::ComponentExternKind::Instance && !linker.interfaceFor(name))
      return makeErrorAt(ErrorCode::NotFound, i.offset,
                         fmt::format("import '{}'{} (an instance) is not provided by the host", name, versionOf(name)));
  }
  return {};
}

}  // namespace wasmops::component
