#include "component/Value.h"

#include <bit>

#include <fmt/format.h>

#include "component/Unicode.h"

namespace wasmops::component {

Value Value::f32(float v) { return f32Bits(std::bit_cast<std::uint32_t>(v)); }
Value Value::f64(double v) { return f64Bits(std::bit_cast<std::uint64_t>(v)); }
Value Value::string(std::string s) {
  Value v;
  v.kind = ValueKind::String;
  v.text = std::move(s);
  return v;
}
float Value::asF32() const { return std::bit_cast<float>(static_cast<std::uint32_t>(bits)); }
double Value::asF64() const { return std::bit_cast<double>(bits); }

namespace {

Expected<void> mismatch(const std::string& path, std::string what) {
  return makeError(ErrorCode::Invalid, fmt::format("value{}: {}", path, what));
}

bool fitsSigned(std::uint64_t bits, int width) {
  auto v = static_cast<std::int64_t>(bits);
  std::int64_t lo = -(std::int64_t{1} << (width - 1)), hi = (std::int64_t{1} << (width - 1)) - 1;
  return v >= lo && v <= hi;
}

Expected<void> check(const Value& value, const ValueType& type, const std::string& path) {
  if (value.kind != type.kind)
    return mismatch(path, fmt::format("is a {}, the type is {}", toString(value.kind), toString(type.kind)));
  switch (type.kind) {
    case ValueKind::Bool: if (value.bits > 1) return mismatch(path, "bool is neither 0 nor 1"); break;
    case ValueKind::U8: if (value.bits > 0xff) return mismatch(path, "out of range for u8"); break;
    case ValueKind::U16: if (value.bits > 0xffff) return mismatch(path, "out of range for u16"); break;
    case ValueKind::U32: if (value.bits > 0xffffffff) return mismatch(path, "out of range for u32"); break;
    case ValueKind::S8: if (!fitsSigned(value.bits, 8)) return mismatch(path, "out of range for s8"); break;
    case ValueKind::S16: if (!fitsSigned(value.bits, 16)) return mismatch(path, "out of range for s16"); break;
    case ValueKind::S32: if (!fitsSigned(value.bits, 32)) return mismatch(path, "out of range for s32"); break;
    case ValueKind::F32: if (value.bits > 0xffffffff) return mismatch(path, "f32 bits wider than 32"); break;
    case ValueKind::Char:
      if (value.bits >= 0x110000 || (value.bits >= 0xd800 && value.bits <= 0xdfff))
        return mismatch(path, fmt::format("char {:#x} is not a Unicode scalar value", value.bits));
      break;
    case ValueKind::String:
      if (auto bad = firstInvalidUtf8(value.text)) return mismatch(path, fmt::format("invalid UTF-8 at byte {}", *bad));
      break;
    case ValueKind::Own:
    case ValueKind::Borrow:
      if (value.bits > 0xffffffff) return mismatch(path, "handle wider than 32 bits");
      break;
    case ValueKind::Flags:
      if (type.labels.size() < 64 && (value.bits >> type.labels.size()) != 0)
        return mismatch(path, fmt::format("flags {:#x} set a bit beyond the type's {} flags", value.bits, type.labels.size()));
      break;
    case ValueKind::List:
    case ValueKind::FixedList:
      if (value.packed) {
        if (type.kind != ValueKind::List || type.members[0]->kind != ValueKind::U8)
          return mismatch(path, "packed bytes where the type is not list<u8>");
        if (!value.items.empty()) return mismatch(path, "packed bytes with items too");
        break;
      }
      if (type.kind == ValueKind::FixedList && value.items.size() != type.length)
        return mismatch(path, fmt::format("has {} elements, the type {}", value.items.size(), type.length));
      for (std::size_t i = 0; i < value.items.size(); ++i)
        WASMOPS_TRY_VOID(check(value.items[i], *type.members[0], fmt::format("{}[{}]", path, i)));
      break;
    case ValueKind::Record:
    case ValueKind::Tuple:
      if (value.items.size() != type.members.size())
        return mismatch(path, fmt::format("has {} fields, the type {}", value.items.size(), type.members.size()));
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        std::string sub = type.kind == ValueKind::Record ? fmt::format("{}.{}", path, type.labels[i])
                                                         : fmt::format("{}.{}", path, i);
        WASMOPS_TRY_VOID(check(value.items[i], *type.members[i], sub));
      }
      break;
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result: {
      if (value.bits >= type.labels.size())
        return mismatch(path, fmt::format("case {} of a type with {} cases", value.bits, type.labels.size()));
      const auto& payload = type.members[value.bits];
      if (bool(payload) != !value.items.empty() || value.items.size() > 1)
        return mismatch(path, fmt::format("case '{}' {} a payload", type.labels[value.bits], payload ? "needs" : "has no"));
      if (payload) WASMOPS_TRY_VOID(check(value.items[0], *payload, fmt::format("{}.{}", path, type.labels[value.bits])));
      break;
    }
    default: break;
  }
  return {};
}

}  // namespace

Expected<void> checkValue(const Value& value, const ValueType& type) { return check(value, type, ""); }

std::optional<std::string> Value::listBytes() const {
  if (packed) return text;
  std::string out;
  out.reserve(items.size());
  for (const auto& v : items) {
    if (v.kind != ValueKind::U8) return std::nullopt;
    out.push_back(static_cast<char>(v.bits));
  }
  return out;
}

bool Value::operator==(const Value& other) const {
  if (kind != other.kind) return false;
  if (packed || other.packed) {
    auto a = listBytes(), b = other.listBytes();
    return a && b && *a == *b;
  }
  return bits == other.bits && text == other.text && items == other.items;
}

}  // namespace wasmops::component
