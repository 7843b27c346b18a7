#include "component/CanonicalAbi.h"

#include <bit>

#include <cstring>

#include <fmt/format.h>

#include "component/GuestMemoryAccess.h"
#include "component/Unicode.h"

namespace wasmops::component {

using abi::canonicalF32;
using abi::canonicalF64;
using abi::checkRange;
using abi::readLe;
using abi::trap;
using abi::writeLe;

CoreValue CoreValue::f32(float v) { return f32Bits(std::bit_cast<std::uint32_t>(v)); }
CoreValue CoreValue::f64(double v) { return f64Bits(std::bit_cast<std::uint64_t>(v)); }

namespace {

Value makeScalar(ValueKind kind, std::uint64_t bits) {
  Value v;
  v.kind = kind;
  v.bits = bits;
  return v;
}

std::uint64_t signExtend(std::uint64_t bits, unsigned width) {
  if (width == 64) return bits;
  std::uint64_t sign = std::uint64_t{1} << (width - 1);
  bits &= (sign << 1) - 1;
  return (bits ^ sign) - sign;
}

unsigned byteWidth(ValueKind kind) {
  switch (kind) {
    case ValueKind::Bool: case ValueKind::S8: case ValueKind::U8: return 1;
    case ValueKind::S16: case ValueKind::U16: return 2;
    case ValueKind::S64: case ValueKind::U64: case ValueKind::F64: return 8;
    default: return 4;
  }
}

bool isSigned(ValueKind kind) {
  return kind == ValueKind::S8 || kind == ValueKind::S16 || kind == ValueKind::S32 || kind == ValueKind::S64;
}

// convert_i32_to_char.
Expected<Value> toChar(std::uint64_t i, std::uint64_t where, const char* from) {
  if (!isScalarValue(i))
    return trap(fmt::format("char {:#x} {} {:#x} is not a Unicode scalar value", i, from, where));
  return makeScalar(ValueKind::Char, i);
}

Expected<ResourceTable*> tableFor(AbiContext& cx, const char* what) {
  if (!cx.handles) return makeError(ErrorCode::Invalid, fmt::format("{} needs the instance's handle table", what));
  return cx.handles;
}

Expected<Value> liftHandle(AbiContext& cx, const ValueType& type, std::uint32_t index) {
  WASMOPS_TRY(ResourceTable * table, tableFor(cx, toString(type.kind)));
  if (type.kind == ValueKind::Own) {
    WASMOPS_TRY(std::uint32_t rep, table->liftOwn(index, type.resource));
    return Value::own(rep);
  }
  if (!cx.call) return makeError(ErrorCode::Invalid, "lifting a borrow needs the call's borrow scope");
  WASMOPS_TRY(std::uint32_t rep, table->liftBorrow(index, type.resource, *cx.call));
  return Value::borrow(rep);
}

Expected<std::uint32_t> lowerHandle(AbiContext& cx, const ValueType& type, const Value& value) {
  WASMOPS_TRY(ResourceTable * table, tableFor(cx, toString(type.kind)));
  auto rep = static_cast<std::uint32_t>(value.bits);
  if (type.kind == ValueKind::Own) return table->lowerOwn(rep, type.resource);
  if (!cx.call) return makeError(ErrorCode::Invalid, "lowering a borrow needs the call's borrow scope");
  bool here = cx.implements && cx.implements(type.resource);
  return table->lowerBorrow(rep, type.resource, here, *cx.call);
}

// ---- load ------------------------------------------------------------------

Expected<Value> loadAt(AbiContext& cx, std::span<const std::uint8_t> memory, const ValueType& type, std::uint64_t ptr);

Expected<std::vector<Value>> loadElements(AbiContext& cx, std::span<const std::uint8_t> memory, const ValueType& element,
                                          std::uint64_t ptr, std::uint64_t count) {
  std::vector<Value> items;
  items.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    WASMOPS_TRY(Value item, loadAt(cx, memory, element, ptr + i * element.size));
    items.push_back(std::move(item));
  }
  return items;
}

// load_list_from_range: the length and range traps before any element is
// read. A list<u8> comes out packed: one copy, not a Value per byte.
Expected<Value> loadListRange(AbiContext& cx, const ValueType& element, std::uint32_t ptr, std::uint32_t length) {
  std::uint64_t bytes = std::uint64_t{length} * element.size;
  if (bytes > kMaxListByteLength)
    return trap(fmt::format("list at {:#x} of {} elements is {} bytes, more than the limit of {}", ptr, length, bytes,
                            kMaxListByteLength));
  WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a list"));
  WASMOPS_TRY_VOID(checkRange(memory, ptr, bytes, element.alignment, "list"));
  if (element.kind == ValueKind::U8)
    return Value::bytes(std::string(reinterpret_cast<const char*>(memory.data()) + ptr, static_cast<std::size_t>(bytes)));
  WASMOPS_TRY(auto items, loadElements(cx, memory, element, ptr, length));
  return Value::list(std::move(items));
}

Expected<Value> loadAt(AbiContext& cx, std::span<const std::uint8_t> memory, const ValueType& type, std::uint64_t ptr) {
  switch (type.kind) {
    case ValueKind::Bool: return Value::boolean(memory[ptr] != 0);
    case ValueKind::S8: case ValueKind::U8: case ValueKind::S16: case ValueKind::U16:
    case ValueKind::S32: case ValueKind::U32: case ValueKind::S64: case ValueKind::U64: {
      unsigned width = byteWidth(type.kind);
      std::uint64_t bits = readLe(memory, ptr, width);
      return makeScalar(type.kind, isSigned(type.kind) ? signExtend(bits, width * 8) : bits);
    }
    case ValueKind::F32: return Value::f32Bits(canonicalF32(static_cast<std::uint32_t>(readLe(memory, ptr, 4))));
    case ValueKind::F64: return Value::f64Bits(canonicalF64(readLe(memory, ptr, 8)));
    case ValueKind::Char: return toChar(readLe(memory, ptr, 4), ptr, "at");
    case ValueKind::String: {
      auto begin = static_cast<std::uint32_t>(readLe(memory, ptr, 4));
      auto units = static_cast<std::uint32_t>(readLe(memory, ptr + 4, 4));
      WASMOPS_TRY(std::string text, liftString(cx, begin, units));
      return Value::string(std::move(text));
    }
    case ValueKind::List: {
      auto begin = static_cast<std::uint32_t>(readLe(memory, ptr, 4));
      auto length = static_cast<std::uint32_t>(readLe(memory, ptr + 4, 4));
      return loadListRange(cx, *type.members[0], begin, length);
    }
    case ValueKind::FixedList: {
      WASMOPS_TRY(auto items, loadElements(cx, memory, *type.members[0], ptr, type.length));
      return Value::fixedList(std::move(items));
    }
    case ValueKind::Record:
    case ValueKind::Tuple: {
      Value v;
      v.kind = type.kind;
      v.items.reserve(type.members.size());
      for (std::size_t i = 0; i < type.members.size(); ++i) {
        WASMOPS_TRY(Value field, loadAt(cx, memory, *type.members[i], ptr + type.offsets[i]));
        v.items.push_back(std::move(field));
      }
      return v;
    }
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result: {
      std::uint64_t index = readLe(memory, ptr, type.discriminantSize);
      if (index >= type.labels.size())
        return trap(fmt::format("{} discriminant {} at {:#x} is out of range ({} cases)", toString(type.kind), index, ptr,
                                type.labels.size()));
      Value v = makeScalar(type.kind, index);
      if (const auto& payload = type.members[index]) {
        WASMOPS_TRY(Value p, loadAt(cx, memory, *payload, ptr + type.payloadOffset));
        v.items.push_back(std::move(p));
      }
      return v;
    }
    case ValueKind::Flags: {
      std::uint64_t bits = readLe(memory, ptr, type.alignment);
      // unpack_flags_from_int reads one bit per label; higher bits are ignored.
      std::uint64_t mask = (std::uint64_t{1} << type.labels.size()) - 1;
      return Value::flags(static_cast<std::uint32_t>(bits & mask));
    }
    case ValueKind::Own:
    case ValueKind::Borrow: return liftHandle(cx, type, static_cast<std::uint32_t>(readLe(memory, ptr, 4)));
  }
  return makeError(ErrorCode::Internal, "unknown value kind");
}

// ---- store -----------------------------------------------------------------

Expected<void> storeAt(AbiContext& cx, const Value& value, const ValueType& type, std::uint64_t ptr);

// store_list_into_range; a packed list<u8> is one copy.
Expected<std::uint32_t> storeListRange(AbiContext& cx, const Value& list, const ValueType& element) {
  std::uint64_t bytes = std::uint64_t{list.listSize()} * element.size;
  WASMOPS_TRY(std::uint32_t ptr, abi::reallocate(cx, 0, 0, element.alignment, bytes, "a list"));
  if (list.packed) {
    WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a list"));
    WASMOPS_TRY_VOID(checkRange(memory, ptr, bytes, 1, "list"));
    std::memcpy(memory.data() + ptr, list.text.data(), list.text.size());
    return ptr;
  }
  for (std::size_t i = 0; i < list.items.size(); ++i)
    WASMOPS_TRY_VOID(storeAt(cx, list.items[i], element, ptr + i * std::uint64_t{element.size}));
  return ptr;
}

Expected<void> storeAt(AbiContext& cx, const Value& value, const ValueType& type, std::uint64_t ptr) {
  switch (type.kind) {
    case ValueKind::Bool: return writeLe(cx, ptr, value.bits != 0 ? 1 : 0, 1);
    case ValueKind::S8: case ValueKind::U8: case ValueKind::S16: case ValueKind::U16:
    case ValueKind::S32: case ValueKind::U32: case ValueKind::S64: case ValueKind::U64:
    case ValueKind::Char: return writeLe(cx, ptr, value.bits, byteWidth(type.kind));
    case ValueKind::F32: return writeLe(cx, ptr, canonicalF32(static_cast<std::uint32_t>(value.bits)), 4);
    case ValueKind::F64: return writeLe(cx, ptr, canonicalF64(value.bits), 8);
    case ValueKind::String: {
      WASMOPS_TRY(auto range, lowerString(cx, value.text));
      WASMOPS_TRY_VOID(writeLe(cx, ptr, range.first, 4));
      return writeLe(cx, ptr + 4, range.second, 4);
    }
    case ValueKind::List: {
      WASMOPS_TRY(std::uint32_t begin, storeListRange(cx, value, *type.members[0]));
      WASMOPS_TRY_VOID(writeLe(cx, ptr, begin, 4));
      return writeLe(cx, ptr + 4, value.listSize(), 4);
    }
    case ValueKind::FixedList:
      for (std::size_t i = 0; i < value.items.size(); ++i)
        WASMOPS_TRY_VOID(storeAt(cx, value.items[i], *type.members[0], ptr + i * std::uint64_t{type.members[0]->size}));
      return {};
    case ValueKind::Record:
    case ValueKind::Tuple:
      for (std::size_t i = 0; i < type.members.size(); ++i)
        WASMOPS_TRY_VOID(storeAt(cx, value.items[i], *type.members[i], ptr + type.offsets[i]));
      return {};
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result:
      WASMOPS_TRY_VOID(writeLe(cx, ptr, value.bits, type.discriminantSize));
      if (const auto& payload = type.members[value.bits]) return storeAt(cx, value.items[0], *payload, ptr + type.payloadOffset);
      return {};
    case ValueKind::Flags: return writeLe(cx, ptr, value.bits, type.alignment);
    case ValueKind::Own:
    case ValueKind::Borrow: {
      WASMOPS_TRY(std::uint32_t index, lowerHandle(cx, type, value));
      return writeLe(cx, ptr, index, 4);
    }
  }
  return makeError(ErrorCode::Internal, "unknown value kind");
}

// ---- flat ------------------------------------------------------------------

struct FlatReader {
  std::span<const CoreValue> values;
  std::size_t& position;

