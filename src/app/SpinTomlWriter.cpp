#include "app/SpinTomlWriter.h"

#include <fmt/format.h>

namespace wasmops::app {
namespace {

// JSON (from the locked app) as an inline TOML value; null has no TOML
// spelling and is left out by the callers.
std::string tomlValue(const SpinJson& v) {
  switch (v.type()) {
    case SpinJson::value_t::string: return tomlString(v.get_ref<const std::string&>());
    case SpinJson::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case SpinJson::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case SpinJson::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case SpinJson::value_t::number_float: {
      double d = v.get<double>();
      if (d != d) return "nan";
      if (d > 1.7976931348623157e308) return "inf";
      if (d < -1.7976931348623157e308) return "-inf";
      std::string s = fmt::format("{}", d);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";  // else TOML reads an integer
      return s;
    }
    case SpinJson::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (e.is_null()) continue;
        out += (first ? "" : ", ") + tomlValue(e);
        first = false;
      }
      return out + "]";
    }
    case SpinJson::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, e] : v.items()) {
        if (e.is_null()) continue;
        out += (first ? " " : ", ") + tomlKey(k) + " = " + tomlValue(e);
        first = false;
      }
      return out + (first ? "}" : " }");
    }
    default: return "\"\"";
  }
}

void line(std::string& out, std::string_view key, const std::string& value) {
  out += tomlKey(key);
  out += " = ";
  out += value;
  out += '\n';
}

void stringList(std::string& out, std::string_view key, const SpinJson& meta, const char* metaKey) {
  if (meta.contains(metaKey) && meta[metaKey].is_array() && !meta[metaKey].empty())
    line(out, key, tomlValue(meta[metaKey]));
}

}  // namespace

std::string componentWasmPath(const std::string& id) {
  return "components/" + id + ".wasm";
}
std::string componentFilesDir(const std::string& id) {
  return "files/" + id;
}

std::string tomlString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string tomlKey(std::string_view key) {
  bool bare = !key.empty();
  for (char c : key)
    bare = bare && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  return bare ? std::string(key) : tomlString(key);
}

std::string writeSpinToml(const LockedApp& app) {
  std::string out = "# Written by `wasmops pull` from the application's locked form (spin.lock.json).\n";
  out += "spin_manifest_version = 2\n\n[application]\n";
  const auto& m = app.metadata;
  line(out, "name", tomlString(m.contains("name") && m["name"].is_string() ? m["name"].get<std::string>() : "app"));
  for (const char* key : {"version", "description"})
    if (m.contains(key) && m[key].is_string()) line(out, key, tomlString(m[key].get<std::string>()));
  stringList(out, "authors", m, "authors");
  if (m.contains("triggers") && m["triggers"].is_object())
    for (const auto& [type, settings] : m["triggers"].items()) {
      if (!settings.is_object()) continue;
      out += "\n[application.trigger." + tomlKey(type) + "]\n";
      for (const auto& [k, v] : settings.items())
        if (!v.is_null()) line(out, k, tomlValue(v));
    }

  if (!app.variables.empty()) {
    out += "\n[variables]\n";
    for (const auto& [name, var] : app.variables) {
      SpinJson t = SpinJson::object();
      if (var.description) t["description"] = *var.description;
      if (var.defaultValue)
        t["default"] = *var.defaultValue;
      else
        t["required"] = true;
      if (var.secret) t["secret"] = true;
      line(out, name, tomlValue(t));
    }
  }

  for (const auto& t : app.triggers) {
    out += "\n[[trigger." + tomlKey(t.type) + "]]\n";
    line(out, "id", tomlString(t.id));
    if (t.config.contains("component") && !t.config["component"].is_null())
      line(out, "component", tomlValue(t.config["component"]));
    for (const auto& [k, v] : t.config.items())
      if (k != "component" && !v.is_null()) line(out, k, tomlValue(v));
  }

  for (const auto& c : app.components) {
    std::string table = "component." + tomlKey(c.id);
    out += "\n[" + table + "]\n";
    line(out, "source", tomlString(componentWasmPath(c.id)));
    const auto& cm = c.metadata;
    if (cm.contains("description") && cm["description"].is_string())
      line(out, "description", tomlString(cm["description"].get<std::string>()));
    if (!c.files.empty())
      line(out, "files", "[{ source = " + tomlString(componentFilesDir(c.id)) + ", destination = \"/\" }]");
    stringList(out, "allowed_outbound_hosts", cm, "allowed_outbound_hosts");
    stringList(out, "key_value_stores", cm, "key_value_stores");
    stringList(out, "sqlite_databases", cm, "databases");
    stringList(out, "ai_models", cm, "ai_models");
    if (!c.env.empty()) {
      out += "\n[" + table + ".environment]\n";
      for (const auto& [k, v] : c.env) line(out, k, tomlString(v));
    }
    if (!c.config.empty()) {
      out += "\n[" + table + ".variables]\n";
      for (const auto& [k, v] : c.config) line(out, k, tomlString(v));
    }
    if (cm.contains("build") && cm["build"].is_object()) {
      out += "\n[" + table + ".build]\n";
      for (const auto& [k, v] : cm["build"].items())
        if (!v.is_null()) line(out, k, tomlValue(v));
    }
  }
  return out;
}

}  // namespace wasmops::app
