#include "binary/Types.h"

#include <fmt/format.h>

namespace wasmops::binary {

std::string heapTypeName(std::int64_t heap) {
  if (heap >= 0) return fmt::format("{}", heap);
  switch (static_cast<HeapType>(heap)) {
    case HeapType::NoExn: return "noexn";
    case HeapType::NoFunc: return "nofunc";
    case HeapType::NoExtern: return "noextern";
    case HeapType::None: return "none";
    case HeapType::Func: return "func";
    case HeapType::Extern: return "extern";
    case HeapType::Any: return "any";
    case HeapType::Eq: return "eq";
    case HeapType::I31: return "i31";
    case HeapType::Struct: return "struct";
    case HeapType::Array: return "array";
    case HeapType::Exn: return "exn";
  }
  return "?";
}

std::string toString(ValType type) {
  switch (type.kind) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::V128: return "v128";
    case ValKind::I8: return "i8";
    case ValKind::I16: return "i16";
    case ValKind::Ref:
      if (type.nullable && type.heap < 0) return heapTypeName(type.heap) + "ref";
      return fmt::format("(ref {}{})", type.nullable ? "null " : "", heapTypeName(type.heap));
  }
  return "?";
}

static std::string joinTypes(const std::vector<ValType>& types) {
  std::string out;
  for (const auto& t : types) {
    if (!out.empty()) out += ", ";
    out += toString(t);
  }
  return out;
}

std::string toString(const FuncType& type) {
  return fmt::format("({}) -> ({})", joinTypes(type.params), joinTypes(type.results));
}

std::string toString(const TypeEntry& type) {
  std::string body;
  switch (type.kind) {
    case CompositeKind::Func: body = "func " + toString(type.func); break;
    case CompositeKind::Struct: {
      body = "struct {";
      for (std::size_t i = 0; i < type.fields.size(); ++i)
        body += fmt::format("{}{}{}", i ? ", " : "", type.fields[i].mutable_ ? "mut " : "", toString(type.fields[i].type));
      body += "}";
      break;
    }
    case CompositeKind::Array:
      body = fmt::format("array [{}{}]", type.fields.at(0).mutable_ ? "mut " : "", toString(type.fields.at(0).type));
      break;
  }
  if (!type.final || !type.supertypes.empty()) {
    std::string supers;
    for (auto s : type.supertypes) supers += fmt::format(" {}", s);
    body = fmt::format("sub{}{} {}", type.final ? " final" : "", supers, body);
  }
  return body;
}

std::string toString(const Limits& limits) {
  std::string out = fmt::format("min {}", limits.min);
  if (limits.max) out += fmt::format(" max {}", *limits.max);
  if (limits.shared) out += " shared";
  if (limits.is64) out += " i64";
  return out;
}

const char* toString(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

}  // namespace wasmops::binary
