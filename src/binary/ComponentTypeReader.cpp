#include "binary/ComponentTypeReader.h"

#include <fmt/format.h>

#include "binary/TypeReader.h"

namespace wasmops::binary {
namespace {

Unexpected unknownOpcode(const ByteReader& r, std::uint64_t at, const char* what, std::uint8_t byte) {
  return r.errorAt(at, fmt::format("malformed {}: unknown opcode 0x{:02x}", what, byte));
}

bool isPrimitiveByte(std::uint8_t b) { return (b >= 0x73 && b <= 0x7f) || b == 0x64; }

Expected<std::string> readLabel(ByteReader& r) {
  WASMOPS_TRY(auto text, r.name());
  return std::string(text);
}

Expected<LabeledValType> readLabeledValType(ByteReader& r) {
  LabeledValType out;
  WASMOPS_TRY_ASSIGN(out.label, readLabel(r));
  WASMOPS_TRY_ASSIGN(out.type, readComponentValType(r));
  return out;
}

Expected<std::vector<LabeledValType>> readLabeledVec(ByteReader& r) {
  WASMOPS_TRY(auto n, r.count(2));
  std::vector<LabeledValType> out;
  out.reserve(initialCapacity(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    WASMOPS_TRY(auto f, readLabeledValType(r));
    out.push_back(std::move(f));
  }
  return out;
}

Expected<std::vector<std::string>> readLabelVec(ByteReader& r) {
  WASMOPS_TRY(auto n, r.count(1));
  std::vector<std::string> out;
  out.reserve(initialCapacity(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    WASMOPS_TRY(auto l, readLabel(r));
    out.push_back(std::move(l));
  }
  return out;
}

Expected<DefinedValType> readDefinedValType(ByteReader& r, std::uint8_t op, std::uint64_t at) {
  DefinedValType d;
  if (isPrimitiveByte(op)) {
    d.kind = DefinedKind::Primitive;
    d.primitive = static_cast<PrimValType>(op);
    return d;
  }
  switch (op) {
    case 0x72:
      d.kind = DefinedKind::Record;
      WASMOPS_TRY_ASSIGN(d.fields, readLabeledVec(r));
      return d;
    case 0x71: {
      d.kind = DefinedKind::Variant;
      WASMOPS_TRY(auto n, r.count(3));
      d.cases.reserve(initialCapacity(n));
      for (std::uint32_t i = 0; i < n; ++i) {
        VariantCase c;
        WASMOPS_TRY_ASSIGN(c.label, readLabel(r));
        WASMOPS_TRY_ASSIGN(c.type, readOptionalValType(r));
        const auto zeroAt = r.offset();
        WASMOPS_TRY(auto zero, r.u8());
        // Binary.md: `case ::= l t? 0x00`; the old `0x01 refines` form is gone.
        if (zero != 0) return r.errorAt(zeroAt, fmt::format("malformed variant case: expected 0x00, found 0x{:02x}", zero));
        d.cases.push_back(std::move(c));
      }
      return d;
    }
    case 0x70:
      d.kind = DefinedKind::List;
      WASMOPS_TRY_ASSIGN(d.element, readComponentValType(r));
      return d;
    case 0x67:
      d.kind = DefinedKind::FixedList;
      WASMOPS_TRY_ASSIGN(d.element, readComponentValType(r));
      WASMOPS_TRY_ASSIGN(d.length, r.u32());
      return d;
    case 0x6f: {
      d.kind = DefinedKind::Tuple;
      WASMOPS_TRY(auto n, r.count(1));
      d.types.reserve(initialCapacity(n));
      for (std::uint32_t i = 0; i < n; ++i) {
        WASMOPS_TRY(auto t, readComponentValType(r));
        d.types.push_back(t);
      }
      return d;
    }
    case 0x6e:
      d.kind = DefinedKind::Flags;
      WASMOPS_TRY_ASSIGN(d.labels, readLabelVec(r));
      return d;
    case 0x6d:
      d.kind = DefinedKind::Enum;
      WASMOPS_TRY_ASSIGN(d.labels, readLabelVec(r));
      return d;
    case 0x6b:
      d.kind = DefinedKind::Option;
      WASMOPS_TRY_ASSIGN(d.element, readComponentValType(r));
      return d;
    case 0x6a:
      d.kind = DefinedKind::Result;
      WASMOPS_TRY_ASSIGN(d.element, readOptionalValType(r));
      WASMOPS_TRY_ASSIGN(d.second, readOptionalValType(r));
      return d;
    case 0x69:
    case 0x68:
      d.kind = op == 0x69 ? DefinedKind::Own : DefinedKind::Borrow;
      WASMOPS_TRY_ASSIGN(d.resource, r.u32());
      return d;
    case 0x66:
    case 0x65:
      d.kind = op == 0x66 ? DefinedKind::Stream : DefinedKind::Future;
      WASMOPS_TRY_ASSIGN(d.element, readOptionalValType(r));
      return d;
    case 0x63:
      d.kind = DefinedKind::Map;
      WASMOPS_TRY_ASSIGN(d.element, readComponentValType(r));
      WASMOPS_TRY_ASSIGN(d.second, readComponentValType(r));
      return d;
    default:
      return unknownOpcode(r, at, "component type", op);
  }
}

// instancedecl (and componentdecl, which adds 0x03 import).
Expected<TypeDecl> readTypeDecl(ByteReader& r, ComponentTypeContext& ctx, bool allowImport) {
  TypeDecl d;
  d.offset = r.offset();
  WASMOPS_TRY(auto op, r.u8());
  switch (op) {
    case 0x00:
      d.kind = TypeDecl::Kind::CoreType;
      WASMOPS_TRY_ASSIGN(d.coreType, readCoreType(r, ctx));
      return d;
    case 0x01: {
      d.kind = TypeDecl::Kind::Type;
      WASMOPS_TRY(auto t, readComponentType(r, ctx));
      d.type = std::make_shared<const ComponentTypeDef>(std::move(t));
      return d;
    }
    case 0x02:
      d.kind = TypeDecl::Kind::Alias;
      WASMOPS_TRY_ASSIGN(d.alias, readAlias(r));
      return d;
    case 0x03:
    case 0x04:
      if (op == 0x03 && !allowImport) break;
      d.kind = op == 0x03 ? TypeDecl::Kind::Import : TypeDecl::Kind::Export;
      WASMOPS_TRY_ASSIGN(d.name, readExternName(r));
      WASMOPS_TRY_ASSIGN(d.desc, readExternDesc(r));
      return d;
    default: break;
  }
  return unknownOpcode(r, d.offset, allowImport ? "component type declaration" : "instance type declaration", op);
}

Expected<ModuleTypeDecl> readModuleTypeDecl(ByteReader& r, ComponentTypeContext& ctx) {
  ModuleTypeDecl d;
  d.offset = r.offset();
  WASMOPS_TRY(auto op, r.u8());
  switch (op) {
    case 0x00:
    case 0x03: {
      d.kind = op == 0x00 ? ModuleTypeDecl::Kind::Import : ModuleTypeDecl::Kind::Export;
      if (op == 0x00) {
        WASMOPS_TRY(auto module, r.name());
        d.import.module = std::string(module);
      }
      WASMOPS_TRY(auto name, r.name());
      d.import.name = std::string(name);
      d.import.offset = d.offset;
      WASMOPS_TRY_VOID(readImportDesc(r, ctx.coreFeatures, d.import));
      return d;
    }
    case 0x01: {
      // A core type here is a recursion group or a subtype; 0x50 means `sub`,
      // since module types cannot nest.
      d.kind = ModuleTypeDecl::Kind::Type;
      WASMOPS_TRY(auto b, r.peekU8());
      if (b == 0x4e) {
        (void)r.u8();
        WASMOPS_TRY(auto n, r.count(1));
        for (std::uint32_t k = 0; k < n; ++k) {
          WASMOPS_TRY(auto t, readSubType(r, ctx.coreFeatures, ctx.limits));
          d.types.push_back(std::move(t));
        }
      } else {
        WASMOPS_TRY(auto t, readSubType(r, ctx.coreFeatures, ctx.limits));
        d.types.push_back(std::move(t));
      }
      return d;
    }
    case 0x02: {
      d.kind = ModuleTypeDecl::Kind::OuterAlias;
      const auto sortAt = r.offset();
      WASMOPS_TRY(auto sort, r.u8());
      if (sort != 0x10) return unknownOpcode(r, sortAt, "module type alias sort (only core type, 0x10)", sort);
      const auto targetAt = r.offset();
      WASMOPS_TRY(auto target, r.u8());
      if (target != 0x01) return unknownOpcode(r, targetAt, "module type alias target (only outer, 0x01)", target);
      WASMOPS_TRY_ASSIGN(d.outerCount, r.u32());
      WASMOPS_TRY_ASSIGN(d.outerIndex, r.u32());
      return d;
    }
    default:
      return unknownOpcode(r, d.offset, "module type declaration", op);
  }
}

// One level of type nesting for as long as it lives; refused past the limit
// so a hostile binary cannot exhaust the stack.
class NestingLevel {
 public:
  explicit NestingLevel(ComponentTypeContext& ctx) : ctx_(ctx) { ++ctx_.depth; }
  ~NestingLevel() { --ctx_.depth; }
  NestingLevel(const NestingLevel&) = delete;
  NestingLevel& operator=(const NestingLevel&) = delete;
  Expected<void> check(std::uint64_t at) const {
    if (ctx_.depth > ctx_.maxNesting)
      return makeErrorAt(ErrorCode::LimitExceeded, at, fmt::format("types nested more than {} deep", ctx_.maxNesting));
    return {};
  }

 private:
  ComponentTypeContext& ctx_;
};

}  // namespace

Expected<Sort> readCoreSort(ByteReader& r) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  switch (b) {
    case 0x00: return Sort::CoreFunc;
    case 0x01: return Sort::CoreTable;
    case 0x02: return Sort::CoreMemory;
    case 0x03: return Sort::CoreGlobal;
    case 0x04: return Sort::CoreTag;
    case 0x10: return Sort::CoreType;
    case 0x11: return Sort::CoreModule;
    case 0x12: return Sort::CoreInstance;
    default: return unknownOpcode(r, at, "core sort", b);
  }
}

Expected<Sort> readSort(ByteReader& r) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  switch (b) {
    case 0x00: return readCoreSort(r);
    case 0x01: return Sort::Func;
    case 0x02: return Sort::Value;
    case 0x03: return Sort::Type;
    case 0x04: return Sort::Component;
    case 0x05: return Sort::Instance;
    default: return unknownOpcode(r, at, "sort", b);
  }
}

Expected<ComponentValType> readComponentValType(ByteReader& r) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.peekU8());
  ComponentValType out;
  if (isPrimitiveByte(b)) {
    (void)r.u8();
    out.primitive = static_cast<PrimValType>(b);
    return out;
  }
  // Type opcodes are negative s33 values; non-negative ones are type indices.
  WASMOPS_TRY(auto v, r.s33());
  if (v < 0) return unknownOpcode(r, at, "value type", b);
  out.isPrimitive = false;
  out.index = static_cast<std::uint32_t>(v);
  return out;
}

