#include "binary/TypeReader.h"

#include <fmt/format.h>

namespace wasmops::binary {
namespace {

bool isAbstractHeapByte(std::uint8_t b) { return (b >= 0x69 && b <= 0x74); }

void noteHeapFeature(std::int64_t heap, FeatureSet& features) {
  switch (static_cast<HeapType>(heap)) {
    case HeapType::Func:
    case HeapType::Extern: break;
    case HeapType::Exn:
    case HeapType::NoExn: features.add(Feature::Exceptions); break;
    default: features.add(Feature::Gc); break;
  }
}

}  // namespace

Expected<std::int64_t> readHeapType(ByteReader& r, FeatureSet& features) {
  const auto start = r.offset();
  WASMOPS_TRY(auto b, r.peekU8());
  if (isAbstractHeapByte(b)) {
    (void)r.u8();
    std::int64_t heap = static_cast<std::int64_t>(b) - 0x80;
    noteHeapFeature(heap, features);
    return heap;
  }
  WASMOPS_TRY(auto v, r.s33());
  if (v < 0) return r.errorAt(start, fmt::format("malformed heap type {}", v));
  features.add(Feature::FunctionReferences);
  return v;
}

Expected<ValType> readValType(ByteReader& r, FeatureSet& features) {
  const auto start = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  switch (b) {
    case 0x7f: return ValType{ValKind::I32};
    case 0x7e: return ValType{ValKind::I64};
    case 0x7d: return ValType{ValKind::F32};
    case 0x7c: return ValType{ValKind::F64};
    case 0x7b: features.add(Feature::Simd); return ValType{ValKind::V128};
    case 0x64:
    case 0x63: {
      WASMOPS_TRY(auto heap, readHeapType(r, features));
      features.add(Feature::FunctionReferences);
      return ValType{ValKind::Ref, b == 0x63, heap};
    }
    default:
      if (isAbstractHeapByte(b)) {
        std::int64_t heap = static_cast<std::int64_t>(b) - 0x80;
        noteHeapFeature(heap, features);
        if (heap == static_cast<std::int64_t>(HeapType::Extern)) features.add(Feature::ReferenceTypes);
        return ValType{ValKind::Ref, true, heap};
      }
      return r.errorAt(start, fmt::format("malformed value type 0x{:02x}", b));
  }
}

Expected<ValType> readRefType(ByteReader& r, FeatureSet& features) {
  const auto start = r.offset();
  WASMOPS_TRY(auto t, readValType(r, features));
  if (!t.isRef()) return r.errorAt(start, "malformed reference type");
  return t;
}

Expected<ValType> readStorageType(ByteReader& r, FeatureSet& features) {
  WASMOPS_TRY(auto b, r.peekU8());
  if (b == 0x78 || b == 0x77) {
    (void)r.u8();
    return ValType{b == 0x78 ? ValKind::I8 : ValKind::I16};
  }
  return readValType(r, features);
}

Expected<Limits> readLimits(ByteReader& r, FeatureSet& features, bool isMemory) {
  const auto start = r.offset();
  WASMOPS_TRY(auto flags, r.u8());
  // Bit 0: has max; bit 1: shared (threads); bit 2: 64-bit index (memory64).
  if (flags > 0x07 || (!isMemory && (flags & 0x02)))
    return r.errorAt(start, fmt::format("malformed limits flags 0x{:02x}", flags));
  Limits limits;
  limits.shared = flags & 0x02;
  limits.is64 = flags & 0x04;
  if (limits.shared) features.add(Feature::Threads);
  if (limits.is64) features.add(Feature::Memory64);
  if (limits.is64) {
    WASMOPS_TRY_ASSIGN(limits.min, r.u64());
  } else {
    WASMOPS_TRY_ASSIGN(limits.min, r.u32());
  }
  if (flags & 0x01) {
    if (limits.is64) {
      WASMOPS_TRY(auto max, r.u64());
      limits.max = max;
    } else {
      WASMOPS_TRY(auto max, r.u32());
      limits.max = max;
    }
  }
  return limits;
}

Expected<TableType> readTableType(ByteReader& r, FeatureSet& features) {
  TableType t;
  WASMOPS_TRY_ASSIGN(t.elem, readRefType(r, features));
  if (t.elem.isExternref()) features.add(Feature::ReferenceTypes);
  WASMOPS_TRY_ASSIGN(t.limits, readLimits(r, features, false));
  return t;
}

Expected<GlobalType> readGlobalType(ByteReader& r, FeatureSet& features) {
  GlobalType g;
  WASMOPS_TRY_ASSIGN(g.type, readValType(r, features));
  const auto mutOffset = r.offset();
  WASMOPS_TRY(auto mut, r.u8());
  if (mut > 1) return r.errorAt(mutOffset, "malformed mutability");
  g.mutable_ = mut == 1;
  return g;
}

Expected<BlockType> readBlockType(ByteReader& r, FeatureSet& features) {
  WASMOPS_TRY(auto b, r.peekU8());
  BlockType bt;
  if (b == 0x40) {
    (void)r.u8();
    return bt;
  }
  // A value type is one byte with the sign bit pattern of a negative s33 (or
  // 0x63/0x64 prefixes for typed references); anything else is a type index.
  if ((b & 0xc0) == 0x40) {
    bt.kind = BlockType::Kind::Value;
    WASMOPS_TRY_ASSIGN(bt.value, readValType(r, features));
    return bt;
  }
  const auto start = r.offset();
  WASMOPS_TRY(auto idx, r.s33());
  if (idx < 0) return r.errorAt(start, "malformed block type");
  bt.kind = BlockType::Kind::Index;
  bt.index = static_cast<std::uint32_t>(idx);
  return bt;
}

}  // namespace wasmops::binary
