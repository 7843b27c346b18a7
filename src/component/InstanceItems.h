#pragma once
// What instantiation works with inside the component layer (not public):
// core items as the component sees them, the items of a component-level
// index space, and the runtime state one component instance owns.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "binary/Component.h"
#include "component/ComponentInstance.h"
#include "component/ComponentTypeScope.h"
#include "component/ResourceTable.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::component {

using binary::Sort;

// A core item as the component sees it: the engine's extern, and for guest
// functions the core instance and export name it is called through.
struct CoreItem {
  engine::Extern ext;
  engine::Instance* owner = nullptr;
  std::string name;
};

struct CoreInstanceItems {
  engine::Instance* instance = nullptr;  // instantiated; else a bag of exports
  std::map<std::string, CoreItem, std::less<>> bag;
  std::optional<CoreItem> get(const std::string& name) const {
    if (!instance) {
      auto it = bag.find(name);
      if (it == bag.end()) return std::nullopt;
      return it->second;
    }
    auto ext = instance->exported(name);
    if (!ext) return std::nullopt;
    return CoreItem{*ext, instance, name};
  }
};

class Builder;  // ComponentInstance.cpp: instantiates one component
struct Item;
using InstanceItems = std::map<std::string, Item, std::less<>>;

// Anything a component-level index space holds.
struct Item {
  Sort sort = Sort::Func;
  std::shared_ptr<ComponentFunction> func;
  std::shared_ptr<InstanceItems> instance;
  const TypeScope* typeScope = nullptr;
  std::uint32_t typeIndex = 0;
  const binary::Component* component = nullptr;
  const Builder* componentHome = nullptr;  // where the component was defined (its outer scope)
  std::shared_ptr<engine::CompiledModule> module;
};

// What one component instance owns at runtime: its handle table, its flags,
// the resource types it defined, and its nested instances.
struct InstanceState {
  std::uint32_t id = 0;
  ResourceTable handles;
  InstanceFlags flags;
  std::unordered_map<std::uint32_t, ResourceType> resources;  // defined here, by id
  // Every resource type of the instantiation (guest-defined and host), by id:
  // resource.drop may drop a handle of a type defined elsewhere, and then
  // runs that type's destructor. Shared with the nested instances.
  std::shared_ptr<std::unordered_map<std::uint32_t, ResourceType>> allResources;
  std::vector<std::unique_ptr<TypeScope>> scopes;
  std::vector<std::unique_ptr<InstanceState>> children;
  InstanceState(std::uint32_t instanceId, std::shared_ptr<std::unordered_map<std::uint32_t, ResourceType>> all)
      : id(instanceId), handles(instanceId), allResources(std::move(all)) {}
};

}  // namespace wasmops::component