Expected<std::optional<ComponentValType>> readOptionalValType(ByteReader& r) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  if (b == 0x00) return std::optional<ComponentValType>{};
  if (b != 0x01) return unknownOpcode(r, at, "optional value type (expected 0x00 or 0x01)", b);
  WASMOPS_TRY(auto t, readComponentValType(r));
  return std::optional<ComponentValType>{t};
}

Expected<std::optional<ComponentValType>> readResultList(ByteReader& r) {
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  if (b == 0x00) {
    WASMOPS_TRY(auto t, readComponentValType(r));
    return std::optional<ComponentValType>{t};
  }
  if (b != 0x01) return unknownOpcode(r, at, "function result list", b);
  const auto zeroAt = r.offset();
  WASMOPS_TRY(auto zero, r.u8());
  // Named result lists are gone from the format: only the empty one remains.
  if (zero != 0x00)
    return r.errorAt(zeroAt, fmt::format("malformed function result list: {} named results (only 0 is allowed)", zero));
  return std::optional<ComponentValType>{};
}

Expected<ExternName> readExternName(ByteReader& r) {
  ExternName out;
  const auto at = r.offset();
  WASMOPS_TRY_ASSIGN(out.prefix, r.u8());
  if (out.prefix > 0x02) return unknownOpcode(r, at, "extern name prefix", out.prefix);
  WASMOPS_TRY_ASSIGN(out.name, readLabel(r));
  if (out.prefix != 0x02) return out;
  WASMOPS_TRY(auto n, r.count(2));
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto attrAt = r.offset();
    WASMOPS_TRY(auto kind, r.u8());
    std::optional<std::string>* slot = nullptr;
    const char* what = "";
    switch (kind) {
      case 0x00: slot = &out.implements, what = "implements"; break;
      case 0x01: slot = &out.versionSuffix, what = "versionsuffix"; break;
      case 0x02: slot = &out.externalId, what = "external-id"; break;
      default: return unknownOpcode(r, attrAt, "name attribute", kind);
    }
    if (*slot) return r.errorAt(attrAt, fmt::format("malformed name attributes: duplicate '{}'", what));
    WASMOPS_TRY(auto value, readLabel(r));
    *slot = std::move(value);
  }
  return out;
}

