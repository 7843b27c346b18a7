#pragma once
// Reads one `canon` definition (Binary.md "Canonical Definitions"): lift,
// lower, the resource built-ins and their options, and the async, stream,
// future, error-context and thread built-ins as `Builtin` items. An opcode
// the format does not define is a located error.
#include "binary/ByteReader.h"
#include "binary/Component.h"
#include "binary/ComponentTypeReader.h"

namespace wasmops::binary {

Expected<CanonFunc> readCanon(ByteReader& r, ComponentTypeContext& ctx);
Expected<CanonOptions> readCanonOptions(ByteReader& r);

}  // namespace wasmops::binary
