#pragma once
// Per-instance handle tables for resources (CanonicalABI.md "Table State",
// "Resource State", `canon resource.new/drop/rep`, lift_own, lift_borrow,
// lower_own, lower_borrow), and one call's borrow bookkeeping. Every misuse
// the spec traps on returns an Error naming the handle index.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "base/Error.h"

namespace wasmops::component {

// A resource type at runtime: the instance that defined it and its destructor.
struct ResourceType {
  std::uint32_t id = 0;
  std::uint32_t implementer = 0;  // id of the instance that defined the type
  std::function<Expected<void>(std::uint32_t rep)> destructor;  // empty: none
};

class BorrowScope;
class ResourceTable;

struct ResourceHandle {
  std::uint32_t resource = 0;  // ResourceType::id
  std::uint32_t rep = 0;
  bool own = false;
  BorrowScope* scope = nullptr;  // borrow handles: the call whose task counts them
  std::uint32_t lends = 0;       // own handles: calls it is lent to right now
};

// One call's borrows, in the two roles the spec gives a call:
//  - as the callee's task: borrow handles lowered into the callee's table,
//    which the callee must drop before it returns (checkReturn);
//  - as the caller's subtask: handles of the caller's table lifted as
//    borrows, lent for the call and released by endCall.
class BorrowScope {
 public:
  BorrowScope() = default;
  BorrowScope(const BorrowScope&) = delete;
  BorrowScope& operator=(const BorrowScope&) = delete;
  // Ends the call (endCall) and detaches the borrow handles still counted
  // here (a trapped callee's); the tables must outlive the scope.
  ~BorrowScope();

  std::uint32_t borrows() const { return borrows_; }
  // Task.return_: a borrow handle still in the callee's table outlives the call.
  Expected<void> checkReturn() const;
  // Subtask.deliver_resolve: the lent handles may be dropped or moved again.
  void endCall();

 private:
  friend class ResourceTable;
  std::uint32_t borrows_ = 0;
  std::vector<std::pair<ResourceTable*, std::uint32_t>> lenders_;
  std::vector<std::pair<ResourceTable*, std::uint32_t>> borrowed_;
};

// The spec's may_enter / may_leave flags of one instance (without the
// parent chain of nested instances).
struct InstanceFlags {
  bool mayEnter = true;
  bool mayLeave = true;
  Expected<void> enter();  // a call into the instance; traps when it is already on the stack
  void leave() { mayEnter = true; }
  // Built-ins and imports may not be called from realloc or post-return.
  Expected<void> checkMayLeave(const char* what) const;
};

class ResourceTable {
 public:
  static constexpr std::uint32_t kMaxLength = (1u << 28) - 1;

  explicit ResourceTable(std::uint32_t instance = 0) : instance_(instance) {}
  ResourceTable(const ResourceTable&) = delete;
  ResourceTable& operator=(const ResourceTable&) = delete;

  std::uint32_t instance() const { return instance_; }
  std::size_t size() const { return slots_.size() - free_.size() - 1; }  // live handles

  // Table: index 0 is never used; freed indices are reused last-freed first.
  Expected<std::uint32_t> add(ResourceHandle handle);
  Expected<ResourceHandle*> get(std::uint32_t index);

  // canon resource.new / resource.rep / resource.drop.
  Expected<std::uint32_t> resourceNew(const ResourceType& type, std::uint32_t rep);
  Expected<std::uint32_t> resourceRep(const ResourceType& type, std::uint32_t index);
  // Drops a handle; an own handle's destructor runs (its error is returned).
  Expected<void> resourceDrop(const ResourceType& type, std::uint32_t index);

  // Moving handles across a call: lifting takes them out of this (the
  // sender's) table; lowering puts them into this (the receiver's) table.
  Expected<std::uint32_t> liftOwn(std::uint32_t index, std::uint32_t resource);
  Expected<std::uint32_t> liftBorrow(std::uint32_t index, std::uint32_t resource, BorrowScope& call);
  Expected<std::uint32_t> lowerOwn(std::uint32_t rep, std::uint32_t resource);
  // `implementedHere`: this instance defined the resource, so it gets the rep itself.
  Expected<std::uint32_t> lowerBorrow(std::uint32_t rep, std::uint32_t resource, bool implementedHere, BorrowScope& call);

 private:
  friend class BorrowScope;
  Expected<ResourceHandle*> handle(std::uint32_t index, std::uint32_t resource, const char* use);
  void release(std::uint32_t index);

  std::uint32_t instance_;
  std::vector<std::optional<ResourceHandle>> slots_{std::nullopt};
  std::vector<std::uint32_t> free_;
};

}  // namespace wasmops::component
