#pragma once
// A running component: a decoded component instantiated over the engine by
// following its definitions in file order (core modules compiled, core
// instances instantiated, aliases, canon lift/lower, resource built-ins,
// nested components, imports from a ComponentLinker, exports). Its exported
// functions are called with component Values; each call lowers the
// arguments into the guest, calls the core function, lifts the result and
// runs post-return (CanonicalABI.md canon_lift, synchronous).
//
// Three stages, each done once for what it depends on:
//   PreparedComponent::prepare(component, engine)   per component: core modules
//       compiled, the instantiation planned (types resolved, signatures checked)
//   prepared->link(linker)                           per component and linker:
//       imports resolved to host functions and resources
//   ComponentInstance::instantiate(linked, store)    per instance: core
//       instances, host functions, resource types, handle tables
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
#include "component/ComponentLinker.h"
#include "component/Value.h"
#include "component/ValueType.h"
#include "engine/Engine.h"
#include "engine/Store.h"

namespace wasmops::component {

struct InstantiationPlan;  // InstantiationPlan.h (internal)
struct InstanceRuntime;    // InstanceItems.h (internal)
class LinkedComponent;

// A component with every core module compiled (or loaded from the artifact
// cache) and everything else that does not depend on an instance worked out
// once (the instantiation plan: resolved component and function types,
// flattened core signatures, canon options, resource ids, the steps an
// instantiation takes), so that a host instantiating per request (the HTTP
// host) pays only for instantiation. Immutable: threads may link and
// instantiate it at once. The decoded component must outlive it (linked
// components and instances need not).
class PreparedComponent {
 public:
  // Errors: a core module that does not compile (its byte offset). A
  // component that cannot be instantiated (a definition not supported yet)
  // is still prepared; link() reports why.
  static Expected<std::shared_ptr<const PreparedComponent>> prepare(const binary::Component& component,
                                                                    const engine::Engine& engine);
  const binary::Component& component() const { return *component_; }
  // The compiled module of one of the component's (or a nested component's) core modules.
  std::shared_ptr<engine::CompiledModule> module(const binary::NestedModule& m) const;
  // Every core module with its compiled module, nested components' included, in file order.
  using Compiled = std::pair<const binary::NestedModule*, std::shared_ptr<engine::CompiledModule>>;
  const std::vector<Compiled>& modules() const { return modules_; }

  // Resolves every import against `linker`: which host function or resource
  // type each maps to, with the parameter-shape checks. Do it once per
  // linker and instantiate the result as often as needed. The linker need
  // not outlive the result (what it provides is copied).
  // Errors, as instantiate reported them, before any core module is
  // instantiated: an import the linker does not provide (named, with its
  // version), an import declaring other parameters than the host reads, a
  // definition not supported yet (Unsupported, with its byte offset).
  Expected<std::shared_ptr<const LinkedComponent>> link(const ComponentLinker& linker) const;

 private:
  const binary::Component* component_ = nullptr;
  std::vector<Compiled> modules_;
  std::shared_ptr<const InstantiationPlan> plan_;
};

// A prepared component with its imports resolved against one linker: copies
// of the host functions and resource destructors its imports map to.
// Immutable and shareable across threads; every instance made from it calls
// the same host functions, from whichever thread runs that instance.
class LinkedComponent : public std::enable_shared_from_this<LinkedComponent> {
 public:
  ~LinkedComponent();
  LinkedComponent(const LinkedComponent&) = delete;
  LinkedComponent& operator=(const LinkedComponent&) = delete;

 private:
  friend class PreparedComponent;
  friend class ComponentInstance;
  friend struct InstanceRuntime;
  LinkedComponent() = default;
  std::shared_ptr<const InstantiationPlan> plan_;
  std::vector<HostFunction> functions_;                              // by the plan's host function slots
  std::vector<std::pair<std::uint32_t, HostDestructor>> resources_;  // host resource types: id, destructor
};

class ComponentInstance {
 public:
  // Per-instance work only: core instances instantiated in `store`, host
  // functions for canon lower and the resource built-ins, handle tables.
  // The instance keeps `linked` alive. Errors: a core module that does not
  // link or traps in its start function (with its byte offset).
  static Expected<std::unique_ptr<ComponentInstance>> instantiate(const LinkedComponent& linked, engine::Store& store);
  // prepare + link + instantiate. Errors: an import the linker does not
  // provide (named, with its version; before any core module is compiled),
  // a core module that does not compile, those of link() and of the above.
  static Expected<std::unique_ptr<ComponentInstance>> instantiate(const binary::Component& component,
                                                                  const engine::Engine& engine, engine::Store& store,
                                                                  const ComponentLinker& linker);
  // link + instantiate (a host instantiating often links once instead).
  static Expected<std::unique_ptr<ComponentInstance>> instantiate(const PreparedComponent& prepared,
                                                                  engine::Store& store, const ComponentLinker& linker);

  ~ComponentInstance();
  ComponentInstance(const ComponentInstance&) = delete;
  ComponentInstance& operator=(const ComponentInstance&) = delete;

  // Exported functions: top-level ones by name, those of exported instances
  // as `instance#function` (`ns:pkg/iface@1.0.0#get`).
  std::vector<std::string> functionNames() const;
  const FunctionType* functionType(std::string_view name) const;
  // A guest trap is an error whose message starts "trap: ".
  Expected<std::optional<Value>> call(std::string_view name, std::span<const Value> args);

 private:
  ComponentInstance();
  std::shared_ptr<const LinkedComponent> linked_;
  std::unique_ptr<InstanceRuntime> runtime_;
};

}  // namespace wasmops::component