  Expected<std::uint64_t> next(CoreType want) {
    if (position >= values.size())
      return makeError(ErrorCode::Invalid, fmt::format("core value {} is missing (a {} was expected)", position, toString(want)));
    const CoreValue& v = values[position];
    if (v.type != want)
      return makeError(ErrorCode::Invalid,
                       fmt::format("core value {} is a {}, a {} was expected", position, toString(v.type), toString(want)));
    ++position;
    return want == CoreType::I32 || want == CoreType::F32 ? v.bits & 0xffffffffu : v.bits;
  }
};

Expected<Value> liftFlatAt(AbiContext& cx, const ValueType& type, FlatReader& in) {
  switch (type.kind) {
    case ValueKind::Bool: {
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::I32));
      return Value::boolean(i != 0);  // convert_int_to_bool: any non-zero is true
    }
    case ValueKind::S8: case ValueKind::U8: case ValueKind::S16: case ValueKind::U16:
    case ValueKind::S32: case ValueKind::U32: case ValueKind::S64: case ValueKind::U64: {
      unsigned width = byteWidth(type.kind) * 8;
      WASMOPS_TRY(std::uint64_t i, in.next(width == 64 ? CoreType::I64 : CoreType::I32));
      // lift_flat_unsigned/signed: the low bits of the core value, wrapped.
      if (isSigned(type.kind)) return makeScalar(type.kind, signExtend(i, width));
      return makeScalar(type.kind, width == 64 ? i : i & ((std::uint64_t{1} << width) - 1));
    }
    case ValueKind::F32: {
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::F32));
      return Value::f32Bits(canonicalF32(static_cast<std::uint32_t>(i)));
    }
    case ValueKind::F64: {
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::F64));
      return Value::f64Bits(canonicalF64(i));
    }
    case ValueKind::Char: {
      std::size_t at = in.position;
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::I32));
      return toChar(i, at, "in core value");
    }
    case ValueKind::String: {
      WASMOPS_TRY(std::uint64_t ptr, in.next(CoreType::I32));
      WASMOPS_TRY(std::uint64_t units, in.next(CoreType::I32));
      WASMOPS_TRY(std::string text, liftString(cx, static_cast<std::uint32_t>(ptr), static_cast<std::uint32_t>(units)));
      return Value::string(std::move(text));
    }
    case ValueKind::List: {
      WASMOPS_TRY(std::uint64_t ptr, in.next(CoreType::I32));
      WASMOPS_TRY(std::uint64_t length, in.next(CoreType::I32));
      return loadListRange(cx, *type.members[0], static_cast<std::uint32_t>(ptr), static_cast<std::uint32_t>(length));
    }
    case ValueKind::FixedList:
    case ValueKind::Record:
    case ValueKind::Tuple: {
      Value v;
      v.kind = type.kind;
      std::size_t count = type.kind == ValueKind::FixedList ? type.length : type.members.size();
      v.items.reserve(count);
      for (std::size_t i = 0; i < count; ++i) {
        const ValueType& member = type.kind == ValueKind::FixedList ? *type.members[0] : *type.members[i];
        WASMOPS_TRY(Value item, liftFlatAt(cx, member, in));
        v.items.push_back(std::move(item));
      }
      return v;
    }
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result: {
      std::size_t at = in.position;
      WASMOPS_TRY(std::uint64_t index, in.next(CoreType::I32));
      if (index >= type.labels.size())
        return trap(fmt::format("{} discriminant {} in core value {} is out of range ({} cases)", toString(type.kind), index,
                                at, type.labels.size()));
      // Read every joined slot as its joined type, then give the case's
      // payload its own types back (lift_flat_variant's CoerceValueIter).
      std::vector<CoreValue> joined;
      for (std::size_t k = 1; k < type.flat.size(); ++k) {
        WASMOPS_TRY(std::uint64_t bits, in.next(type.flat[k]));
        joined.push_back({type.flat[k], bits});
      }
      Value v = makeScalar(type.kind, index);
      const auto& payload = type.members[index];
      if (!payload) return v;
      std::vector<CoreValue> own;
      for (std::size_t k = 0; k < payload->flat.size(); ++k) {
        CoreType want = payload->flat[k];
        std::uint64_t bits = joined[k].bits;
        if (want == CoreType::I32 || want == CoreType::F32) bits &= 0xffffffffu;  // wrap_i64_to_i32
        own.push_back({want, bits});
      }
      std::size_t inner = 0;
      FlatReader payloadIn{own, inner};
      WASMOPS_TRY(Value p, liftFlatAt(cx, *payload, payloadIn));
      v.items.push_back(std::move(p));
      return v;
    }
    case ValueKind::Flags: {
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::I32));
      std::uint64_t mask = (std::uint64_t{1} << type.labels.size()) - 1;
      return Value::flags(static_cast<std::uint32_t>(i & mask));
    }
    case ValueKind::Own:
    case ValueKind::Borrow: {
      WASMOPS_TRY(std::uint64_t i, in.next(CoreType::I32));
      return liftHandle(cx, type, static_cast<std::uint32_t>(i));
    }
  }
  return makeError(ErrorCode::Internal, "unknown value kind");
}

