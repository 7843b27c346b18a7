#pragma once
// Decoding of the type encodings shared by sections and instructions.
#include "binary/ByteReader.h"
#include "binary/Features.h"
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

}  // namespace wasmops::binary