Expected<ExternDesc> readExternDesc(ByteReader& r) {
  ExternDesc d;
  const auto at = r.offset();
  WASMOPS_TRY(auto b, r.u8());
  switch (b) {
    case 0x00: {
      const auto coreAt = r.offset();
      WASMOPS_TRY(auto core, r.u8());
      if (core != 0x11) return unknownOpcode(r, coreAt, "extern type core sort (only module, 0x11)", core);
      d.kind = ComponentExternKind::CoreModule;
      WASMOPS_TRY_ASSIGN(d.index, r.u32());
      return d;
    }
    case 0x01:
    case 0x04:
    case 0x05:
      d.kind = b == 0x01 ? ComponentExternKind::Func : b == 0x04 ? ComponentExternKind::Component : ComponentExternKind::Instance;
      WASMOPS_TRY_ASSIGN(d.index, r.u32());
      return d;
    case 0x02: {
      d.kind = ComponentExternKind::Value;
      const auto boundAt = r.offset();
      WASMOPS_TRY(auto bound, r.u8());
      if (bound == 0x00) {
        d.valueEq = true;
        WASMOPS_TRY_ASSIGN(d.index, r.u32());
      } else if (bound == 0x01) {
        WASMOPS_TRY_ASSIGN(d.valueType, readComponentValType(r));
      } else {
        return unknownOpcode(r, boundAt, "value bound", bound);
      }
      return d;
    }
    case 0x03: {
      d.kind = ComponentExternKind::Type;
      const auto boundAt = r.offset();
      WASMOPS_TRY(auto bound, r.u8());
      if (bound == 0x00) {
        WASMOPS_TRY_ASSIGN(d.index, r.u32());
      } else if (bound == 0x01) {
        d.subResource = true;
      } else {
        return unknownOpcode(r, boundAt, "type bound", bound);
      }
      return d;
    }
    default:
      return unknownOpcode(r, at, "extern type", b);
  }
}

