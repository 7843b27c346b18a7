#include "binary/Component.h"

namespace wasmops::binary {

const char* toString(Sort sort) {
  switch (sort) {
    case Sort::CoreFunc: return "core func";
    case Sort::CoreTable: return "core table";
    case Sort::CoreMemory: return "core memory";
    case Sort::CoreGlobal: return "core global";
    case Sort::CoreTag: return "core tag";
    case Sort::CoreType: return "core type";
    case Sort::CoreModule: return "core module";
    case Sort::CoreInstance: return "core instance";
    case Sort::Func: return "func";
    case Sort::Value: return "value";
    case Sort::Type: return "type";
    case Sort::Component: return "component";
    case Sort::Instance: return "instance";
  }
  return "?";
}

const char* toString(PrimValType type) {
  switch (type) {
    case PrimValType::Bool: return "bool";
    case PrimValType::S8: return "s8";
    case PrimValType::U8: return "u8";
    case PrimValType::S16: return "s16";
    case PrimValType::U16: return "u16";
    case PrimValType::S32: return "s32";
    case PrimValType::U32: return "u32";
    case PrimValType::S64: return "s64";
    case PrimValType::U64: return "u64";
    case PrimValType::F32: return "f32";
    case PrimValType::F64: return "f64";
    case PrimValType::Char: return "char";
    case PrimValType::String: return "string";
    case PrimValType::ErrorContext: return "error-context";
  }
  return "?";
}

const char* toString(DefinedKind kind) {
  switch (kind) {
    case DefinedKind::Primitive: return "primitive";
    case DefinedKind::Record: return "record";
    case DefinedKind::Variant: return "variant";
    case DefinedKind::List: return "list";
    case DefinedKind::FixedList: return "fixed-list";
    case DefinedKind::Tuple: return "tuple";
    case DefinedKind::Flags: return "flags";
    case DefinedKind::Enum: return "enum";
    case DefinedKind::Option: return "option";
    case DefinedKind::Result: return "result";
    case DefinedKind::Own: return "own";
    case DefinedKind::Borrow: return "borrow";
    case DefinedKind::Stream: return "stream";
    case DefinedKind::Future: return "future";
    case DefinedKind::Map: return "map";
  }
  return "?";
}

Sort sortOf(ComponentExternKind kind) {
  switch (kind) {
    case ComponentExternKind::CoreModule: return Sort::CoreModule;
    case ComponentExternKind::Func: return Sort::Func;
    case ComponentExternKind::Value: return Sort::Value;
    case ComponentExternKind::Type: return Sort::Type;
    case ComponentExternKind::Component: return Sort::Component;
    case ComponentExternKind::Instance: return Sort::Instance;
  }
  return Sort::Func;
}

const char* toString(ComponentExternKind kind) {
  switch (kind) {
    case ComponentExternKind::CoreModule: return "module";
    case ComponentExternKind::Func: return "func";
    case ComponentExternKind::Value: return "value";
    case ComponentExternKind::Type: return "type";
    case ComponentExternKind::Component: return "component";
    case ComponentExternKind::Instance: return "instance";
  }
  return "?";
}

const char* toString(ComponentTypeKind kind) {
  switch (kind) {
    case ComponentTypeKind::Defined: return "defined";
    case ComponentTypeKind::Func: return "func";
    case ComponentTypeKind::Component: return "component";
    case ComponentTypeKind::Instance: return "instance";
    case ComponentTypeKind::Resource: return "resource";
  }
  return "?";
}

const char* toString(StringEncoding encoding) {
  switch (encoding) {
    case StringEncoding::Utf8: return "utf8";
    case StringEncoding::Utf16: return "utf16";
    case StringEncoding::Latin1Utf16: return "latin1+utf16";
  }
  return "?";
}

const char* toString(CanonFunc::Kind kind) {
  switch (kind) {
    case CanonFunc::Kind::Lift: return "lift";
    case CanonFunc::Kind::Lower: return "lower";
    case CanonFunc::Kind::ResourceNew: return "resource.new";
    case CanonFunc::Kind::ResourceDrop: return "resource.drop";
    case CanonFunc::Kind::ResourceRep: return "resource.rep";
    case CanonFunc::Kind::Builtin: return "builtin";
  }
  return "?";
}

InterfaceName splitInterfaceName(const std::string& name) {
  InterfaceName out;
  // Dependency names (`unlocked-dep=<...>`, `url=<...>`, ...) hold ':' and '/'
  // inside angle brackets but are not interface names.
  if (name.find_first_of("=<") != std::string::npos) return out;
  const auto colon = name.find(':');
  const auto slash = name.find('/');
  if (colon == std::string::npos || slash == std::string::npos || colon == 0 || slash < colon + 2) return out;
  const auto at = name.find('@', slash);
  const auto end = at == std::string::npos ? name.size() : at;
  if (end <= slash + 1) return out;
  out.interface = true;
  out.ns = name.substr(0, colon);
  out.package = name.substr(colon + 1, slash - colon - 1);
  out.name = name.substr(slash + 1, end - slash - 1);
  if (at != std::string::npos) out.version = name.substr(at + 1);
  return out;
}

}  // namespace wasmops::binary
