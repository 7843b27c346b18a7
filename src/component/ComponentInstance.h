#pragma once
// A running component: a decoded component instantiated over the engine by
// following its definitions in file order (core modules compiled, core
// instances instantiated, aliases, canon lift/lower, resource built-ins,
// nested components, imports from a ComponentLinker, exports). Its exported
// functions are called with component Values; each call lowers the
// arguments into the guest, calls the core function, lifts the result and
// runs post-return (CanonicalABI.md canon_lift, synchronous).
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

// A component-level function: a lifted guest export or a host function.
struct ComponentFunction {
  FunctionType type;
  HostFunction call;
};

struct InstanceState;

// A component with every core module compiled (or loaded from the artifact
// cache): what does not depend on an instance, done once, so that a host
// instantiating per request (the HTTP host) pays only for instantiation.
// The decoded component must outlive it.
class PreparedComponent {
 public:
  // Errors: a core module that does not compile (its byte offset).
  static Expected<std::shared_ptr<const PreparedComponent>> prepare(const binary::Component& component,
                                                                    const engine::Engine& engine);
  const binary::Component& component() const { return *component_; }
  // The compiled module of one of the component's (or a nested component's) core modules.
  std::shared_ptr<engine::CompiledModule> module(const binary::NestedModule& m) const;
  // Every core module with its compiled module, nested components' included, in file order.
  using Compiled = std::pair<const binary::NestedModule*, std::shared_ptr<engine::CompiledModule>>;
  const std::vector<Compiled>& modules() const { return modules_; }

 private:
  const binary::Component* component_ = nullptr;
  std::vector<Compiled> modules_;
};

class ComponentInstance {
 public:
  // Errors: an import the linker does not provide (named, with its version;
  // before any core module is instantiated), a definition not supported yet
  // (Unsupported, with its byte offset), a trap in a start function.
  static Expected<std::unique_ptr<ComponentInstance>> instantiate(const binary::Component& component,
                                                                   const engine::Engine& engine, engine::Store& store,
                                                                   const ComponentLinker& linker);
  static Expected<std::unique_ptr<ComponentInstance>> instantiate(const PreparedComponent& prepared, engine::Store& store,
                                                                   const ComponentLinker& linker);

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
  ComponentInstance() = default;
  // After checkImports.
  static Expected<std::unique_ptr<ComponentInstance>> instantiateChecked(const PreparedComponent& prepared,
                                                                          engine::Store& store, const ComponentLinker& linker);
  std::unique_ptr<InstanceState> state_;
  std::unique_ptr<std::uint32_t> nextResource_;  // resource and instance ids of this instantiation
  std::vector<std::pair<std::string, std::shared_ptr<ComponentFunction>>> exports_;
};

}  // namespace wasmops::component
