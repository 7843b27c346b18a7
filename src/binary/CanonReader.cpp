#include "binary/CanonReader.h"

#include <fmt/format.h>

#include "binary/TypeReader.h"

namespace wasmops::binary {
namespace {

Expected<bool> readFlag(ByteReader& r, const char* what) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  if (b > 1) return r.errorAt(at, fmt::format("malformed {} immediate: expected 0x00 or 0x01, found 0x{:02x}", what, b));
  return b == 1;
}

// The immediates each built-in takes after its opcode (Binary.md, checked
// against wasmparser's canonicals.rs).
enum class Shape : std::uint8_t {
  None,            // backpressure.*, task.cancel, subtask.drop, waitable-set.new/drop, waitable.join, ...
  ResultOpts,      // task.return: resultlist opts
  CoreValSlot,     // context.get/set: core:valtype u32
  Async,           // subtask.cancel: async?
  Type,            // stream/future new, drop-readable, drop-writable
  TypeOpts,        // stream/future read, write
  TypeAsync,       // stream/future cancel-read, cancel-write
  Opts,            // error-context.new, debug-message
  CancelMemory,    // waitable-set.wait/poll: cancel? memidx
  Cancel,          // thread.suspend, thread.yield, ...
  CoreTypeTable,   // thread.new-indirect: core:typeidx tableidx
};

struct Builtin {
  std::uint8_t opcode;
  const char* name;
  Shape shape;
};

constexpr Builtin kBuiltins[] = {
    {0x05, "task.cancel", Shape::None},
    {0x06, "subtask.cancel", Shape::Async},
    {0x09, "task.return", Shape::ResultOpts},
    {0x0a, "context.get", Shape::CoreValSlot},
    {0x0b, "context.set", Shape::CoreValSlot},
    {0x0c, "thread.yield", Shape::Cancel},
    {0x0d, "subtask.drop", Shape::None},
    {0x0e, "stream.new", Shape::Type},
    {0x0f, "stream.read", Shape::TypeOpts},
    {0x10, "stream.write", Shape::TypeOpts},
    {0x11, "stream.cancel-read", Shape::TypeAsync},
    {0x12, "stream.cancel-write", Shape::TypeAsync},
    {0x13, "stream.drop-readable", Shape::Type},
    {0x14, "stream.drop-writable", Shape::Type},
    {0x15, "future.new", Shape::Type},
    {0x16, "future.read", Shape::TypeOpts},
    {0x17, "future.write", Shape::TypeOpts},
    {0x18, "future.cancel-read", Shape::TypeAsync},
    {0x19, "future.cancel-write", Shape::TypeAsync},
    {0x1a, "future.drop-readable", Shape::Type},
    {0x1b, "future.drop-writable", Shape::Type},
    {0x1c, "error-context.new", Shape::Opts},
    {0x1d, "error-context.debug-message", Shape::Opts},
    {0x1e, "error-context.drop", Shape::None},
    {0x1f, "waitable-set.new", Shape::None},
    {0x20, "waitable-set.wait", Shape::CancelMemory},
    {0x21, "waitable-set.poll", Shape::CancelMemory},
    {0x22, "waitable-set.drop", Shape::None},
    {0x23, "waitable.join", Shape::None},
    {0x24, "backpressure.inc", Shape::None},
    {0x25, "backpressure.dec", Shape::None},
    {0x26, "thread.index", Shape::None},
    {0x27, "thread.new-indirect", Shape::CoreTypeTable},
    {0x28, "thread.resume-later", Shape::None},
    {0x29, "thread.suspend", Shape::Cancel},
    {0x2a, "thread.suspend-then-resume", Shape::Cancel},
    {0x2b, "thread.yield-then-resume", Shape::Cancel},
    {0x2c, "thread.suspend-then-promote", Shape::Cancel},
    {0x2d, "thread.yield-then-promote", Shape::Cancel},
};

const Builtin* findBuiltin(std::uint8_t opcode) {
  for (const auto& b : kBuiltins)
    if (b.opcode == opcode) return &b;
  return nullptr;
}

Expected<void> readBuiltin(ByteReader& r, ComponentTypeContext& ctx, const Builtin& b, CanonFunc& c) {
  c.kind = CanonFunc::Kind::Builtin;
  c.builtin = b.name;
  switch (b.shape) {
    case Shape::None: return {};
    case Shape::ResultOpts:
      WASMOPS_TRY_ASSIGN(c.result, readResultList(r));
      WASMOPS_TRY_ASSIGN(c.options, readCanonOptions(r));
      return {};
    case Shape::CoreValSlot:
      WASMOPS_TRY_ASSIGN(c.coreType, readValType(r, ctx.coreFeatures));
      WASMOPS_TRY_ASSIGN(c.immediate, r.u32());
      return {};
    case Shape::Async: WASMOPS_TRY_ASSIGN(c.flag, readFlag(r, "async?")); return {};
    case Shape::Type: WASMOPS_TRY_ASSIGN(c.type, r.u32()); return {};
    case Shape::TypeOpts:
      WASMOPS_TRY_ASSIGN(c.type, r.u32());
      WASMOPS_TRY_ASSIGN(c.options, readCanonOptions(r));
      return {};
    case Shape::TypeAsync:
      WASMOPS_TRY_ASSIGN(c.type, r.u32());
      WASMOPS_TRY_ASSIGN(c.flag, readFlag(r, "async?"));
      return {};
    case Shape::Opts: WASMOPS_TRY_ASSIGN(c.options, readCanonOptions(r)); return {};
    case Shape::CancelMemory:
      WASMOPS_TRY_ASSIGN(c.flag, readFlag(r, "cancel?"));
      WASMOPS_TRY_ASSIGN(c.immediate, r.u32());
      return {};
    case Shape::Cancel: WASMOPS_TRY_ASSIGN(c.flag, readFlag(r, "cancel?")); return {};
    case Shape::CoreTypeTable:
      WASMOPS_TRY_ASSIGN(c.type, r.u32());
      WASMOPS_TRY_ASSIGN(c.immediate, r.u32());
      return {};
  }
  return {};
}

// The second byte of lift and lower is the `func` sort (0x00).
Expected<void> expectFuncSort(ByteReader& r, const char* what) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  if (b != 0x00) return r.errorAt(at, fmt::format("malformed {}: expected the func sort 0x00, found 0x{:02x}", what, b));
  return {};
}

}  // namespace