Expected<void> lowerFlatAt(AbiContext& cx, const Value& value, const ValueType& type, std::vector<CoreValue>& out) {
  switch (type.kind) {
    case ValueKind::Bool: out.push_back(CoreValue::i32(value.bits != 0 ? 1 : 0)); return {};
    case ValueKind::S8: case ValueKind::U8: case ValueKind::S16: case ValueKind::U16:
    case ValueKind::S32: case ValueKind::U32: case ValueKind::Char:
      out.push_back(CoreValue::i32(static_cast<std::uint32_t>(value.bits)));  // lower_flat_signed: two's complement
      return {};
    case ValueKind::S64: case ValueKind::U64: out.push_back(CoreValue::i64(value.bits)); return {};
    case ValueKind::F32: out.push_back(CoreValue::f32Bits(canonicalF32(static_cast<std::uint32_t>(value.bits)))); return {};
    case ValueKind::F64: out.push_back(CoreValue::f64Bits(canonicalF64(value.bits))); return {};
    case ValueKind::String: {
      WASMOPS_TRY(auto range, lowerString(cx, value.text));
      out.push_back(CoreValue::i32(range.first));
      out.push_back(CoreValue::i32(range.second));
      return {};
    }
    case ValueKind::List: {
      WASMOPS_TRY(std::uint32_t ptr, storeListRange(cx, value, *type.members[0]));
      out.push_back(CoreValue::i32(ptr));
      out.push_back(CoreValue::i32(static_cast<std::uint32_t>(value.listSize())));
      return {};
    }
    case ValueKind::FixedList:
    case ValueKind::Record:
    case ValueKind::Tuple:
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        const ValueType& member = type.kind == ValueKind::FixedList ? *type.members[0] : *type.members[i];
        WASMOPS_TRY_VOID(lowerFlatAt(cx, value.items[i], member, out));
      }
      return {};
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result: {
      out.push_back(CoreValue::i32(static_cast<std::uint32_t>(value.bits)));
      std::size_t slot = 1;
      if (const auto& payload = type.members[value.bits]) {
        std::vector<CoreValue> own;
        WASMOPS_TRY_VOID(lowerFlatAt(cx, value.items[0], *payload, own));
        // lower_flat_variant: each payload value widened to its joined slot's
        // type (floats by their bits, i32 zero-extended).
        for (const CoreValue& v : own) out.push_back({type.flat[slot++], v.bits});
      }
      for (; slot < type.flat.size(); ++slot) out.push_back({type.flat[slot], 0});
      return {};
    }
    case ValueKind::Flags: out.push_back(CoreValue::i32(static_cast<std::uint32_t>(value.bits))); return {};
    case ValueKind::Own:
    case ValueKind::Borrow: {
      WASMOPS_TRY(std::uint32_t index, lowerHandle(cx, type, value));
      out.push_back(CoreValue::i32(index));
      return {};
    }
  }
  return makeError(ErrorCode::Internal, "unknown value kind");
}

