#pragma once
// Validation of a component (Component Model, binary version 0x0d): index
// spaces built in definition order, every index bounds-checked, aliases,
// instantiation arguments, canon options and the flattened core signature of
// lift/lower, resource handles, import/export name syntax and uniqueness.
// Nested core modules go through the core validator (validateModule); nested
// components are validated recursively. The first problem found is reported,
// located by section, item index and absolute byte offset.
#include <cstdint>
#include <span>

#include "binary/Component.h"
#include "validate/Validator.h"

namespace wasmops::validate {

// `bytes` is the whole file the component was decoded from (offsets in
// `component` are absolute in it). `kind` of the result is Component.
ValidationResult validateComponent(const binary::Component& component, std::span<const std::uint8_t> bytes);

// Decodes (malformed input is reported as such) and validates.
ValidationResult validateComponentBinary(std::span<const std::uint8_t> bytes);

}  // namespace wasmops::validate