Expected<CanonOptions> readCanonOptions(ByteReader& r) {
  CanonOptions o;
  WASMOPS_TRY_ASSIGN(o.count, r.count(1));
  for (std::uint32_t i = 0; i < o.count; ++i) {
    const auto at = r.offset();
    WASMOPS_TRY(auto op, r.u8());
    if (o.order.size() < CanonOptions::kOrderKept) o.order.push_back(op);
    switch (op) {
      case 0x00:
      case 0x01:
      case 0x02:
        o.stringEncoding = static_cast<StringEncoding>(op);
        o.explicitEncoding = true;
        break;
      case 0x03: WASMOPS_TRY_ASSIGN(o.memory, r.u32()); break;
      case 0x04: WASMOPS_TRY_ASSIGN(o.realloc, r.u32()); break;
      case 0x05: WASMOPS_TRY_ASSIGN(o.postReturn, r.u32()); break;
      case 0x06: o.async = true; break;
      case 0x07: WASMOPS_TRY_ASSIGN(o.callback, r.u32()); break;
      // Not in Binary.md yet but defined by wasmparser (the reference
      // decoder) for the GC canonical ABI: `core-type f` and `gc`.
      case 0x08: WASMOPS_TRY_ASSIGN(o.coreType, r.u32()); break;
      case 0x09: o.gc = true; break;
      default: return r.errorAt(at, fmt::format("malformed canonical option: unknown opcode 0x{:02x}", op));
    }
  }
  return o;
}

Expected<CanonFunc> readCanon(ByteReader& r, ComponentTypeContext& ctx) {
  CanonFunc c;
  c.offset = r.offset();
  WASMOPS_TRY_ASSIGN(c.opcode, r.u8());
  switch (c.opcode) {
    case 0x00:
      c.kind = CanonFunc::Kind::Lift;
      c.builtin = "lift";
      WASMOPS_TRY_VOID(expectFuncSort(r, "canon lift"));
      WASMOPS_TRY_ASSIGN(c.func, r.u32());
      WASMOPS_TRY_ASSIGN(c.options, readCanonOptions(r));
      WASMOPS_TRY_ASSIGN(c.type, r.u32());
      return c;
    case 0x01:
      c.kind = CanonFunc::Kind::Lower;
      c.builtin = "lower";
      WASMOPS_TRY_VOID(expectFuncSort(r, "canon lower"));
      WASMOPS_TRY_ASSIGN(c.func, r.u32());
      WASMOPS_TRY_ASSIGN(c.options, readCanonOptions(r));
      return c;
    case 0x02:
    case 0x03:
    case 0x04:
      c.kind = c.opcode == 0x02 ? CanonFunc::Kind::ResourceNew
               : c.opcode == 0x03 ? CanonFunc::Kind::ResourceDrop
                                  : CanonFunc::Kind::ResourceRep;
      c.builtin = c.opcode == 0x02 ? "resource.new" : c.opcode == 0x03 ? "resource.drop" : "resource.rep";
      WASMOPS_TRY_ASSIGN(c.type, r.u32());
      return c;
    case 0x40:
    case 0x41:
    case 0x42:
      // Shared-everything threads: Binary.md and wasmparser disagree on the
      // immediates (a `shared?` byte or not), so these are refused rather
      // than guessed at.
      return makeErrorAt(ErrorCode::Unsupported, c.offset,
                         fmt::format("canon opcode 0x{:02x} (shared-everything threads) is not supported", c.opcode));
    default: break;
  }
  const auto* b = findBuiltin(c.opcode);
  if (!b) return r.errorAt(c.offset, fmt::format("malformed canon definition: unknown opcode 0x{:02x}", c.opcode));
  WASMOPS_TRY_VOID(readBuiltin(r, ctx, *b, c));
  return c;
}

}  // namespace wasmops::binary