Expected<void> checkFlat(const ValueType& type) {
  if (type.flatTooWide)
    return makeError(ErrorCode::Invalid, fmt::format("a {} of more than {} core values is never passed flat", toString(type.kind),
                                                     kMaxFlatParams));
  return {};
}

Expected<std::uint32_t> pointerArg(std::span<const CoreValue> flat, std::size_t at, const char* what) {
  std::size_t position = at;
  FlatReader in{flat, position};
  auto ptr = in.next(CoreType::I32);
  if (!ptr) return makeError(ErrorCode::Invalid, fmt::format("{}: {}", what, ptr.error().message));
  return static_cast<std::uint32_t>(*ptr);
}

Expected<void> checkCount(std::span<const CoreValue> flat, std::size_t expected, const char* what) {
  if (flat.size() != expected)
    return makeError(ErrorCode::Invalid, fmt::format("{}: {} core values, the signature has {}", what, flat.size(), expected));
  return {};
}

}  // namespace

Expected<Value> load(AbiContext& cx, const ValueType& type, std::uint32_t ptr) {
  WASMOPS_TRY(auto memory, abi::memoryBytes(cx, "a load"));
  WASMOPS_TRY_VOID(checkRange(memory, ptr, type.size, type.alignment, toString(type.kind)));
  return loadAt(cx, memory, type, ptr);
}

