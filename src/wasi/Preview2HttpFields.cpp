// wasi:http/types fields: header and trailer maps, their validation, and
// the error-code variant every other part of the interface reports with.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "wasi/Preview2HttpState.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

constexpr std::uint32_t kInvalidSyntax = 0, kForbidden = 1, kImmutable = 2;

Value headerError(std::uint32_t c) { return Value::err(Value::variant(c)); }

// The case names of error-code in order, and each case's payload shape.
struct ErrorCase {
  const char* name;
  const char* shape;  // "_" when the case has no payload
};
constexpr const char* kFieldSize = "record<option<string>,option<u32>>";
const std::array<ErrorCase, 39> kErrorCases{{
    {"DNS-timeout", "_"},
    {"DNS-error", "record<option<string>,option<u16>>"},
    {"destination-not-found", "_"},
    {"destination-unavailable", "_"},
    {"destination-IP-prohibited", "_"},
    {"destination-IP-unroutable", "_"},
    {"connection-refused", "_"},
    {"connection-terminated", "_"},
    {"connection-timeout", "_"},
    {"connection-read-timeout", "_"},
    {"connection-write-timeout", "_"},
    {"connection-limit-reached", "_"},
    {"TLS-protocol-error", "_"},
    {"TLS-certificate-error", "_"},
    {"TLS-alert-received", "record<option<u8>,option<string>>"},
    {"HTTP-request-denied", "_"},
    {"HTTP-request-length-required", "_"},
    {"HTTP-request-body-size", "option<u64>"},
    {"HTTP-request-method-invalid", "_"},
    {"HTTP-request-URI-invalid", "_"},
    {"HTTP-request-URI-too-long", "_"},
    {"HTTP-request-header-section-size", "option<u32>"},
    {"HTTP-request-header-size", "option<record<option<string>,option<u32>>>"},
    {"HTTP-request-trailer-section-size", "option<u32>"},
    {"HTTP-request-trailer-size", kFieldSize},
    {"HTTP-response-incomplete", "_"},
    {"HTTP-response-header-section-size", "option<u32>"},
    {"HTTP-response-header-size", kFieldSize},
    {"HTTP-response-body-size", "option<u64>"},
    {"HTTP-response-trailer-section-size", "option<u32>"},
    {"HTTP-response-trailer-size", kFieldSize},
    {"HTTP-response-transfer-coding", "option<string>"},
    {"HTTP-response-content-coding", "option<string>"},
    {"HTTP-response-timeout", "_"},
    {"HTTP-upgrade-failed", "_"},
    {"HTTP-protocol-error", "_"},
    {"loop-detected", "_"},
    {"configuration-error", "_"},
    {"internal-error", "option<string>"},
}};

// A payload for the log: strings quoted, options and records unwrapped.
std::string describePayload(const Value& v) {
  switch (v.kind) {
    case component::ValueKind::String: return fmt::format("\"{}\"", v.text);
    case component::ValueKind::Option: return v.payload() ? describePayload(*v.payload()) : "none";
    case component::ValueKind::Record: {
      std::string out;
      for (const auto& f : v.items) {
        if (!out.empty()) out.append(", ");
        out.append(describePayload(f));
      }
      return fmt::format("{{{}}}", out);
    }
    default: return std::to_string(v.bits);
  }
}

// An entry the guest gave: its name lower-cased, or the header-error case.
Expected<std::pair<std::string, std::string>> guestField(const Value& name, const Value& value, std::uint32_t& failure) {
  std::string storage;
  WASMOPS_TRY(auto bytes, bytesOf(value, storage));
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!validFieldName(name.text) || !validFieldValue(text)) failure = kInvalidSyntax;
  else if (forbiddenField(lowerCase(name.text))) failure = kForbidden;
  return std::pair{lowerCase(name.text), std::move(text)};
}

}  // namespace

bool validFieldName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool validFieldValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

bool forbiddenField(std::string_view name) {
  for (std::string_view f : {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                             "te", "transfer-encoding", "upgrade", "host", "http2-settings"})
    if (name == f) return true;
  return false;
}

std::string lowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::string& errorCodeShape() {
  static const std::string shape = [] {
    std::string cases;
    for (const auto& c : kErrorCases) {
      if (!cases.empty()) cases.push_back(',');
      cases.append(c.shape);
    }
    return fmt::format("variant<{}>", cases);
  }();
  return shape;
}

std::string describeErrorCode(const Value& code) {
  const std::uint32_t i = code.caseIndex();
  if (i >= kErrorCases.size()) return fmt::format("error-code case {}", i);
  if (const Value* p = code.payload()) return fmt::format("{}({})", kErrorCases[i].name, describePayload(*p));
  return kErrorCases[i].name;
}

std::string describeHttpErrorCase(std::uint32_t caseIndex, const std::optional<std::string>& detail) {
  const char* name = caseIndex < kErrorCases.size() ? kErrorCases[caseIndex].name : "error-code";
  return detail ? fmt::format("{}(\"{}\")", name, *detail) : std::string(name);
}

Value errorCode(std::uint32_t caseIndex, std::optional<std::string> detail) {
  if (caseIndex >= kErrorCases.size()) caseIndex = httperror::InternalError;
  const std::string_view shape = kErrorCases[caseIndex].shape;
  auto text = [&] { return detail ? Value::some(Value::string(*detail)) : Value::none(); };
  if (shape == "_") return Value::variant(caseIndex);
  // The text goes where the case has a string for it: internal-error's, the
  // codings', DNS-error's rcode; other payloads are left empty.
  if (shape == "option<string>") return Value::variant(caseIndex, text());
  if (shape == "record<option<string>,option<u16>>" || shape == kFieldSize)
    return Value::variant(caseIndex,
                          Value::record({caseIndex == httperror::DnsError ? text() : Value::none(), Value::none()}));
  if (shape == "record<option<u8>,option<string>>")
    return Value::variant(caseIndex, Value::record({Value::none(), text()}));
  return Value::variant(caseIndex, Value::none());  // option<u64>, option<u32>, option<record<...>>
}

