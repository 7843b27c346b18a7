#pragma once
// Renders a binary::Inspection as an aligned text report or as the stable
// JSON document described in docs/inspect-json.md.
#include <string>

#include <nlohmann/json.hpp>

#include "binary/Inspection.h"

namespace wasmops::cli {

nlohmann::ordered_json inspectionToJson(const binary::Inspection& insp, const std::string& file);
std::string inspectionToText(const binary::Inspection& insp, const std::string& file);

}  // namespace wasmops::cli