Expected<void> store(AbiContext& cx, const Value& value, const ValueType& type, std::uint32_t ptr) {
  WASMOPS_TRY_VOID(checkValue(value, type));
  WASMOPS_TRY_VOID(checkRange(cx, ptr, type.size, type.alignment, toString(type.kind)));
  return storeAt(cx, value, type, ptr);
}

Expected<Value> liftFlat(AbiContext& cx, const ValueType& type, std::span<const CoreValue> flat, std::size_t& position) {
  WASMOPS_TRY_VOID(checkFlat(type));
  FlatReader in{flat, position};
  return liftFlatAt(cx, type, in);
}

Expected<void> lowerFlat(AbiContext& cx, const Value& value, const ValueType& type, std::vector<CoreValue>& out) {
  WASMOPS_TRY_VOID(checkFlat(type));
  WASMOPS_TRY_VOID(checkValue(value, type));
  return lowerFlatAt(cx, value, type, out);
}

Expected<std::vector<CoreValue>> lowerParams(AbiContext& cx, const FunctionType& fn, std::span<const Value> args) {
  if (args.size() != fn.params.size())
    return makeError(ErrorCode::Invalid, fmt::format("{} arguments for a function of {} parameters", args.size(), fn.params.size()));
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto ok = checkValue(args[i], *fn.params[i]);
    if (!ok) return makeError(ErrorCode::Invalid, fmt::format("argument '{}': {}", fn.paramNames[i], ok.error().message));
  }
  std::vector<CoreValue> out;
  if (fn.paramsInMemory) {
    // lower_flat_values: more than MAX_FLAT_PARAMS: the tuple goes in memory the callee's realloc gives.
    const ValueType& tuple = *fn.paramTuple;
    WASMOPS_TRY(std::uint32_t ptr, abi::reallocate(cx, 0, 0, tuple.alignment, tuple.size, "the spilled parameters"));
    for (std::size_t i = 0; i < args.size(); ++i) WASMOPS_TRY_VOID(storeAt(cx, args[i], *fn.params[i], ptr + tuple.offsets[i]));
    out.push_back(CoreValue::i32(ptr));
    return out;
  }
  for (std::size_t i = 0; i < args.size(); ++i) WASMOPS_TRY_VOID(lowerFlatAt(cx, args[i], *fn.params[i], out));
  return out;
}

