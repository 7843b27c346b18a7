#pragma once
// What instantiation works with inside the component layer (not public):
// the items of a component-level index space while a component is planned
// (InstantiationPlan.h), and at runtime the core items one instance made,
// the state of each component instance and the runtime of a whole
// instantiation.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "binary/Component.h"
#include "component/ComponentInstance.h"
#include "component/ComponentTypeScope.h"
#include "component/ResourceTable.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::component {

using binary::Sort;

// "None" for the slot numbers of a plan.
inline constexpr std::uint32_t kNone = 0xffffffffu;
// The implementer id of host resource types (instance ids count up from 0).
inline constexpr std::uint32_t kHostInstance = 0xffffffffu;
// A resource id no instance or host has defined (yet).
inline constexpr std::uint32_t kUnregistered = 0xfffffffeu;

// Planning: anything a component-level index space holds. Functions are
// slots of the plan (InstantiationPlan::funcs); nothing here is per instance.
class Planner;  // InstantiationPlan.cpp: plans one component
struct Item;
using InstanceItems = std::map<std::string, Item, std::less<>>;

struct Item {
  Sort sort = Sort::Func;
  std::uint32_t func = kNone;
  std::shared_ptr<InstanceItems> instance;
  const TypeScope* typeScope = nullptr;
  std::uint32_t typeIndex = 0;
  const binary::Component* component = nullptr;
  const Planner* componentHome = nullptr;  // where the component was defined (its outer scope)
  std::shared_ptr<engine::CompiledModule> module;
};

// Runtime: a core item as the component sees it: the engine's extern, and
// for guest exports the core instance and export name it is called through
// (the name lives in the compiled module, which the plan keeps).
struct CoreItem {
  engine::Extern ext;
  engine::Instance* owner = nullptr;
  const std::string* name = nullptr;
};

// Runtime: what one component instance (the top level or a nested one)
// owns: its handle table and its flags.
struct InstanceState {
  std::uint32_t id = 0;
  ResourceTable handles;
  InstanceFlags flags;
  explicit InstanceState(std::uint32_t instanceId) : id(instanceId), handles(instanceId) {}
};

struct InstantiationPlan;

// Runtime: one instantiation of a LinkedComponent, in arrays the plan sized:
// the core instances and core items it made, every resource type by id
// (guest-defined and host: resource.drop may drop a handle of a type defined
// elsewhere, and then runs that type's destructor), and its component
// instances. Host functions of the store point into it, so nothing here
// moves after instantiation starts.
struct InstanceRuntime {
  const InstantiationPlan* plan = nullptr;
  const LinkedComponent* linked = nullptr;
  std::vector<engine::Instance*> coreInstances;
  std::vector<CoreItem> coreItems;
  std::vector<ResourceType> resources;  // by id; implementer kUnregistered until defined
  std::vector<std::unique_ptr<InstanceState>> states;

  const CoreItem* item(std::uint32_t slot) const { return slot == kNone ? nullptr : &coreItems[slot]; }
  const HostFunction& hostFunction(std::uint32_t slot) const { return linked->functions_[slot]; }
  // Whether instance `st` defined resource type `resource` (then a borrow of it is lowered as the rep itself).
  bool implements(const InstanceState& st, std::uint32_t resource) const {
    return resource < resources.size() && resources[resource].implementer == st.id;
  }
};

}  // namespace wasmops::component
