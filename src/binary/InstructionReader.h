#pragma once
// Decodes one instruction (opcode and immediates) at a time from a function
// body or constant expression. It checks the binary encoding only (that is
// what "malformed" means); typing is the validator's job. Knows WebAssembly
// 2.0 and the opcodes of later proposals, so that `inspect` can report the
// features a module uses.
#include <cstdint>
#include <span>
#include <vector>

#include "binary/ByteReader.h"
#include "binary/Features.h"
#include "binary/TypeReader.h"

namespace wasmops::binary {

// Single-byte opcodes are themselves; prefixed ones are (prefix << 24) | sub.
constexpr std::uint32_t prefixed(std::uint8_t prefix, std::uint32_t sub) {
  return (static_cast<std::uint32_t>(prefix) << 24) | sub;
}
namespace op {
constexpr std::uint32_t Unreachable = 0x00, Block = 0x02, Loop = 0x03, If = 0x04, Else = 0x05, Try = 0x06,
                        Catch = 0x07, End = 0x0b, Br = 0x0c, BrIf = 0x0d, BrTable = 0x0e, Return = 0x0f,
                        Call = 0x10, CallIndirect = 0x11, ReturnCall = 0x12, ReturnCallIndirect = 0x13,
                        Delegate = 0x18, CatchAll = 0x19, TryTable = 0x1f, LocalGet = 0x20, GlobalGet = 0x23,
                        I32Const = 0x41, I64Const = 0x42, F32Const = 0x43, F64Const = 0x44, I32Add = 0x6a,
                        I32Sub = 0x6b, I32Mul = 0x6c, I64Add = 0x7c, I64Sub = 0x7d, I64Mul = 0x7e,
                        RefNull = 0xd0, RefFunc = 0xd2;
constexpr std::uint32_t V128Const = prefixed(0xfd, 12);
constexpr std::uint32_t MemoryInit = prefixed(0xfc, 8), DataDrop = prefixed(0xfc, 9);
}  // namespace op

struct Instruction {
  std::uint32_t opcode = 0;
  std::uint64_t offset = 0;
  BlockType block;                  // block, loop, if, try, try_table
  std::uint32_t index = 0;          // first index immediate (func, type, local, global, table, label, ...)
  std::uint32_t index2 = 0;         // second index immediate (call_indirect table, copy source, ...)
  std::uint64_t memOffset = 0;      // memarg
  std::uint32_t align = 0;
  std::uint32_t memory = 0;
  std::uint8_t lane = 0;
  std::uint64_t bits = 0;           // const payload
  const std::uint8_t* bytes16 = nullptr;  // v128.const / shuffle
  std::span<const std::uint32_t> labels;  // br_table targets, default last
  ValType type;                     // ref.null heap type; select's type
};

class InstructionReader {
 public:
  // `memory64`: memarg offsets are 64-bit (some memory of the module is).
  InstructionReader(ByteReader& reader, FeatureSet& features, bool memory64)
      : r_(reader), features_(features), memory64_(memory64) {}

  Expected<void> next(Instruction& out);

 private:
  Expected<void> readMemArg(Instruction& out);
  Expected<void> readMemoryIndex(std::uint32_t& into);
  Expected<void> readPrefixFC(std::uint32_t sub, Instruction& out);
  Expected<void> readPrefixFD(std::uint32_t sub, Instruction& out);
  Expected<void> readPrefixFE(std::uint32_t sub, Instruction& out);
  Expected<void> readPrefixFB(std::uint32_t sub, Instruction& out);

  ByteReader& r_;
  FeatureSet& features_;
  bool memory64_;
  std::vector<std::uint32_t> labels_;
};

// Whether `opcode` opens a block that a matching `end` closes.
inline bool opensBlock(std::uint32_t opcode) {
  return opcode == op::Block || opcode == op::Loop || opcode == op::If || opcode == op::Try ||
         opcode == op::TryTable;
}

}  // namespace wasmops::binary
