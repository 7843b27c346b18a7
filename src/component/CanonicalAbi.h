#pragma once
// The canonical ABI's value half (design/mvp/CanonicalABI.md and its
// executable definitions.py): values in linear memory (load/store), values
// as core values (liftFlat/lowerFlat), whole parameter and result lists with
// the spill-to-memory rules, and strings in utf8, utf16 and latin1+utf16.
// No engine: memory and realloc come through GuestMemory, handles through a
// ResourceTable. Every violation the spec traps on is an Error whose message
// starts "trap: " and names the check and the offending offset or value (the
// table is in src/component/README.md).
//
// Direction, as in the spec: lifting reads a guest's core values or memory
// into host Values; lowering writes host Values into a guest.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"
#include "component/ResourceTable.h"
#include "component/Value.h"
#include "component/ValueType.h"

namespace wasmops::component {

// A guest's linear memory and its `realloc` export. bytes() may move or grow
// after realloc, so it is asked again after every call.
class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  virtual std::span<std::uint8_t> bytes() = 0;
  virtual Expected<std::uint32_t> realloc(std::uint32_t old, std::uint32_t oldSize, std::uint32_t alignment,
                                          std::uint32_t newSize) = 0;
};

// A core wasm value: the bits of an i32/i64/f32/f64 (floats as their bit pattern).
struct CoreValue {
  CoreType type = CoreType::I32;
  std::uint64_t bits = 0;

  static CoreValue i32(std::uint32_t v) { return {CoreType::I32, v}; }
  static CoreValue i64(std::uint64_t v) { return {CoreType::I64, v}; }
  static CoreValue f32(float v);
  static CoreValue f64(double v);
  static CoreValue f32Bits(std::uint32_t v) { return {CoreType::F32, v}; }
  static CoreValue f64Bits(std::uint64_t v) { return {CoreType::F64, v}; }
  bool operator==(const CoreValue&) const = default;
};

// The canonical options and instance state one lift or lower runs with.
struct AbiContext {
  binary::StringEncoding encoding = binary::StringEncoding::Utf8;
  GuestMemory* memory = nullptr;     // strings, lists and spilled values need it
  ResourceTable* handles = nullptr;  // the guest instance's handle table (own, borrow)
  BorrowScope* call = nullptr;       // the call's borrows (lifted borrows are lent to it; lowered ones counted)
  // Whether the guest instance defined a resource type (then a borrow of it is lowered as the rep itself).
  std::function<bool(std::uint32_t resource)> implements;
};

// The spec's limits on lifted strings and lists (MAX_STRING_BYTE_LENGTH, MAX_LIST_BYTE_LENGTH).
inline constexpr std::uint32_t kMaxStringByteLength = (1u << 28) - 1;
inline constexpr std::uint32_t kMaxListByteLength = (1u << 28) - 1;
// The latin1+utf16 tag bit of a string's code unit count (utf16_tag, 32-bit memories).
inline constexpr std::uint32_t kUtf16Tag = 1u << 31;

// Values in memory: `ptr` must be aligned and the value in bounds (traps otherwise).
Expected<Value> load(AbiContext& cx, const ValueType& type, std::uint32_t ptr);
Expected<void> store(AbiContext& cx, const Value& value, const ValueType& type, std::uint32_t ptr);

// Values as core values. liftFlat consumes type.flat.size() values from
// `flat` starting at `position` and advances it; lowerFlat appends them.
Expected<Value> liftFlat(AbiContext& cx, const ValueType& type, std::span<const CoreValue> flat, std::size_t& position);
Expected<void> lowerFlat(AbiContext& cx, const Value& value, const ValueType& type, std::vector<CoreValue>& out);

// Strings (lift: load_string_from_range; lower: store_string_into_range with
// a UTF-8 source): the spec's exact realloc sequence for each encoding.
Expected<std::string> liftString(AbiContext& cx, std::uint32_t ptr, std::uint32_t taggedCodeUnits);
Expected<std::pair<std::uint32_t, std::uint32_t>> lowerString(AbiContext& cx, std::string_view utf8);

// Whole calls (synchronous; CanonicalABI.md lift_flat_values/lower_flat_values).
// Calling a lifted export: lower the arguments (a spilled tuple is allocated
// with realloc), then lift what the core function returned (a spilled result
// is read through the returned pointer).
Expected<std::vector<CoreValue>> lowerParams(AbiContext& cx, const FunctionType& fn, std::span<const Value> args);
Expected<std::optional<Value>> liftResults(AbiContext& cx, const FunctionType& fn, std::span<const CoreValue> flat);
// Serving a lowered import: lift the core arguments (a spilled tuple is read
// through the single pointer), then lower the result (a spilled result is
// written through the return pointer, the last core argument) .
Expected<std::vector<Value>> liftParams(AbiContext& cx, const FunctionType& fn, std::span<const CoreValue> flat);
Expected<std::vector<CoreValue>> lowerResults(AbiContext& cx, const FunctionType& fn, const std::optional<Value>& result,
                                              std::span<const CoreValue> args);

}  // namespace wasmops::component
