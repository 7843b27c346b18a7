#include "binary/Features.h"

namespace wasmops::binary {

const char* featureName(Feature f) {
  switch (f) {
#define X(name, text, wasm2) \
  case Feature::name:        \
    return text;
    WASMOPS_FEATURES(X)
#undef X
    case Feature::Count: break;
  }
  return "?";
}

bool isWasm2Feature(Feature f) {
  switch (f) {
#define X(name, text, wasm2) \
  case Feature::name:        \
    return wasm2;
    WASMOPS_FEATURES(X)
#undef X
    case Feature::Count: break;
  }
  return false;
}

std::vector<Feature> FeatureSet::list() const {
  std::vector<Feature> out;
  for (unsigned i = 0; i < static_cast<unsigned>(Feature::Count); ++i)
    if (has(static_cast<Feature>(i))) out.push_back(static_cast<Feature>(i));
  return out;
}

std::vector<std::string> FeatureSet::names() const {
  std::vector<std::string> out;
  for (auto f : list()) out.emplace_back(featureName(f));
  return out;
}

std::vector<std::string> FeatureSet::beyondWasm2() const {
  std::vector<std::string> out;
  for (auto f : list())
    if (!isWasm2Feature(f)) out.emplace_back(featureName(f));
  return out;
}

}  // namespace wasmops::binary
