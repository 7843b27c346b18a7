#pragma once
// A component value as the host holds it: one type for every kind, read
// against its ValueType (a value does not carry labels; the type does).
//
//   bool, integers, char   `bits` (signed integers sign-extended to 64 bits; char: the code point)
//   f32, f64               `bits`: the IEEE bit pattern, so NaN payloads are visible and equality is exact
//   string                 `text`, UTF-8
//   list, fixed list       `items`; a list<u8> may instead hold its elements as the bytes of
//                          `text` (`packed`; what lifting makes: one byte per element, not one Value)
//   record, tuple          `items`, one per field in type order
//   variant, enum, option, result
//                          `bits`: the case index (option: 0 none, 1 some; result: 0 ok, 1 error),
//                          `items`: the payload, empty when the case has none
//   flags                  `bits`: bit i set when flag i of the type is set
//   own, borrow            `bits`: the resource's representation (what the spec's lift_own and
//                          lift_borrow return and lower_own/lower_borrow put in a table)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "component/ValueType.h"

namespace wasmops::component {

struct Value {
  ValueKind kind = ValueKind::Bool;
  std::uint64_t bits = 0;
  std::string text;
  std::vector<Value> items;
  bool packed = false;  // a list<u8> whose elements are the bytes of `text`

  // Structural: same kind, bits, text and items (floats by bit pattern); a
  // packed byte list equals the same bytes as u8 items.
  bool operator==(const Value& other) const;

  static Value boolean(bool b) { return scalar(ValueKind::Bool, b ? 1 : 0); }
  static Value s8(std::int8_t v) { return scalar(ValueKind::S8, static_cast<std::uint64_t>(std::int64_t{v})); }
  static Value u8(std::uint8_t v) { return scalar(ValueKind::U8, v); }
  static Value s16(std::int16_t v) { return scalar(ValueKind::S16, static_cast<std::uint64_t>(std::int64_t{v})); }
  static Value u16(std::uint16_t v) { return scalar(ValueKind::U16, v); }
  static Value s32(std::int32_t v) { return scalar(ValueKind::S32, static_cast<std::uint64_t>(std::int64_t{v})); }
  static Value u32(std::uint32_t v) { return scalar(ValueKind::U32, v); }
  static Value s64(std::int64_t v) { return scalar(ValueKind::S64, static_cast<std::uint64_t>(v)); }
  static Value u64(std::uint64_t v) { return scalar(ValueKind::U64, v); }
  static Value f32(float v);
  static Value f64(double v);
  static Value f32Bits(std::uint32_t bits) { return scalar(ValueKind::F32, bits); }
  static Value f64Bits(std::uint64_t bits) { return scalar(ValueKind::F64, bits); }
  static Value character(char32_t c) { return scalar(ValueKind::Char, c); }
  static Value string(std::string s);
  static Value list(std::vector<Value> items) { return composite(ValueKind::List, std::move(items)); }
  // A list<u8> of these bytes, packed.
  static Value bytes(std::string bytes) {
    Value v;
    v.kind = ValueKind::List;
    v.text = std::move(bytes);
    v.packed = true;
    return v;
  }
  // The elements of a list (packed or not) as bytes; nullopt when an element is not a u8.
  std::optional<std::string> listBytes() const;
  std::size_t listSize() const { return packed ? text.size() : items.size(); }
  static Value fixedList(std::vector<Value> items) { return composite(ValueKind::FixedList, std::move(items)); }
  static Value record(std::vector<Value> fields) { return composite(ValueKind::Record, std::move(fields)); }
  static Value tuple(std::vector<Value> items) { return composite(ValueKind::Tuple, std::move(items)); }
  static Value variant(std::uint32_t caseIndex, std::optional<Value> payload = std::nullopt) {
    return withCase(ValueKind::Variant, caseIndex, std::move(payload));
  }
  static Value enumCase(std::uint32_t caseIndex) { return scalar(ValueKind::Enum, caseIndex); }
  static Value none() { return scalar(ValueKind::Option, 0); }
  static Value some(Value v) { return withCase(ValueKind::Option, 1, std::move(v)); }
  static Value ok(std::optional<Value> v = std::nullopt) { return withCase(ValueKind::Result, 0, std::move(v)); }
  static Value err(std::optional<Value> v = std::nullopt) { return withCase(ValueKind::Result, 1, std::move(v)); }
  static Value flags(std::uint32_t mask) { return scalar(ValueKind::Flags, mask); }
  static Value own(std::uint32_t rep) { return scalar(ValueKind::Own, rep); }
  static Value borrow(std::uint32_t rep) { return scalar(ValueKind::Borrow, rep); }

  std::int64_t asSigned() const { return static_cast<std::int64_t>(bits); }
  float asF32() const;
  double asF64() const;
  std::uint32_t caseIndex() const { return static_cast<std::uint32_t>(bits); }
  const Value* payload() const { return items.empty() ? nullptr : &items.front(); }

 private:
  static Value scalar(ValueKind kind, std::uint64_t bits) {
    Value v;
    v.kind = kind;
    v.bits = bits;
    return v;
  }
  static Value composite(ValueKind kind, std::vector<Value> items) {
    Value v;
    v.kind = kind;
    v.items = std::move(items);
    return v;
  }
  static Value withCase(ValueKind kind, std::uint32_t index, std::optional<Value> payload) {
    Value v = scalar(kind, index);
    if (payload) v.items.push_back(std::move(*payload));
    return v;
  }
};

// Whether `value` has the shape `type` describes (kinds, counts, case
// indices, payload presence, integer ranges, char scalar values, flags
// within the type's count); the error names the path to the first mismatch.
Expected<void> checkValue(const Value& value, const ValueType& type);

}  // namespace wasmops::component