void defineFields(HttpState& st, InterfaceDefiner& types) {
  HttpStateRef s(&st);
  auto fieldsOf = [s](const Value& self) { return s->fields.get(self.bits); };
  // set/append/delete on immutable fields, or an invalid entry: the header-error, else nullopt.
  auto mutableFields = [fieldsOf](const Value& self) -> Expected<std::pair<HttpFields*, std::optional<Value>>> {
    WASMOPS_TRY(HttpFields * f, fieldsOf(self));
    if (f->immutable) return std::pair{f, std::optional<Value>(headerError(kImmutable))};
    return std::pair{f, std::optional<Value>()};
  };
  types.resource("fields", s, &HttpState::fields)
      .function("[constructor]fields", "", [s](Args) -> Result {
        WASMOPS_TRY(std::uint32_t rep, s->fields.add({}));
        return Value::own(rep);
      })
      .function("[static]fields.from-list", "list<tuple<string,list<u8>>>", [s](Args a) -> Result {
        HttpFields f;
        for (const auto& entry : a[0].items) {
          std::uint32_t failure = ~0u;
          WASMOPS_TRY(auto field, guestField(entry.items[0], entry.items[1], failure));
          if (failure != ~0u) return headerError(failure);
          f.entries.push_back(std::move(field));
        }
        WASMOPS_TRY(std::uint32_t rep, s->fields.add(std::move(f)));
        return Value::ok(Value::own(rep));
      })
      .function("[method]fields.get", "borrow, string", [fieldsOf](Args a) -> Result {
        WASMOPS_TRY(HttpFields * f, fieldsOf(a[0]));
        const std::string name = lowerCase(a[1].text);
        std::vector<Value> values;
        for (const auto& [k, v] : f->entries)
          if (k == name) values.push_back(bytesValue({reinterpret_cast<const std::uint8_t*>(v.data()), v.size()}));
        return Value::list(std::move(values));
      })
      .function("[method]fields.has", "borrow, string", [fieldsOf](Args a) -> Result {
        WASMOPS_TRY(HttpFields * f, fieldsOf(a[0]));
        const std::string name = lowerCase(a[1].text);
        return Value::boolean(std::any_of(f->entries.begin(), f->entries.end(), [&](const auto& e) { return e.first == name; }));
      })
      .function("[method]fields.set", "borrow, string, list<list<u8>>", [mutableFields](Args a) -> Result {
        WASMOPS_TRY(auto target, mutableFields(a[0]));
        if (target.second) return *target.second;
        HttpFieldList added;
        for (const auto& value : a[2].items) {
          std::uint32_t failure = ~0u;
          WASMOPS_TRY(auto field, guestField(a[1], value, failure));
          if (failure != ~0u) return headerError(failure);
          added.push_back(std::move(field));
        }
        if (!validFieldName(a[1].text)) return headerError(kInvalidSyntax);
        if (forbiddenField(lowerCase(a[1].text))) return headerError(kForbidden);
        auto& entries = target.first->entries;
        const std::string name = lowerCase(a[1].text);
        std::erase_if(entries, [&](const auto& e) { return e.first == name; });
        entries.insert(entries.end(), added.begin(), added.end());
        return Value::ok();
      })
      .function("[method]fields.delete", "borrow, string", [mutableFields](Args a) -> Result {
        WASMOPS_TRY(auto target, mutableFields(a[0]));
        if (target.second) return *target.second;
        if (!validFieldName(a[1].text)) return headerError(kInvalidSyntax);
        if (forbiddenField(lowerCase(a[1].text))) return headerError(kForbidden);
        const std::string name = lowerCase(a[1].text);
        std::erase_if(target.first->entries, [&](const auto& e) { return e.first == name; });
        return Value::ok();
      })
      .function("[method]fields.append", "borrow, string, list<u8>", [mutableFields](Args a) -> Result {
        WASMOPS_TRY(auto target, mutableFields(a[0]));
        if (target.second) return *target.second;
        std::uint32_t failure = ~0u;
        WASMOPS_TRY(auto field, guestField(a[1], a[2], failure));
        if (failure != ~0u) return headerError(failure);
        target.first->entries.push_back(std::move(field));
        return Value::ok();
      })
      .function("[method]fields.entries", "borrow", [fieldsOf](Args a) -> Result {
        WASMOPS_TRY(HttpFields * f, fieldsOf(a[0]));
        std::vector<Value> out;
        out.reserve(f->entries.size());
        for (const auto& [k, v] : f->entries)
          out.push_back(Value::tuple({Value::string(k), bytesValue({reinterpret_cast<const std::uint8_t*>(v.data()), v.size()})}));
        return Value::list(std::move(out));
      })
      .function("[method]fields.clone", "borrow", [s, fieldsOf](Args a) -> Result {
        WASMOPS_TRY(HttpFields * f, fieldsOf(a[0]));
        HttpFields copy{f->entries, false};  // a clone is mutable (wasmtime)
        WASMOPS_TRY(std::uint32_t rep, s->fields.add(std::move(copy)));
        return Value::own(rep);
      });
}

}  // namespace wasmops::wasi::preview2

namespace wasmops::wasi {

std::string describeHttpError(const HttpOutboundError& error) {
  return preview2::describeHttpErrorCase(error.code, error.detail);
}

}  // namespace wasmops::wasi
