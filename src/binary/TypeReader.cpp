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

Expected<void> readCompositeType(ByteReader& r, FeatureSet& f, const DecodeLimits& limits, TypeEntry& entry) {
  const auto at = r.offset();
  WASMOPS_TRY(auto form, r.u8());
  switch (form) {
    case 0x60: {
      entry.kind = CompositeKind::Func;
      const auto paramsAt = r.offset();
      WASMOPS_TRY(auto np, r.count(1));
      if (np > limits.maxParams)
        return makeErrorAt(ErrorCode::LimitExceeded, paramsAt, fmt::format("function type has {} parameters (limit {})", np, limits.maxParams));
      entry.func.params.reserve(np);
      for (std::uint32_t k = 0; k < np; ++k) {
        WASMOPS_TRY(auto t, readValType(r, f));
        entry.func.params.push_back(t);
      }
      const auto resultsAt = r.offset();
      WASMOPS_TRY(auto nr, r.count(1));
      if (nr > limits.maxResults)
        return makeErrorAt(ErrorCode::LimitExceeded, resultsAt, fmt::format("function type has {} results (limit {})", nr, limits.maxResults));
      entry.func.results.reserve(nr);
      for (std::uint32_t k = 0; k < nr; ++k) {
        WASMOPS_TRY(auto t, readValType(r, f));
        entry.func.results.push_back(t);
      }
      if (nr > 1) f.add(Feature::MultiValue);
      return {};
    }
    case 0x5f:
    case 0x5e: {
      f.add(Feature::Gc);
      entry.kind = form == 0x5f ? CompositeKind::Struct : CompositeKind::Array;
      std::uint32_t n = 1;
      if (form == 0x5f) {
        const auto nAt = r.offset();
        WASMOPS_TRY_ASSIGN(n, r.count(2));
        if (n > limits.maxStructFields)
          return makeErrorAt(ErrorCode::LimitExceeded, nAt, fmt::format("struct type has {} fields (limit {})", n, limits.maxStructFields));
      }
      for (std::uint32_t k = 0; k < n; ++k) {
        FieldType field;
        WASMOPS_TRY_ASSIGN(field.type, readStorageType(r, f));
        const auto mutAt = r.offset();
        WASMOPS_TRY(auto mut, r.u8());
        if (mut > 1) return r.errorAt(mutAt, "malformed mutability");
        field.mutable_ = mut == 1;
        entry.fields.push_back(field);
      }
      return {};
    }
    default:
      return r.errorAt(at, fmt::format("malformed type form 0x{:02x} (integer representation too long or unknown type)", form));
  }
}

Expected<TypeEntry> readSubType(ByteReader& r, FeatureSet& f, const DecodeLimits& limits) {
  TypeEntry entry;
  entry.offset = r.offset();
  WASMOPS_TRY(auto b, r.peekU8());
  if (b == 0x50 || b == 0x4f) {
    (void)r.u8();
    f.add(Feature::Gc);
    entry.final = b == 0x4f;
    WASMOPS_TRY(auto n, r.count(1));
    for (std::uint32_t k = 0; k < n; ++k) {
      WASMOPS_TRY(auto s, r.u32());
      entry.supertypes.push_back(s);
    }
  }
  WASMOPS_TRY_VOID(readCompositeType(r, f, limits, entry));
  return entry;
}

Expected<void> readImportDesc(ByteReader& r, FeatureSet& features, Import& imp) {
  const auto kindAt = r.offset();
  WASMOPS_TRY(auto kind, r.u8());
  switch (kind) {
    case 0:
      imp.kind = ExternKind::Func;
      WASMOPS_TRY_ASSIGN(imp.typeIndex, r.u32());
      return {};
    case 1:
      imp.kind = ExternKind::Table;
      WASMOPS_TRY_ASSIGN(imp.table, readTableType(r, features));
      return {};
    case 2:
      imp.kind = ExternKind::Memory;
      WASMOPS_TRY_ASSIGN(imp.memory, readLimits(r, features, true));
      return {};
    case 3:
      imp.kind = ExternKind::Global;
      WASMOPS_TRY_ASSIGN(imp.global, readGlobalType(r, features));
      if (imp.global.mutable_) features.add(Feature::MutableGlobals);
      return {};
    case 4: {
      imp.kind = ExternKind::Tag;
      features.add(Feature::Exceptions);
      const auto attrAt = r.offset();
      WASMOPS_TRY(auto attr, r.u8());
      if (attr != 0) return r.errorAt(attrAt, "malformed tag attribute");
      WASMOPS_TRY_ASSIGN(imp.typeIndex, r.u32());
      return {};
    }
    default:
      return r.errorAt(kindAt, fmt::format("malformed import kind {}", kind));
  }
}

}  // namespace wasmops::binary
