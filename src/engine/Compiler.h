#pragma once
// Drives a C compiler (tcc for the fast tier, cc for the optimized tier) to
// turn emitted C into a shared object, under CPU, memory and time limits.
#include <atomic>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::engine {

enum class Tier { Fast, Optimized };
const char* toString(Tier tier);
Expected<Tier> parseTier(const std::string& text);

struct Compiler {
  Tier tier = Tier::Fast;
  std::string program;             // tcc, or $CC / cc
  std::vector<std::string> flags;  // everything but input and output
  std::string identity;            // resolved program, its size and mtime, flags: part of the cache key
  // How this build runs (not part of the key): a background build runs its
  // compilers at the lowest priority and kills them when `*cancel` is set.
  int niceness = 0;
  const std::atomic<bool>* cancel = nullptr;
};

// Finds the compiler for a tier (and its version, once per process).
Expected<Compiler> findCompiler(Tier tier);

// Compiles `cFile` into `soFile`; the compiler's output goes to `logFile`.
// A failure names both files: a compile error is an emitter bug.
Expected<void> compileSharedObject(const Compiler& compiler, const std::string& cFile, const std::string& soFile,
                                   const std::string& logFile);

// Builds `soFile` from several translation units. cc compiles each to
// `<unit>.o` (log `<unit>.log`), at most `jobs` at a time, each under the
// limits of a whole compile, then links them (log `<soFile>.log`). tcc takes
// all units in one invocation: it compiles a whole module in well under a
// second, and a process per unit would cost more than it saves.
Expected<void> compileUnits(const Compiler& compiler, const std::vector<std::string>& cFiles, const std::string& soFile,
                            unsigned jobs);

}  // namespace wasmops::engine
