#pragma once
// The top-level imports of a component, in two halves. Planning (once per
// PreparedComponent): each import becomes items of the plan (resolved
// function types, instance types opened into their exports, resource
// types with their ids) and the requirements it puts on a linker. Linking
// (once per PreparedComponent and ComponentLinker): the requirements
// satisfied from the linker: host functions (checked against the parameter
// shapes the host declared), interfaces by semver, and host resource types
// with their destructors.
#include <cstdint>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "component/ComponentLinker.h"
#include "component/InstantiationPlan.h"

namespace wasmops::component {

class ImportPlanner {
 public:
  // `scope` points to the importing component's type scope (set once its Planner exists).
  ImportPlanner(PlanContext& cx, const TypeScope* const* scope) : cx_(cx), scope_(scope) {}
  Expected<Item> operator()(const binary::ComponentImport& i) const;

 private:
  PlanContext& cx_;
  const TypeScope* const* scope_;
};

// What a linker provides for a plan's requirements: host functions (by
// requirement slot) and host resource types (id and destructor), copied.
struct LinkedImports {
  std::vector<HostFunction> functions;
  std::vector<std::pair<std::uint32_t, HostDestructor>> resources;
};

// Satisfies every requirement of `plan` from `linker`, in order; the first
// one it cannot satisfy is the error (named, with the import's version).
Expected<LinkedImports> linkImports(const InstantiationPlan& plan, const ComponentLinker& linker);

// Names the first top-level function or instance import the linker cannot
// satisfy, before anything runs (or anything else is looked at).
std::vector<TopImport> topImports(const binary::Component& c);
Expected<void> checkImports(const std::vector<TopImport>& imports, const ComponentLinker& linker);
Expected<void> checkImports(const binary::Component& c, const ComponentLinker& linker);

}  // namespace wasmops::component
