#pragma once
// Readers for the well-known custom sections: `name`, `producers` and
// `target_features`. A malformed custom section never makes the module
// malformed (the spec says so); it yields a located warning instead.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "binary/Module.h"

namespace wasmops::binary {

struct NameSection {
  std::optional<std::string> moduleName;
  std::vector<std::pair<std::uint32_t, std::string>> functionNames;  // sorted by index as stored
  std::uint32_t localNameCount = 0;  // number of functions with local names
  std::vector<std::uint8_t> otherSubsections;  // ids of subsections not decoded here
  std::optional<std::string> warning;

  // Name of function `index`, if the section has one.
  const std::string* functionName(std::uint32_t index) const;
};

struct ProducerValue {
  std::string name;
  std::string version;
};
struct ProducerField {
  std::string name;  // language, processed-by, sdk
  std::vector<ProducerValue> values;
};
struct ProducersSection {
  std::vector<ProducerField> fields;
  std::optional<std::string> warning;
};

struct TargetFeature {
  char prefix = '+';  // '+' used, '-' disallowed, '=' required
  std::string name;
};
struct TargetFeaturesSection {
  std::vector<TargetFeature> features;
  std::optional<std::string> warning;
};

NameSection readNameSection(const CustomSection& section);
ProducersSection readProducersSection(const CustomSection& section);
TargetFeaturesSection readTargetFeaturesSection(const CustomSection& section);

}  // namespace wasmops::binary
