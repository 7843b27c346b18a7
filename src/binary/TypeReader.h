#pragma once
// Decoding of the type encodings shared by sections and instructions.
#include "binary/ByteReader.h"
#include "binary/Features.h"
#include "binary/Module.h"
#include "binary/ModuleDecoder.h"
#include "binary/Types.h"

namespace wasmops::binary {

Expected<std::int64_t> readHeapType(ByteReader& r, FeatureSet& features);
Expected<ValType> readValType(ByteReader& r, FeatureSet& features);
Expected<ValType> readRefType(ByteReader& r, FeatureSet& features);
Expected<ValType> readStorageType(ByteReader& r, FeatureSet& features);  // valtype | i8 | i16
Expected<Limits> readLimits(ByteReader& r, FeatureSet& features, bool isMemory);
Expected<TableType> readTableType(ByteReader& r, FeatureSet& features);
Expected<GlobalType> readGlobalType(ByteReader& r, FeatureSet& features);

// Block types: empty, one value type, or a type index.
struct BlockType {
  enum class Kind : std::uint8_t { Empty, Value, Index } kind = Kind::Empty;
  ValType value;
  std::uint32_t index = 0;
};
Expected<BlockType> readBlockType(ByteReader& r, FeatureSet& features);

// A composite type (func, struct, array) and a subtype (an optional `sub` or
// `sub final` prefix, then a composite type): shared by the module type
// section and the component's core types.
Expected<void> readCompositeType(ByteReader& r, FeatureSet& features, const DecodeLimits& limits, TypeEntry& entry);
Expected<TypeEntry> readSubType(ByteReader& r, FeatureSet& features, const DecodeLimits& limits);

// The kind byte and type of an import (core:externtype): fills imp.kind and
// the matching type field.
Expected<void> readImportDesc(ByteReader& r, FeatureSet& features, Import& imp);

}  // namespace wasmops::binary