Expected<std::optional<Value>> liftResults(AbiContext& cx, const FunctionType& fn, std::span<const CoreValue> flat) {
  WASMOPS_TRY_VOID(checkCount(flat, fn.liftResults.size(), "results"));
  if (!fn.result) return std::optional<Value>{};
  if (fn.resultInMemory) {
    WASMOPS_TRY(std::uint32_t ptr, pointerArg(flat, 0, "result pointer"));
    WASMOPS_TRY(Value v, load(cx, *fn.result, ptr));
    return std::optional<Value>(std::move(v));
  }
  std::size_t position = 0;
  WASMOPS_TRY(Value v, liftFlat(cx, *fn.result, flat, position));
  return std::optional<Value>(std::move(v));
}

Expected<std::vector<Value>> liftParams(AbiContext& cx, const FunctionType& fn, std::span<const CoreValue> flat) {
  WASMOPS_TRY_VOID(checkCount(flat, fn.lowerParams.size(), "arguments"));
  std::vector<Value> args;
  if (fn.paramsInMemory) {
    WASMOPS_TRY(std::uint32_t ptr, pointerArg(flat, 0, "parameter pointer"));
    WASMOPS_TRY(Value tuple, load(cx, *fn.paramTuple, ptr));
    return std::move(tuple.items);
  }
  std::size_t position = 0;
  FlatReader in{flat, position};
  for (const auto& param : fn.params) {
    WASMOPS_TRY(Value v, liftFlatAt(cx, *param, in));
    args.push_back(std::move(v));
  }
  return args;
}

Expected<std::vector<CoreValue>> lowerResults(AbiContext& cx, const FunctionType& fn, const std::optional<Value>& result,
                                              std::span<const CoreValue> args) {
  if (bool(result) != bool(fn.result))
    return makeError(ErrorCode::Invalid, fn.result ? "the function returns a value, none was given" : "the function returns nothing");
  std::vector<CoreValue> out;
  if (!result) return out;
  auto ok = checkValue(*result, *fn.result);
  if (!ok) return makeError(ErrorCode::Invalid, fmt::format("result: {}", ok.error().message));
  if (fn.resultInMemory) {
    WASMOPS_TRY_VOID(checkCount(args, fn.lowerParams.size(), "arguments"));
    WASMOPS_TRY(std::uint32_t ptr, pointerArg(args, args.size() - 1, "return pointer"));
    WASMOPS_TRY_VOID(checkRange(cx, ptr, fn.result->size, fn.result->alignment, "return area"));
    WASMOPS_TRY_VOID(storeAt(cx, *result, *fn.result, ptr));
    return out;
  }
  WASMOPS_TRY_VOID(lowerFlatAt(cx, *result, *fn.result, out));
  return out;
}

}  // namespace wasmops::component
