#pragma once
// What instantiating a prepared component does, worked out once (internal):
// a replay of the component's definitions in file order (as ComponentText
// replays them) without a store. Types are resolved, resource and instance
// ids handed out (the same ones every instantiation uses, in the same
// order), canon options and core signatures checked, every index of every
// index space turned into a slot of the plan. What is left for each
// instantiation is a list of steps with side effects (core instances,
// host functions for canon lower and the resource built-ins, resource
// types with their destructors); what is left for linking is a list of
// requirements (host functions, interfaces, host resources by name).
//
// A plan is immutable once built and refers to nothing of the decoded
// component (names are copied), only to the compiled modules it holds.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
#include "component/InstanceItems.h"
#include "component/ValueType.h"
#include "engine/CompiledModule.h"

namespace wasmops::component {

// The memory, realloc and post-return of a canon lift or lower (core item
// slots, kNone when absent) and its string encoding.
struct CanonPlan {
  binary::StringEncoding encoding = binary::StringEncoding::Utf8;
  std::uint32_t memory = kNone, realloc = kNone, postReturn = kNone;
};

// A component-level function: a host import (a function of the
// LinkedComponent) or a lifted core function.
struct PlanFunction {
  const FunctionType* type = nullptr;
  std::uint32_t host = kNone;  // index into LinkedComponent's functions
  std::uint32_t lift = kNone;  // index into InstantiationPlan::lifts
};

// canon lift: the core function, its options and the component instance
// whose flags and handles the calls use.
struct LiftPlan {
  const FunctionType* type = nullptr;
  std::uint32_t core = kNone;
  CanonPlan options;
  std::uint32_t state = 0;
};

// One thing an instantiation does, in file order.
struct PlanStep {
  enum class Kind : std::uint8_t {
    InstantiateCore,  // module with imports (core item slots) -> coreInstance
    CoreExport,       // export `name` of coreInstance -> item
    Lower,            // a host function lowering func with options -> item
    ResourceBuiltin,  // resource.new/rep/drop of `resource` -> item
    DefineResource,   // resource type `resource` of `state`, destructor `item` (kNone: none)
  };
  Kind kind = Kind::InstantiateCore;
  std::uint64_t offset = 0;
  std::uint32_t state = 0;  // the component instance it belongs to (index into InstantiationPlan::states)
  std::uint32_t item = kNone;
  std::uint32_t coreInstance = kNone;
  // InstantiateCore
  std::shared_ptr<engine::CompiledModule> module;
  std::vector<std::uint32_t> imports;  // per import of the module, in order; kNone: not provided
  std::uint32_t ordinal = 0;           // for messages: the core instance index and module index in its component
  std::uint32_t moduleIndex = 0;
  // CoreExport
  const std::string* name = nullptr;  // in the compiled module
  // Lower
  std::uint32_t func = kNone;
  CanonPlan options;
  const binary::FuncType* coreType = nullptr;  // Lower, ResourceBuiltin
  // ResourceBuiltin, DefineResource
  binary::CanonFunc::Kind builtin = binary::CanonFunc::Kind::ResourceNew;
  std::uint32_t resource = 0;
};

// What linking needs from a ComponentLinker, in the order instantiation used
// to ask (so the first failure is the one reported before).
struct LinkRequirement {
  enum class Kind : std::uint8_t {
    Function,           // top-level function import `name` -> functions[slot]
    Interface,          // instance import `name`: the provided interface it links to
    InterfaceFunction,  // function `member` of requirement `iface` -> functions[slot]
    InterfaceResource,  // resource `member` of requirement `iface`: resource id `resource`
  };
  Kind kind = Kind::Function;
  std::string name;    // the import's name
  std::string member;  // InterfaceFunction, InterfaceResource
  std::uint64_t offset = 0;
  std::uint32_t iface = 0;
  std::uint32_t slot = 0;
  std::uint32_t resource = 0;
  // InterfaceFunction: the declared parameters' shapes (TypeShape.h), checked
  // against what the host declared it reads; nullopt when the type failed to resolve.
  std::optional<std::string> shapes;
};

// A top-level function or instance import, for the check every link starts with.
struct TopImport {
  bool function = true;  // else an instance
  std::string name;
  std::uint64_t offset = 0;
};

struct InstantiationPlan {
  std::deque<FunctionType> functionTypes;
  std::deque<binary::FuncType> coreTypes;
  std::vector<PlanFunction> funcs;
  std::vector<LiftPlan> lifts;
  std::vector<PlanStep> steps;
  std::uint32_t coreInstances = 0;
  std::uint32_t coreItems = 0;
  std::vector<std::uint32_t> states;  // the id of each component instance; states[0] is the top level (0)
  std::uint32_t ids = 1;              // resource and instance ids are below it
  // Exported functions: top-level ones and `instance#function`, in name order.
  std::vector<std::pair<std::string, std::uint32_t>> exports;
  std::vector<TopImport> topImports;
  std::vector<LinkRequirement> requirements;
  std::uint32_t hostFunctions = 0;
  // Set when planning stopped: the error instantiation reports after the
  // requirements recorded before it.
  std::optional<Error> error;

  const PlanFunction* exported(std::string_view name) const {
    for (const auto& [n, f] : exports)
      if (n == name) return &funcs[f];
    return nullptr;
  }
};

class PreparedComponent;

// Planning state shared by the planners of one component and its nested
// ones (InstantiationPlan.cpp) and the import planner (LinkerImports.cpp).
struct PlanContext {
  PlanContext(const PreparedComponent& p, InstantiationPlan& pl);
  ~PlanContext();  // where Planner is complete
  const PreparedComponent& prepared;
  InstantiationPlan& plan;
  std::vector<std::unique_ptr<TypeScope>> scopes;  // scopes of imports; planners keep their own
  // What planning knows of a core item: the type the engine will report
  // for a function, and whether it is a guest export (callable by name).
  struct CoreInfo {
    const binary::FuncType* funcType = nullptr;
    bool guest = false;
  };
  std::vector<CoreInfo> coreInfo;
  // Resource ids registered so far, with the instance that implements them (kHostInstance: the host).
  std::unordered_map<std::uint32_t, std::uint32_t> implementers;
  // (core instance, export index) -> its core item, made once.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> exportItems;
  std::vector<std::unique_ptr<Planner>> planners;    // nested components' planners, alive until planning ends
  const binary::FuncType* builtinReturns = nullptr;  // (i32) -> i32: resource.new, resource.rep
  const binary::FuncType* builtinDrops = nullptr;    // (i32) -> (): resource.drop

  std::uint32_t* ids() { return &plan.ids; }
  std::uint32_t newCoreItem(const binary::FuncType* funcType, bool guest) {
    coreInfo.push_back({funcType, guest});
    return plan.coreItems++;
  }
  std::uint32_t newFunction(FunctionType type, std::uint32_t host, std::uint32_t lift) {
    const FunctionType* t = &plan.functionTypes.emplace_back(std::move(type));
    plan.funcs.push_back({t, host, lift});
    return static_cast<std::uint32_t>(plan.funcs.size() - 1);
  }
};

// Plans `prepared` (its component and modules). Never fails: a plan that
// could not be completed carries its error.
std::shared_ptr<const InstantiationPlan> planInstantiation(const PreparedComponent& prepared);

}  // namespace wasmops::component
