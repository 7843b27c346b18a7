#include "oci/ComponentConfig.h"

namespace wasmops::oci {

ComponentConfig componentConfigOf(const binary::Component& component) {
  using Kind = binary::ComponentExternKind;
  using binary::Sort;
  ComponentConfig out;
  for (const auto& i : component.imports)
    if (i.desc.kind == Kind::Instance || i.desc.kind == Kind::Func || i.desc.kind == Kind::Type)
      out.imports.push_back(i.name.name);
  for (const auto& e : component.exports)
    if (e.item.sort == Sort::Func || e.item.sort == Sort::Instance) out.exports.push_back(e.name.name);
  return out;
}

nlohmann::ordered_json componentConfigJson(const ComponentConfig& config) {
  nlohmann::ordered_json j = {{"exports", config.exports}, {"imports", config.imports}};
  if (config.target) j["target"] = *config.target;
  return j;
}

}  // namespace wasmops::oci
