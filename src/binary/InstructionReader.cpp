#include "binary/InstructionReader.h"

#include <fmt/format.h>

namespace wasmops::binary {

Expected<void> InstructionReader::readMemArg(Instruction& out) {
  const auto start = r_.offset();
  WASMOPS_TRY_ASSIGN(out.align, r_.u32());
  // Multi-memory: bit 6 of the alignment field announces a memory index.
  if (out.align & 0x40) {
    out.align &= ~0x40u;
    WASMOPS_TRY_ASSIGN(out.memory, r_.u32());
    features_.add(Feature::MultiMemory);
  }
  if (out.align >= 64) return r_.errorAt(start, "malformed memop flags");
  if (memory64_) {
    WASMOPS_TRY_ASSIGN(out.memOffset, r_.u64());
  } else {
    WASMOPS_TRY_ASSIGN(out.memOffset, r_.u32());
  }
  return {};
}

// In 2.0 a memory index immediate is a reserved zero byte; multi-memory
// turns it into a LEB128 index. A non-zero first byte marks the feature.
Expected<void> InstructionReader::readMemoryIndex(std::uint32_t& into) {
  WASMOPS_TRY(auto b, r_.peekU8());
  if (b == 0) {
    (void)r_.u8();
    into = 0;
    return {};
  }
  features_.add(Feature::MultiMemory);
  WASMOPS_TRY_ASSIGN(into, r_.u32());
  return {};
}

Expected<void> InstructionReader::next(Instruction& out) {
  out = Instruction{};
  out.offset = r_.offset();
  WASMOPS_TRY(auto b, r_.u8());
  out.opcode = b;
  switch (b) {
    case 0x00: case 0x01: case 0x05: case 0x0b: case 0x0f: case 0x1a: case 0x1b: case 0xd1:
      return {};
    case 0x19:  // catch_all
      features_.add(Feature::Exceptions);
      return {};
    case 0x0a:  // throw_ref
      features_.add(Feature::Exceptions);
      return {};
    case 0x02: case 0x03: case 0x04: case 0x06: {
      if (b == 0x06) features_.add(Feature::Exceptions);
      WASMOPS_TRY_ASSIGN(out.block, readBlockType(r_, features_));
      if (out.block.kind == BlockType::Kind::Index) features_.add(Feature::MultiValue);
      return {};
    }
    case 0x1f: {  // try_table
      features_.add(Feature::Exceptions);
      WASMOPS_TRY_ASSIGN(out.block, readBlockType(r_, features_));
      WASMOPS_TRY(auto n, r_.count(2));
      for (std::uint32_t i = 0; i < n; ++i) {
        const auto at = r_.offset();
        WASMOPS_TRY(auto kind, r_.u8());
        if (kind > 3) return r_.errorAt(at, "malformed catch clause");
        if (kind < 2) WASMOPS_TRY_VOID(r_.u32());  // tag
        WASMOPS_TRY_VOID(r_.u32());                // label
      }
      return {};
    }
    case 0x07: case 0x08:  // catch, throw
    case 0x09: case 0x18:  // rethrow, delegate
      features_.add(Feature::Exceptions);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0x0c: case 0x0d: case 0x10: case 0xd2:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0x25: case 0x26:  // table.get/set
      features_.add(Feature::ReferenceTypes);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0x12:
      features_.add(Feature::TailCall);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0x14: case 0x15:  // call_ref, return_call_ref
      features_.add(Feature::FunctionReferences);
      if (b == 0x15) features_.add(Feature::TailCall);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0xd5: case 0xd6:  // br_on_null, br_on_non_null
      features_.add(Feature::FunctionReferences);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 0xd3: features_.add(Feature::Gc); return {};                  // ref.eq
    case 0xd4: features_.add(Feature::FunctionReferences); return {};  // ref.as_non_null
    case 0x11: case 0x13: {
      if (b == 0x13) features_.add(Feature::TailCall);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      WASMOPS_TRY_ASSIGN(out.index2, r_.u32());
      if (out.index2 != 0) features_.add(Feature::ReferenceTypes);
      return {};
    }
    case 0x0e: {
      WASMOPS_TRY(auto n, r_.count(1));
      labels_.clear();
      labels_.reserve(n + 1);
      for (std::uint32_t i = 0; i <= n; ++i) {
        WASMOPS_TRY(auto l, r_.u32());
        labels_.push_back(l);
      }
      out.labels = labels_;
      return {};
    }
    case 0x1c: {
      features_.add(Feature::ReferenceTypes);
      const auto at = r_.offset();
      WASMOPS_TRY(auto n, r_.count(1));
      if (n != 1) return makeErrorAt(ErrorCode::Invalid, at, "invalid result arity: select takes exactly one type");
      WASMOPS_TRY_ASSIGN(out.type, readValType(r_, features_));
      return {};
    }
    case 0x3f: case 0x40:  // memory.size/grow
      return readMemoryIndex(out.memory);
    case 0x41: {
      WASMOPS_TRY(auto v, r_.s32());
      out.bits = static_cast<std::uint32_t>(v);
      return {};
    }
    case 0x42: {
      WASMOPS_TRY(auto v, r_.s64());
      out.bits = static_cast<std::uint64_t>(v);
      return {};
    }
    case 0x43: {
      WASMOPS_TRY_ASSIGN(out.bits, r_.fixed32());
      return {};
    }
    case 0x44: {
      WASMOPS_TRY_ASSIGN(out.bits, r_.fixed64());
      return {};
    }
    case 0xd0: {
      WASMOPS_TRY(auto heap, readHeapType(r_, features_));
      features_.add(Feature::ReferenceTypes);
      out.type = ValType{ValKind::Ref, true, heap};
      return {};
    }
    case 0xfc: case 0xfd: case 0xfe: case 0xfb: {
      const auto at = r_.offset();
      WASMOPS_TRY(auto sub, r_.u32());
      if (sub >= (1u << 24)) return r_.errorAt(at, fmt::format("illegal opcode 0x{:02x} {}", b, sub));
      out.opcode = prefixed(b, sub);
      if (b == 0xfc) return readPrefixFC(sub, out);
      if (b == 0xfd) return readPrefixFD(sub, out);
      if (b == 0xfe) return readPrefixFE(sub, out);
      return readPrefixFB(sub, out);
    }
    default:
      if (b >= 0x28 && b <= 0x3e) return readMemArg(out);
      if (b >= 0x45 && b <= 0xbf) return {};
      if (b >= 0xc0 && b <= 0xc4) {
        features_.add(Feature::SignExtension);
        return {};
      }
      return r_.errorAt(out.offset, fmt::format("illegal opcode 0x{:02x}", b));
  }
}

Expected<void> InstructionReader::readPrefixFC(std::uint32_t sub, Instruction& out) {
  if (sub <= 7) {
    features_.add(Feature::NonTrappingFloatToInt);
    return {};
  }
  switch (sub) {
    case 8:  // memory.init data mem
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return readMemoryIndex(out.memory);
    case 9:  // data.drop
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 10:  // memory.copy dst src
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_VOID(readMemoryIndex(out.memory));
      return readMemoryIndex(out.index2);
    case 11:  // memory.fill
      features_.add(Feature::BulkMemory);
      return readMemoryIndex(out.memory);
    case 12:  // table.init elem table
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      WASMOPS_TRY_ASSIGN(out.index2, r_.u32());
      if (out.index2 != 0) features_.add(Feature::ReferenceTypes);
      return {};
    case 13:  // elem.drop
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 14:  // table.copy dst src
      features_.add(Feature::BulkMemory);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      WASMOPS_TRY_ASSIGN(out.index2, r_.u32());
      if (out.index != 0 || out.index2 != 0) features_.add(Feature::ReferenceTypes);
      return {};
    case 15: case 16: case 17:  // table.grow/size/fill
      features_.add(Feature::ReferenceTypes);
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    default:
      return r_.errorAt(out.offset, fmt::format("illegal opcode 0xfc {}", sub));
  }
}

Expected<void> InstructionReader::readPrefixFD(std::uint32_t sub, Instruction& out) {
  features_.add(Feature::Simd);
  if (sub <= 11 || sub == 92 || sub == 93) return readMemArg(out);
  if (sub == 12 || sub == 13) {
    WASMOPS_TRY(auto b, r_.bytes(16));
    out.bytes16 = b.data();
    return {};
  }
  if (sub >= 21 && sub <= 34) {
    WASMOPS_TRY_ASSIGN(out.lane, r_.u8());
    return {};
  }
  if (sub >= 84 && sub <= 91) {
    WASMOPS_TRY_VOID(readMemArg(out));
    WASMOPS_TRY_ASSIGN(out.lane, r_.u8());
    return {};
  }
  if (sub <= 255) {
    // 2.0 leaves a few numbers in this range unassigned.
    static constexpr std::uint32_t kUnassigned[] = {154, 162, 165, 166, 175, 176, 178, 179, 180, 187, 194,
                                                    197, 198, 207, 208, 210, 211, 212, 226, 238};
    for (auto u : kUnassigned)
      if (sub == u) return r_.errorAt(out.offset, fmt::format("illegal opcode 0xfd {}", sub));
    return {};
  }
  if (sub >= 0x100 && sub <= 0x113) {
    features_.add(Feature::RelaxedSimd);
    return {};
  }
  return r_.errorAt(out.offset, fmt::format("illegal opcode 0xfd {}", sub));
}

Expected<void> InstructionReader::readPrefixFE(std::uint32_t sub, Instruction& out) {
  features_.add(Feature::Threads);
  if (sub == 3) {  // atomic.fence
    const auto at = r_.offset();
    WASMOPS_TRY(auto z, r_.u8());
    if (z != 0) return r_.errorAt(at, "zero byte expected");
    return {};
  }
  if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return readMemArg(out);
  return r_.errorAt(out.offset, fmt::format("illegal opcode 0xfe {}", sub));
}

Expected<void> InstructionReader::readPrefixFB(std::uint32_t sub, Instruction& out) {
  features_.add(Feature::Gc);
  switch (sub) {
    case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16:  // one type index
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      return {};
    case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19:  // two indices
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      WASMOPS_TRY_ASSIGN(out.index2, r_.u32());
      return {};
    case 15: case 26: case 27: case 28: case 29: case 30:
      return {};
    case 20: case 21: case 22: case 23: {
      WASMOPS_TRY(auto heap, readHeapType(r_, features_));
      out.type = ValType{ValKind::Ref, sub == 21 || sub == 23, heap};
      return {};
    }
    case 24: case 25: {  // br_on_cast(_fail) flags label ht1 ht2
      const auto at = r_.offset();
      WASMOPS_TRY(auto flags, r_.u8());
      if (flags > 3) return r_.errorAt(at, "malformed br_on_cast flags");
      WASMOPS_TRY_ASSIGN(out.index, r_.u32());
      WASMOPS_TRY_VOID(readHeapType(r_, features_));
      WASMOPS_TRY_VOID(readHeapType(r_, features_));
      return {};
    }
    default:
      return r_.errorAt(out.offset, fmt::format("illegal opcode 0xfb {}", sub));
  }
}

}  // namespace wasmops::binary
