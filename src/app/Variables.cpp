#include "app/Variables.h"

#include <fmt/format.h>

#include <cstdlib>

namespace wasmops::app {

Expected<std::vector<TemplatePart>> parseTemplate(std::string_view text) {
  std::vector<TemplatePart> parts;
  while (!text.empty()) {
    auto open = text.find("{{");
    if (open != 0) {
      parts.push_back({false, std::string(text.substr(0, open))});
      if (open == std::string_view::npos) break;
      text.remove_prefix(open);
    }
    auto close = text.find("}}", 2);
    if (close == std::string_view::npos)
      return makeError(ErrorCode::Invalid, "unmatched '{{' in template (write \"{{ name }}\")");
    std::string_view expr = text.substr(2, close - 2);
    auto first = expr.find_first_not_of(" \t");
    auto last = expr.find_last_not_of(" \t");
    parts.push_back(
        {true, first == std::string_view::npos ? std::string() : std::string(expr.substr(first, last - first + 1))});
    text.remove_prefix(close + 2);
  }
  return parts;
}

Expected<void> checkVariableName(std::string_view name) {
  auto bad = [&](std::string_view why) {
    return makeError(ErrorCode::Invalid, fmt::format("variable name \"{}\" {}", name, why));
  };
  if (name.empty()) return bad("is empty");
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return bad(fmt::format("has '{}': use only lower-case letters, digits and '_'", c));
  if (!(name.front() >= 'a' && name.front() <= 'z')) return bad("must start with a lower-case letter");
  if (name.back() == '_') return bad("must not end with '_'");
  if (name.find("__") != std::string_view::npos) return bad("must not contain \"__\"");
  return {};
}

VariableProvider environmentProvider(std::function<std::optional<std::string>(const std::string&)> getenv) {
  if (!getenv)
    getenv = [](const std::string& key) -> std::optional<std::string> {
      const char* v = std::getenv(key.c_str());
      return v ? std::optional<std::string>(v) : std::nullopt;
    };
  return [getenv = std::move(getenv)](const std::string& name) -> std::optional<std::string> {
    std::string upper;
    for (char c : name) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (auto v = getenv("WASMOPS_VARIABLE_" + upper)) return v;
    return getenv("SPIN_VARIABLE_" + upper);
  };
}

VariableResolver::VariableResolver(std::map<std::string, LockedVariable> variables,
                                   std::vector<VariableProvider> providers)
    : variables_(std::move(variables)), providers_(std::move(providers)) {}

Expected<std::string> VariableResolver::resolve(const std::string& name) const {
  auto it = variables_.find(name);
  if (it == variables_.end())
    return makeError(ErrorCode::NotFound, fmt::format("variable \"{}\" is not declared in [variables]", name));
  for (const auto& provider : providers_)
    if (auto v = provider(name)) return *v;
  if (it->second.defaultValue) return *it->second.defaultValue;
  std::string upper;
  for (char c : name) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return makeError(ErrorCode::NotFound,
                   fmt::format("required variable \"{}\" has no value: set WASMOPS_VARIABLE_{} or SPIN_VARIABLE_{}",
                               name, upper, upper));
}

Expected<std::string> VariableResolver::render(std::string_view templateText) const {
  WASMOPS_TRY(auto parts, parseTemplate(templateText));
  std::string out;
  for (const auto& p : parts) {
    if (!p.expression) {
      out += p.text;
      continue;
    }
    WASMOPS_TRY(auto value, resolve(p.text));
    out += value;
  }
  return out;
}

Expected<std::map<std::string, std::string>> VariableResolver::resolveComponent(const LockedComponent& c) const {
  std::map<std::string, std::string> out;
  for (const auto& [name, templ] : c.config) {
    auto value = render(templ);
    if (!value)
      return makeError(value.error().code,
                       fmt::format("component \"{}\": variable \"{}\": {}", c.id, name, value.error().message));
    out[name] = std::move(*value);
  }
  return out;
}

}  // namespace wasmops::app
