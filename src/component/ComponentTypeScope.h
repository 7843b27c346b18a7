#pragma once
// One type index space of a component, an instance type or a component
// type, at runtime. Types aliased from an outer scope or exported by an
// instance are defined in another scope, so a slot may point to its home
// scope, and every index inside a definition is resolved in the scope that
// holds the definition (not in the scope that uses it).
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
#include "component/ValueType.h"

namespace wasmops::component {

class TypeScope {
 public:
  // `nextResource` hands out runtime resource ids, shared by all scopes of one instantiation.
  TypeScope(const TypeScope* parent, std::uint32_t* nextResource) : parent_(parent), nextResource_(nextResource) {}

  std::uint32_t size() const { return static_cast<std::uint32_t>(slots_.size()); }
  const TypeScope* parent() const { return parent_; }

  std::uint32_t addDefinition(const binary::ComponentTypeDef* def);
  std::uint32_t addAlias(const TypeScope* home, std::uint32_t index);
  std::uint32_t addResource(std::uint32_t id);
  std::uint32_t newResourceId() { return (*nextResource_)++; }
  // Adds the declarations of an instance or component type: local types,
  // outer aliases and exported (or imported) types, in order; remembers the
  // exports by name.
  Expected<void> addDeclarations(const std::vector<binary::TypeDecl>& decls);
  // The outer scope `count` levels up.
  Expected<const TypeScope*> outer(std::uint32_t count) const;

  // The definition behind an index, following aliases, and the scope it lives in.
  struct Found {
    const TypeScope* scope = nullptr;
    std::uint32_t index = 0;
    const binary::ComponentTypeDef* def = nullptr;  // nullptr: a resource
    std::optional<std::uint32_t> resource;
  };
  Expected<Found> find(std::uint32_t index) const;

  Expected<ValueTypePtr> value(const binary::ComponentValType& type) const;
  Expected<ValueTypePtr> valueAt(std::uint32_t index) const;
  Expected<FunctionType> function(const binary::ComponentFuncType& type) const;
  Expected<FunctionType> functionAt(std::uint32_t index) const;
  Expected<std::uint32_t> resourceAt(std::uint32_t index) const;

  // Exports of an instance type, by name: funcs (their type index) and types (slot index).
  struct Declared {
    binary::ComponentExternKind kind;
    std::uint32_t index;
  };
  const std::vector<std::pair<std::string, Declared>>& exports() const { return exports_; }

 private:
  struct Slot {
    const binary::ComponentTypeDef* def = nullptr;
    const TypeScope* home = nullptr;  // an alias: the slot `homeIndex` of `home`
    std::uint32_t homeIndex = 0;
    std::optional<std::uint32_t> resource;
  };
  Expected<ValueTypePtr> defined(const binary::DefinedValType& def, std::uint32_t index, std::uint32_t depth) const;
  Expected<ValueTypePtr> valueAtDepth(std::uint32_t index, std::uint32_t depth) const;
  Expected<ValueTypePtr> valueDepth(const binary::ComponentValType& type, std::uint32_t depth) const;

  const TypeScope* parent_;
  std::uint32_t* nextResource_;
  std::vector<Slot> slots_;
  std::vector<std::pair<std::string, Declared>> exports_;
  mutable std::unordered_map<std::uint32_t, ValueTypePtr> resolved_;
};

}  // namespace wasmops::component
