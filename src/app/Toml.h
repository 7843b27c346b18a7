#pragma once
// toml++ for the app layer's TOML readers (SpinManifest.cpp, RuntimeConfig.cpp),
// configured in this one place so that the two translation units compile its
// header-only (inline) functions identically: no exceptions (errors come
// back as parse_result values), no formatters, no shared library.
//
// TOML_UNREACHABLE becomes a trap: toml++ 3.3.0 reaches it on some inputs
// (TomlGuard.h), where its own definition, __builtin_unreachable(), is
// undefined behaviour. findTomlHazard() refuses those inputs with a located
// error first; the trap is what is left if it ever misses one.
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/impl/preprocessor.h>
#undef TOML_UNREACHABLE
#define TOML_UNREACHABLE __builtin_trap()
#include <toml++/toml.h>