Expected<ComponentAlias> readAlias(ByteReader& r) {
  ComponentAlias a;
  a.offset = r.offset();
  WASMOPS_TRY_ASSIGN(a.sort, readSort(r));
  const auto targetAt = r.offset();
  WASMOPS_TRY(auto target, r.u8());
  switch (target) {
    case 0x00:
    case 0x01: {
      a.target = target == 0x00 ? ComponentAlias::Target::InstanceExport : ComponentAlias::Target::CoreInstanceExport;
      WASMOPS_TRY_ASSIGN(a.instance, r.u32());
      WASMOPS_TRY_ASSIGN(a.name, readLabel(r));
      return a;
    }
    case 0x02:
      a.target = ComponentAlias::Target::Outer;
      WASMOPS_TRY_ASSIGN(a.outerCount, r.u32());
      WASMOPS_TRY_ASSIGN(a.outerIndex, r.u32());
      return a;
    default:
      return unknownOpcode(r, targetAt, "alias target", target);
  }
}

Expected<ComponentTypeDef> readComponentType(ByteReader& r, ComponentTypeContext& ctx) {
  ComponentTypeDef t;
  t.offset = r.offset();
  WASMOPS_TRY(auto op, r.u8());
  switch (op) {
    case 0x3f: {
      t.kind = ComponentTypeKind::Resource;
      WASMOPS_TRY_ASSIGN(t.resource.rep, readValType(r, ctx.coreFeatures));
      const auto dtorAt = r.offset();
      WASMOPS_TRY(auto hasDtor, r.u8());
      if (hasDtor == 0x01) {
        WASMOPS_TRY(auto f, r.u32());
        t.resource.dtor = f;
      } else if (hasDtor != 0x00) {
        return unknownOpcode(r, dtorAt, "resource destructor (expected 0x00 or 0x01)", hasDtor);
      }
      return t;
    }
    case 0x40:
    case 0x43:
      t.kind = ComponentTypeKind::Func;
      t.func.async = op == 0x43;
      WASMOPS_TRY_ASSIGN(t.func.params, readLabeledVec(r));
      WASMOPS_TRY_ASSIGN(t.func.result, readResultList(r));
      return t;
    case 0x41:
    case 0x42: {
      t.kind = op == 0x41 ? ComponentTypeKind::Component : ComponentTypeKind::Instance;
      NestingLevel level(ctx);
      WASMOPS_TRY_VOID(level.check(t.offset));
      WASMOPS_TRY(auto n, r.count(2));
      t.decls.reserve(initialCapacity(n));
      for (std::uint32_t i = 0; i < n; ++i) {
        WASMOPS_TRY(auto d, readTypeDecl(r, ctx, op == 0x41));
        t.decls.push_back(std::move(d));
      }
      return t;
    }
    default:
      t.kind = ComponentTypeKind::Defined;
      WASMOPS_TRY_ASSIGN(t.defined, readDefinedValType(r, op, t.offset));
      return t;
  }
}

