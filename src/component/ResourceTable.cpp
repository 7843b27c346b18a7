#include "component/ResourceTable.h"

#include <fmt/format.h>

namespace wasmops::component {

namespace {
Unexpected trap(std::string message) { return makeError(ErrorCode::Invalid, "trap: " + std::move(message)); }
}  // namespace

Expected<void> BorrowScope::checkReturn() const {
  if (borrows_ > 0)
    return trap(fmt::format("{} borrowed handle{} not dropped before the call returned", borrows_,
                            borrows_ == 1 ? "" : "s"));
  return {};
}

void BorrowScope::endCall() {
  for (auto& [table, index] : lenders_)
    if (auto h = table->get(index); h && (*h)->lends > 0) --(*h)->lends;
  lenders_.clear();
}

BorrowScope::~BorrowScope() {
  endCall();
  for (auto& [table, index] : borrowed_)
    if (index < table->slots_.size() && table->slots_[index] && table->slots_[index]->scope == this)
      table->slots_[index]->scope = nullptr;
}

Expected<void> InstanceFlags::enter() {
  if (!mayEnter) return trap("the component instance is entered again while a call into it is under way");
  mayEnter = false;
  return {};
}

Expected<void> InstanceFlags::checkMayLeave(const char* what) const {
  if (!mayLeave) return trap(fmt::format("{} called while the instance may not leave (inside realloc or post-return)", what));
  return {};
}

Expected<std::uint32_t> ResourceTable::add(ResourceHandle handle) {
  if (!free_.empty()) {
    std::uint32_t index = free_.back();
    free_.pop_back();
    slots_[index] = handle;
    return index;
  }
  if (slots_.size() > kMaxLength) return trap(fmt::format("handle table is full ({} handles)", kMaxLength));
  slots_.push_back(handle);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

Expected<ResourceHandle*> ResourceTable::get(std::uint32_t index) {
  if (index >= slots_.size() || !slots_[index]) {
    if (index == 0) return trap("handle index 0 is never a valid handle");
    return trap(fmt::format("handle index {} is not in the table (never created, or already dropped)", index));
  }
  return &*slots_[index];
}

void ResourceTable::release(std::uint32_t index) {
  slots_[index].reset();
  free_.push_back(index);
}

Expected<ResourceHandle*> ResourceTable::handle(std::uint32_t index, std::uint32_t resource, const char* use) {
  WASMOPS_TRY(ResourceHandle * h, get(index));
  if (h->resource != resource)
    return trap(fmt::format("{} of handle {}: it is a handle to resource type {}, not {}", use, index, h->resource, resource));
  return h;
}

Expected<std::uint32_t> ResourceTable::resourceNew(const ResourceType& type, std::uint32_t rep) {
  return add(ResourceHandle{type.id, rep, true, nullptr, 0});
}

Expected<std::uint32_t> ResourceTable::resourceRep(const ResourceType& type, std::uint32_t index) {
  WASMOPS_TRY(ResourceHandle * h, handle(index, type.id, "resource.rep"));
  return h->rep;
}

Expected<void> ResourceTable::resourceDrop(const ResourceType& type, std::uint32_t index) {
  WASMOPS_TRY(ResourceHandle * h, handle(index, type.id, "resource.drop"));
  if (h->lends != 0) return trap(fmt::format("resource.drop of handle {} while it is lent to {} call(s)", index, h->lends));
  ResourceHandle dropped = *h;
  release(index);
  if (dropped.own) {
    if (type.destructor) return type.destructor(dropped.rep);
  } else if (dropped.scope && dropped.scope->borrows_ > 0) {
    --dropped.scope->borrows_;
  }
  return {};
}

Expected<std::uint32_t> ResourceTable::liftOwn(std::uint32_t index, std::uint32_t resource) {
  WASMOPS_TRY(ResourceHandle * h, handle(index, resource, "passing ownership"));
  if (h->lends != 0) return trap(fmt::format("passing ownership of handle {} while it is lent to {} call(s)", index, h->lends));
  if (!h->own) return trap(fmt::format("passing ownership of handle {}, which is a borrow", index));
  std::uint32_t rep = h->rep;
  release(index);
  return rep;
}

Expected<std::uint32_t> ResourceTable::liftBorrow(std::uint32_t index, std::uint32_t resource, BorrowScope& call) {
  WASMOPS_TRY(ResourceHandle * h, handle(index, resource, "lending"));
  ++h->lends;
  call.lenders_.emplace_back(this, index);
  return h->rep;
}

Expected<std::uint32_t> ResourceTable::lowerOwn(std::uint32_t rep, std::uint32_t resource) {
  return add(ResourceHandle{resource, rep, true, nullptr, 0});
}

Expected<std::uint32_t> ResourceTable::lowerBorrow(std::uint32_t rep, std::uint32_t resource, bool implementedHere,
                                                   BorrowScope& call) {
  if (implementedHere) return rep;
  WASMOPS_TRY(std::uint32_t index, add(ResourceHandle{resource, rep, false, &call, 0}));
  ++call.borrows_;
  call.borrowed_.emplace_back(this, index);
  return index;
}

}  // namespace wasmops::component
