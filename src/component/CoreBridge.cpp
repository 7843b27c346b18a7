#include "component/CoreBridge.h"

#include <cstring>

#include <fmt/format.h>

namespace wasmops::component {

std::span<std::uint8_t> EngineMemory::bytes() {
  if (!memory_ || !memory_->ext.memory) return {};
  const wasmops_memory& m = memory_->ext.memory->m;
  return {m.base, static_cast<std::size_t>(m.size)};
}

Expected<std::uint32_t> EngineMemory::realloc(std::uint32_t old, std::uint32_t oldSize, std::uint32_t alignment,
                                              std::uint32_t newSize) {
  if (!realloc_ || !realloc_->owner) return makeError(ErrorCode::Invalid, "the canon options have no realloc");
  std::vector<wasmops_val> args(4);
  args[0].i32 = old, args[1].i32 = oldSize, args[2].i32 = alignment, args[3].i32 = newSize;
  auto out = realloc_->owner->call(*realloc_->name, args);
  if (!out) return makeError(ErrorCode::Invalid, out.error());
  if (out->trap) return makeError(ErrorCode::Invalid, "trap: in realloc: " + out->trap->message);
  return out->results.at(0).i32;
}

binary::ValType coreValType(CoreType t) {
  binary::ValType v;
  switch (t) {
    case CoreType::I32: v.kind = binary::ValKind::I32; break;
    case CoreType::I64: v.kind = binary::ValKind::I64; break;
    case CoreType::F32: v.kind = binary::ValKind::F32; break;
    case CoreType::F64: v.kind = binary::ValKind::F64; break;
  }
  return v;
}

Expected<void> checkSignature(const binary::FuncType* type, const std::vector<CoreType>& params,
                              const std::vector<CoreType>& results, const char* what, std::uint64_t offset) {
  if (!type) return {};
  binary::FuncType want;
  for (auto t : params) want.params.push_back(coreValType(t));
  for (auto t : results) want.results.push_back(coreValType(t));
  if (type->params == want.params && type->results == want.results) return {};
  return makeErrorAt(ErrorCode::Invalid, offset, fmt::format("{} has core type {}, the canonical ABI needs {}", what,
                                                             binary::toString(*type), binary::toString(want)));
}

wasmops_val toWasm(const CoreValue& c) {
  wasmops_val v{};
  switch (c.type) {
    case CoreType::I32: v.i32 = static_cast<std::uint32_t>(c.bits); break;
    case CoreType::F32: {
      auto bits = static_cast<std::uint32_t>(c.bits);
      std::memcpy(&v.f32, &bits, 4);
      break;
    }
    case CoreType::I64: v.i64 = c.bits; break;
    case CoreType::F64: std::memcpy(&v.f64, &c.bits, 8); break;
  }
  return v;
}

CoreValue fromWasm(const wasmops_val& v, CoreType t) {
  switch (t) {
    case CoreType::I32: return CoreValue::i32(v.i32);
    case CoreType::I64: return CoreValue::i64(v.i64);
    case CoreType::F32: {
      std::uint32_t bits = 0;
      std::memcpy(&bits, &v.f32, 4);
      return CoreValue::f32Bits(bits);
    }
    case CoreType::F64: {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &v.f64, 8);
      return CoreValue::f64Bits(bits);
    }
  }
  return {};
}

Error trapError(const engine::Trap& trap) {
  std::string where = trap.function.empty() ? "" : fmt::format(" (in {})", trap.function);
  return Error(ErrorCode::Invalid, fmt::format("trap: {}{}", trap.message, where));
}

}  // namespace wasmops::component
