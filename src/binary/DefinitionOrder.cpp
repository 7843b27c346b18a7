#include "binary/DefinitionOrder.h"

#include <algorithm>

namespace wasmops::binary {

std::vector<Definition> definitionOrder(const Component& c) {
  std::vector<Definition> order;
  auto add = [&](const auto& items, DefinitionKind kind) {
    for (std::size_t i = 0; i < items.size(); ++i) order.push_back({kind, i, items[i].offset});
  };
  add(c.modules, DefinitionKind::CoreModule);
  add(c.components, DefinitionKind::Component);
  add(c.coreInstances, DefinitionKind::CoreInstance);
  add(c.coreTypes, DefinitionKind::CoreType);
  add(c.instances, DefinitionKind::Instance);
  add(c.aliases, DefinitionKind::Alias);
  add(c.types, DefinitionKind::Type);
  add(c.canons, DefinitionKind::Canon);
  add(c.starts, DefinitionKind::Start);
  add(c.imports, DefinitionKind::Import);
  add(c.exports, DefinitionKind::Export);
  add(c.values, DefinitionKind::Value);
  // std::stable_sort does not build under clang 19 with libstdc++ 12; the
  // offsets are distinct, so a plain sort gives the one order there is.
  std::sort(order.begin(), order.end(), [](const Definition& a, const Definition& b) { return a.offset < b.offset; });
  return order;
}

}  // namespace wasmops::binary
