#pragma once
// The types a component's imports and exports have, as a graph of type
// identities: the component-level type, function, instance and component
// index spaces replayed in definition order, instance types opened into
// their exports, nested components instantiated with their arguments (so
// an exported interface sees the resource it was given, not a fresh one).
// WitFromComponent names these identities; wasmparser's validator plays the
// same role for wit-component. Indices that do not resolve (an unvalidated
// component) become Unknown nodes, never a crash.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"

namespace wasmops::component {

struct TypeScope;

// One type identity. An `export`/`import` of a type creates a new node (its
// name), as wasmparser's `created` ids do; `target` is what it equals.
struct TypeNode {
  enum class Kind : std::uint8_t { Defined, Func, Instance, Component, Resource, Export, Unknown };
  Kind kind = Kind::Unknown;
  const binary::ComponentTypeDef* def = nullptr;  // Defined, Func, Instance, Component
  const TypeScope* scope = nullptr;               // interprets the indices inside `def`
  std::string name;                               // Export: the name it was exported or imported as
  const TypeNode* target = nullptr;               // Export with an `eq` bound; null for `(sub resource)`
  std::uint64_t offset = 0;
};

// A type index space: a component's, or an instance type's.
struct TypeScope {
  const TypeScope* parent = nullptr;
  std::vector<const TypeNode*> types;
  const TypeNode* slot(std::uint32_t index) const { return index < types.size() ? types[index] : nullptr; }
};

struct InstanceValue;

// What an import, export or alias names: a type, a function (its type
// node), an instance, or something WIT does not describe (modules, values).
struct Entity {
  enum class Kind : std::uint8_t { Type, Func, Instance, Other };
  Kind kind = Kind::Other;
  const TypeNode* type = nullptr;            // Type, Func
  const InstanceValue* instance = nullptr;   // Instance
};

struct InstanceValue {
  std::vector<std::pair<std::string, Entity>> exports;  // in order
  const Entity* find(const std::string& name) const {
    for (const auto& [n, e] : exports)
      if (n == name) return &e;
    return nullptr;
  }
};

struct NamedEntity {
  std::string name;
  Entity entity;
  std::uint64_t offset = 0;
};

// The top-level component's imports and exports, in file order, with the
// nodes they reach. Owns every node and scope.
class ComponentTypeGraph {
 public:
  static Expected<std::unique_ptr<ComponentTypeGraph>> build(const binary::Component& component);

  std::vector<NamedEntity> imports;
  std::vector<NamedEntity> exports;

  // Follows `Export` nodes with an `eq` bound to the definition they name.
  static const TypeNode* definitionOf(const TypeNode* node);

 private:
  friend class GraphBuilder;
  std::deque<TypeNode> nodes_;
  std::deque<TypeScope> scopes_;
  std::deque<InstanceValue> instances_;
};

}  // namespace wasmops::component
