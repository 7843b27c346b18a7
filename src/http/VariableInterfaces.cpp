#include "http/VariableInterfaces.h"

#include <fmt/format.h>

#include "component/Value.h"
#include "http/HostInterfaces.h"

namespace wasmops::http {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;
using Outcome = VariableLookup::Outcome;

std::shared_ptr<const VariableOptions> variableOptions(const app::LockedComponent& component,
                                                       std::shared_ptr<const app::VariableResolver> resolver) {
  auto options = std::make_shared<VariableOptions>();
  options->resolver = std::move(resolver);
  options->componentId = component.id;
  options->templates = component.config;
  return options;
}

namespace {

// A component variable's template resolved (spin-expressions' resolve_template):
// a template that does not parse is `other`, an application variable
// without a value (or one the template names that does not exist) `provider`.
VariableLookup render(const VariableOptions& options, const std::string& templateText) {
  if (auto parsed = app::parseTemplate(templateText); !parsed) return {Outcome::Other, parsed.error().message};
  if (!options.resolver) return {Outcome::Provider, "no variable resolver"};
  auto value = options.resolver->render(templateText);
  if (!value) return {Outcome::Provider, value.error().message};
  return {Outcome::Value, std::move(*value)};
}

}  // namespace

VariableLookup lookupVariable(const VariableOptions& options, const std::string& name) {
  if (auto ok = app::checkVariableName(name); !ok) return {Outcome::InvalidName, ok.error().message};
  auto it = options.templates.find(name);
  if (it == options.templates.end())
    return {Outcome::Undefined, fmt::format("no variable for \"{}\".\"{}\"", options.componentId, name)};
  return render(options, it->second);
}

namespace {

// fermyon:spin/variables error: invalid-name, undefined, provider, other.
Value spinVariablesResult(VariableLookup found) {
  switch (found.outcome) {
    case Outcome::Value: return Value::ok(Value::string(std::move(found.text)));
    case Outcome::InvalidName: return Value::err(Value::variant(0, Value::string(std::move(found.text))));
    case Outcome::Undefined: return Value::err(Value::variant(1, Value::string(std::move(found.text))));
    case Outcome::Provider: return Value::err(Value::variant(2, Value::string(std::move(found.text))));
    case Outcome::Other: break;
  }
  return Value::err(Value::variant(3, Value::string(std::move(found.text))));
}

// wasi:config/store error: upstream(string), io(string).
Value configError(VariableLookup found) {
  return Value::variant(found.outcome == Outcome::Provider ? 0 : 1, Value::string(std::move(found.text)));
}

Expected<void> defineConfigStore(component::ComponentLinker& linker, const std::string& version,
                                 std::shared_ptr<const VariableOptions> options) {
  InterfaceFunctions d(linker, "wasi:config/store@" + version);
  d.function("get", "string",
             [options](Args a) -> Result {
               VariableLookup found = lookupVariable(*options, a[0].text);
               switch (found.outcome) {
                 case Outcome::Value: return Value::ok(Value::some(Value::string(std::move(found.text))));
                 // The wasi-runtime-config guidance Spin follows (its PR 19): unknown and invalid names are none.
                 case Outcome::InvalidName:
                 case Outcome::Undefined: return Value::ok(Value::none());
                 default: return Value::err(configError(std::move(found)));
               }
             })
      .function("get-all", "", [options](Args) -> Result {
        std::vector<Value> pairs;
        for (const auto& [name, templ] : options->templates) {
          VariableLookup found = render(*options, templ);
          if (found.outcome != Outcome::Value) return Value::err(configError(std::move(found)));
          pairs.push_back(Value::tuple({Value::string(name), Value::string(std::move(found.text))}));
        }
        return Value::ok(Value::list(std::move(pairs)));
      });
  return d.finish();
}

}  // namespace

Expected<void> defineVariableInterfaces(component::ComponentLinker& linker,
                                        std::shared_ptr<const VariableOptions> options) {
  if (!options) options = std::make_shared<const VariableOptions>();
  InterfaceFunctions spin(linker, "fermyon:spin/variables@2.0.0");
  spin.function("get", "string",
                [options](Args a) -> Result { return spinVariablesResult(lookupVariable(*options, a[0].text)); });
  WASMOPS_TRY_VOID(spin.finish());
  WASMOPS_TRY_VOID(defineConfigStore(linker, "0.2.0-draft-2024-09-27", options));
  WASMOPS_TRY_VOID(defineConfigStore(linker, "0.2.0-draft", options));
  return {};
}

}  // namespace wasmops::http
