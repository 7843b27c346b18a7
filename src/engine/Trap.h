#pragma once
// What a trap is, as the host sees it: the spec's kind and wording, the wasm
// function that trapped and the wasm frames above it.
#include <string>
#include <vector>

#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

enum class TrapKind {
  Unreachable = WASMOPS_TRAP_UNREACHABLE,
  MemoryOutOfBounds = WASMOPS_TRAP_MEMORY_OOB,
  TableOutOfBounds = WASMOPS_TRAP_TABLE_OOB,
  IntegerDivideByZero = WASMOPS_TRAP_INT_DIV_ZERO,
  IntegerOverflow = WASMOPS_TRAP_INT_OVERFLOW,
  InvalidConversion = WASMOPS_TRAP_INVALID_CONVERSION,
  UninitializedElement = WASMOPS_TRAP_INDIRECT_NULL,
  IndirectCallTypeMismatch = WASMOPS_TRAP_INDIRECT_TYPE,
  CallStackExhausted = WASMOPS_TRAP_STACK_EXHAUSTED,
  HostError = WASMOPS_TRAP_HOST,
  UndefinedElement = WASMOPS_TRAP_UNDEFINED_ELEMENT,
  Interrupted = WASMOPS_TRAP_INTERRUPTED,  // Store::interrupt (a timeout)
};

// The spec's wording ("integer divide by zero", ...).
const char* trapMessage(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;
  std::string function;  // the wasm function that trapped, when known
  // Wasm functions on the stack, innermost first, as far as the native
  // frames could be unwound (the optimized tier's have unwind tables).
  std::vector<std::string> backtrace;
};

}  // namespace wasmops::engine
