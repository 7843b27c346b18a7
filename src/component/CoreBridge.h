#pragma once
// Between the canonical ABI's core values and the engine's: a guest memory
// and realloc through engine calls, core value conversions, the check of a
// core function's signature against what the ABI calls it with, and guest
// traps as errors.
#include <cstdint>
#include <vector>

#include "base/Error.h"
#include "component/CanonicalAbi.h"
#include "component/InstanceItems.h"
#include "engine/Runtime.h"

namespace wasmops::component {

// A guest's memory and realloc, through the engine.
class EngineMemory final : public GuestMemory {
 public:
  EngineMemory(const CoreItem* memory, const CoreItem* realloc) : memory_(memory), realloc_(realloc) {}
  std::span<std::uint8_t> bytes() override;
  Expected<std::uint32_t> realloc(std::uint32_t old, std::uint32_t oldSize, std::uint32_t alignment,
                                  std::uint32_t newSize) override;

 private:
  const CoreItem* memory_;
  const CoreItem* realloc_;
};

binary::ValType coreValType(CoreType t);
// Whether a core function has the signature the canonical ABI calls it with
// (the component validator's check, repeated because a mismatch would make
// the engine read results that are not there).
// `type` is the core function's type (nullptr: unknown, not checked).
Expected<void> checkSignature(const binary::FuncType* type, const std::vector<CoreType>& params,
                              const std::vector<CoreType>& results, const char* what, std::uint64_t offset);
wasmops_val toWasm(const CoreValue& c);
CoreValue fromWasm(const wasmops_val& v, CoreType t);
// A guest trap as the component layer reports it ("trap: MESSAGE (in FUNCTION)").
Error trapError(const engine::Trap& trap);

}  // namespace wasmops::component
