#pragma once
// The top-level imports of a component, satisfied from a ComponentLinker:
// host functions (checked against the parameter shapes the host declared),
// host interfaces and their resource types (registered with the host's
// destructors), and resource type imports.
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/Error.h"
#include "component/ComponentLinker.h"
#include "component/InstanceItems.h"

namespace wasmops::component {

// The implementer id of host resource types (instance ids count up from 0).
inline constexpr std::uint32_t kHostInstance = 0xffffffffu;

class LinkerImports {
 public:
  // `scope` points to the importing component's type scope (set once its Builder exists).
  LinkerImports(const ComponentLinker& linker, const TypeScope* const* scope) : linker_(linker), scope_(scope) {}

  Expected<Item> operator()(const binary::ComponentImport& i) const;

  std::uint32_t* resources = nullptr;  // the instantiation's resource id counter
  std::unordered_map<std::uint32_t, ResourceType>* allResources = nullptr;
  // The type scopes made for imported instances and types; the instance keeps them.
  std::vector<std::unique_ptr<TypeScope>>& scopes() { return scopes_; }

 private:
  const ComponentLinker& linker_;
  const TypeScope* const* scope_;
  mutable std::vector<std::unique_ptr<TypeScope>> scopes_;
};

// Names every top-level import the linker cannot satisfy, before anything runs.
Expected<void> checkImports(const binary::Component& c, const ComponentLinker& linker);

}  // namespace wasmops::component
