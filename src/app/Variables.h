#pragma once
// Application variables: the `[variables]` of a manifest, the templates
// that component variables are written in ("prefix-{{ name }}"), and the
// providers that give variables their values.
//
// As Spin's spin-expressions crate (spinframework/spin
// crates/expressions/src/{lib.rs,template.rs}) and its environment provider
// (crates/factor-variables, EnvVariablesProvider): a template is literal
// text with `{{ name }}` expressions (trimmed; an unmatched "{{" is an
// error); each name must be an application variable; a value comes from the
// first provider that has one, else from the variable's `default`, else
// resolution fails ("required" variables). The environment provider reads
// WASMOPS_VARIABLE_<NAME> and then SPIN_VARIABLE_<NAME> (the name in upper
// case, Spin's env_key), so a Spin deployment's settings work unchanged and
// a wasmops-specific one can override them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/LockedApp.h"
#include "base/Error.h"

namespace wasmops::app {

struct TemplatePart {
  bool expression = false;
  std::string text;  // literal text, or the variable name
};

// "a-{{ x }}-b" -> "a-", {x}, "-b".
Expected<std::vector<TemplatePart>> parseTemplate(std::string_view text);

// Spin's variable keys (spin_expressions::Key): lower-case letters, digits
// and single underscores, starting with a letter and not ending with '_'.
// Errors say which rule the name breaks.
Expected<void> checkVariableName(std::string_view name);

// Where values come from besides defaults. Returns nullopt when the provider
// has no value for the name.
using VariableProvider = std::function<std::optional<std::string>(const std::string& name)>;

// WASMOPS_VARIABLE_<NAME>, then SPIN_VARIABLE_<NAME>, through `getenv`
// (injectable for tests; the process environment by default).
VariableProvider environmentProvider(std::function<std::optional<std::string>(const std::string&)> getenv = nullptr);

class VariableResolver {
 public:
  explicit VariableResolver(std::map<std::string, LockedVariable> variables,
                            std::vector<VariableProvider> providers = {environmentProvider()});

  // One application variable's value.
  Expected<std::string> resolve(const std::string& name) const;
  // A component variable's template, every expression resolved.
  Expected<std::string> render(std::string_view templateText) const;
  // All of a component's variables (`[component.ID.variables]`).
  Expected<std::map<std::string, std::string>> resolveComponent(const LockedComponent& component) const;

 private:
  std::map<std::string, LockedVariable> variables_;
  std::vector<VariableProvider> providers_;
};

}  // namespace wasmops::app
