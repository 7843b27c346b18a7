#include "component/TypeShape.h"

#include <fmt/format.h>

namespace wasmops::component {
namespace {

std::string members(const ValueType& t) {
  std::string out;
  for (const auto& m : t.members) {
    if (!out.empty()) out += ',';
    out += m ? shapeOf(*m) : "_";
  }
  return out;
}

}  // namespace

std::string shapeOf(const ValueType& t) {
  switch (t.kind) {
    case ValueKind::List: return fmt::format("list<{}>", members(t));
    case ValueKind::FixedList: return fmt::format("list<{};{}>", members(t), t.length);
    case ValueKind::Option: return fmt::format("option<{}>", t.members.size() > 1 && t.members[1] ? shapeOf(*t.members[1]) : "_");
    case ValueKind::Result:
    case ValueKind::Tuple:
    case ValueKind::Record:
    case ValueKind::Variant: return fmt::format("{}<{}>", toString(t.kind), members(t));
    case ValueKind::Enum:
    case ValueKind::Flags: return fmt::format("{}<{}>", toString(t.kind), t.labels.size());
    default: return toString(t.kind);
  }
}

std::string paramShapes(const FunctionType& type) {
  std::string out;
  for (const auto& p : type.params) {
    if (!out.empty()) out += ", ";
    out += shapeOf(*p);
  }
  return out;
}

}  // namespace wasmops::component
