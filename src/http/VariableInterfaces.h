#pragma once
// The configuration host interfaces a Spin 3 / wasi:http component imports,
// defined on the ComponentLinker of one component instance:
//
//   fermyon:spin/variables@2.0.0                get(name) -> result<string, error>
//                                               error: invalid-name, undefined, provider, other (strings)
//   wasi:config/store@0.2.0-draft-2024-09-27    get(key) -> result<option<string>, error>; get-all
//   wasi:config/store@0.2.0-draft               (the same WIT; error: upstream(string), io(string))
//
// A component sees its own variables (`[component.ID.variables]`, whose
// values are templates over the application's `[variables]`), resolved on
// each call by the application's app::VariableResolver (environment
// provider, then defaults), as Spin's factor-variables does
// (crates/factor-variables/src/host.rs): a name that breaks Spin's rules is
// invalid-name, a name the component does not have is undefined, a required
// application variable without a value is provider. wasi:config reports
// both invalid and undefined names as none, provider failures as upstream
// and the rest as io.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/LockedApp.h"
#include "app/Variables.h"
#include "base/Error.h"
#include "component/ComponentLinker.h"

namespace wasmops::http {

// What one component may read: the same for all its instances.
struct VariableOptions {
  std::shared_ptr<const app::VariableResolver> resolver;  // the application's
  std::string componentId;
  std::map<std::string, std::string> templates;  // the component's variables (LockedComponent::config)
};

// The options of `component` over the application's resolver.
std::shared_ptr<const VariableOptions> variableOptions(const app::LockedComponent& component,
                                                       std::shared_ptr<const app::VariableResolver> resolver);

// One variable of the component, as Spin resolves it.
struct VariableLookup {
  enum class Outcome { Value, InvalidName, Undefined, Provider, Other } outcome = Outcome::Value;
  std::string text;  // the value, or the error's message
};
VariableLookup lookupVariable(const VariableOptions& options, const std::string& name);

// Defines the interfaces listed above in `linker`; the functions keep
// `options` alive.
Expected<void> defineVariableInterfaces(component::ComponentLinker& linker,
                                        std::shared_ptr<const VariableOptions> options);

}  // namespace wasmops::http