Expected<CoreTypeDef> readCoreType(ByteReader& r, ComponentTypeContext& ctx) {
  CoreTypeDef t;
  t.offset = r.offset();
  WASMOPS_TRY(auto b, r.peekU8());
  if (b == 0x50) {
    // 0x50 is a module type here; a non-final `sub` must be written 0x00 0x50.
    (void)r.u8();
    t.isModule = true;
    WASMOPS_TRY(auto n, r.count(2));
    t.module.reserve(initialCapacity(n));
    for (std::uint32_t i = 0; i < n; ++i) {
      WASMOPS_TRY(auto d, readModuleTypeDecl(r, ctx));
      t.module.push_back(std::move(d));
    }
    return t;
  }
  if (b == 0x00) {
    (void)r.u8();
    const auto subAt = r.offset();
    WASMOPS_TRY(auto sub, r.peekU8());
    if (sub != 0x50) return unknownOpcode(r, subAt, "core type (0x00 must prefix a non-final sub, 0x50)", sub);
    WASMOPS_TRY(auto entry, readSubType(r, ctx.coreFeatures, ctx.limits));
    t.recGroup.push_back(std::move(entry));
    return t;
  }
  if (b == 0x4e) {
    (void)r.u8();
    ctx.coreFeatures.add(Feature::Gc);
    WASMOPS_TRY(auto n, r.count(1));
    for (std::uint32_t k = 0; k < n; ++k) {
      WASMOPS_TRY(auto entry, readSubType(r, ctx.coreFeatures, ctx.limits));
      t.recGroup.push_back(std::move(entry));
    }
    return t;
  }
  WASMOPS_TRY(auto entry, readSubType(r, ctx.coreFeatures, ctx.limits));
  t.recGroup.push_back(std::move(entry));
  return t;
}

}  // namespace wasmops::binary
