// The key-value and variables host interfaces (http/KeyValueInterfaces.h,
// http/VariableInterfaces.h), called as a guest's lowered imports call them:
// component Values in, Values out. Every function is looked up with the
// parameter shapes its WIT declares, and every result is checked against
// the WIT result type (checkValue), so a value of the wrong shape fails here
// before it could fail lowering into a guest.
#include <gtest/gtest.h>

#include <map>

#include "component/TypeShape.h"
#include "component/Value.h"
#include "component/ValueType.h"
#include "engine/Store.h"
#include "http/KeyValueInterfaces.h"
#include "http/VariableInterfaces.h"

namespace wasmops::http {
namespace {

using component::Value;
using component::ValueKind;
using component::ValueTypePtr;

// WIT types, built with the component layer's builders.
ValueTypePtr prim(ValueKind k) { return component::primitiveType(k); }
ValueTypePtr list(ValueTypePtr t) { return component::listType(std::move(t)).value(); }
ValueTypePtr option(ValueTypePtr t) { return component::optionType(std::move(t)).value(); }
ValueTypePtr result(ValueTypePtr ok, ValueTypePtr err) { return component::resultType(std::move(ok), std::move(err)).value(); }
ValueTypePtr tuple(std::vector<ValueTypePtr> ts) { return component::tupleType(std::move(ts)).value(); }
ValueTypePtr variant(std::vector<std::pair<std::string, ValueTypePtr>> cases) {
  return component::variantType(std::move(cases)).value();
}
ValueTypePtr record(std::vector<std::pair<std::string, ValueTypePtr>> fields) {
  return component::recordType(std::move(fields)).value();
}

const ValueTypePtr kString = prim(ValueKind::String);
const ValueTypePtr kBytes = list(prim(ValueKind::U8));
constexpr std::uint32_t kStoreResource = 7, kCasResource = 8;
const ValueTypePtr kSelf = component::borrowType(kStoreResource);

// wasi:keyvalue/store.error and fermyon:spin/key-value.error.
const ValueTypePtr kWasiError = variant({{"no-such-store", nullptr}, {"access-denied", nullptr}, {"other", kString}});
const ValueTypePtr kSpinError =
    variant({{"store-table-full", nullptr}, {"no-such-store", nullptr}, {"access-denied", nullptr}, {"other", kString}});

class HostInterfacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = std::make_shared<KeyValueOptions>();
    options->stores = std::make_shared<app::KeyValueStores>(nullptr, "");  // "default" in memory
    options->allowedLabels = {"default", "unconfigured"};
    host_ = std::make_unique<KeyValueHost>(options);
    ASSERT_TRUE(host_->define(linker_));

    app::LockedVariable required, withDefault;
    withDefault.defaultValue = "world";
    std::map<std::string, app::LockedVariable> vars{{"name", withDefault}, {"token", required}, {"region", withDefault}};
    auto resolver = std::make_shared<app::VariableResolver>(
        vars, std::vector<app::VariableProvider>{[](const std::string& n) -> std::optional<std::string> {
          if (n == "region") return "eu-west";
          return std::nullopt;
        }});
    app::LockedComponent component;
    component.id = "hello";
    component.config = {{"greeting", "hello, {{ name }}!"}, {"region", "{{region}}"}, {"secret", "{{ token }}"}};
    variables_ = variableOptions(component, resolver);
    ASSERT_TRUE(defineVariableInterfaces(linker_, variables_));
  }

  // Calls `function` of `interface`, first checking that the host declares
  // exactly the parameter shapes of `params` and then that the result has
  // the type `resultType`.
  Value call(const std::string& interface, const std::string& function,
             std::vector<std::pair<std::string, ValueTypePtr>> params, ValueTypePtr resultType,
             std::vector<Value> args) {
    const component::HostFunction* fn = linker_.function(interface, function);
    EXPECT_TRUE(fn) << interface << " " << function;
    if (!fn) return Value::none();
    auto type = component::functionType(std::move(params), resultType);
    EXPECT_TRUE(type) << type.error().message;
    const std::string* declared = linker_.params(interface, function);
    EXPECT_TRUE(declared);
    if (type && declared) {
      EXPECT_EQ(*declared, component::paramShapes(*type)) << function;
    }
    auto out = (*fn)(args);
    EXPECT_TRUE(out) << function << ": " << (out ? "" : out.error().message);
    if (!out || !*out) return Value::none();
    if (resultType) {
      auto ok = component::checkValue(**out, *resultType);
      EXPECT_TRUE(ok) << function << " returned a value of another shape: " << (ok ? "" : ok.error().message);
    }
    return **out;
  }

  // wasi:keyvalue/store@0.2.0-draft2 and its bucket methods.
  static constexpr const char* kStore = "wasi:keyvalue/store@0.2.0-draft2";
  Value open(const std::string& label) {
    return call(kStore, "open", {{"identifier", kString}}, result(component::ownType(kStoreResource), kWasiError),
                {Value::string(label)});
  }
  std::uint32_t bucket(const std::string& label = "default") {
    Value v = open(label);
    EXPECT_EQ(v.caseIndex(), 0u) << label;
    return v.payload() ? static_cast<std::uint32_t>(v.payload()->bits) : 0;
  }
  Value get(std::uint32_t b, const std::string& key) {
    return call(kStore, "[method]bucket.get", {{"self", kSelf}, {"key", kString}}, result(option(kBytes), kWasiError),
                {Value::borrow(b), Value::string(key)});
  }
  Value set(std::uint32_t b, const std::string& key, const std::string& value) {
    return call(kStore, "[method]bucket.set", {{"self", kSelf}, {"key", kString}, {"value", kBytes}},
                result(nullptr, kWasiError), {Value::borrow(b), Value::string(key), Value::bytes(value)});
  }

  component::ComponentLinker linker_;
  std::unique_ptr<KeyValueHost> host_;
  std::shared_ptr<const VariableOptions> variables_;
};

TEST_F(HostInterfacesTest, OpenIsAllowedDeniedOrNoSuchStoreAsInSpin) {
  EXPECT_EQ(open("default").caseIndex(), 0u);
  EXPECT_EQ(open("forbidden"), Value::err(Value::variant(1)));     // not in key_value_stores: access-denied
  EXPECT_EQ(open("unconfigured"), Value::err(Value::variant(0)));  // listed, not configured: no-such-store
  const char* spin = "fermyon:spin/key-value@2.0.0";
  auto spinOpen = [&](const std::string& label) {
    return call(spin, "[static]store.open", {{"label", kString}},
                result(component::ownType(kStoreResource), kSpinError), {Value::string(label)});
  };
  EXPECT_EQ(spinOpen("default").caseIndex(), 0u);
  EXPECT_EQ(spinOpen("forbidden"), Value::err(Value::variant(2)));
  EXPECT_EQ(spinOpen("unconfigured"), Value::err(Value::variant(1)));
}

TEST_F(HostInterfacesTest, SpinStoresRunOutAt256OpenAndDropsMakeRoom) {
  const char* spin = "fermyon:spin/key-value@2.0.0";
  std::vector<std::uint32_t> reps;
  for (std::uint32_t i = 0; i < KeyValueHost::kMaxOpenStores; ++i) {
    Value v = (*linker_.function(spin, "[static]store.open"))(std::vector<Value>{Value::string("default")}).value().value();
    ASSERT_EQ(v.caseIndex(), 0u);
    reps.push_back(static_cast<std::uint32_t>(v.payload()->bits));
  }
  auto full = (*linker_.function(spin, "[static]store.open"))(std::vector<Value>{Value::string("default")});
  EXPECT_EQ(**full, Value::err(Value::variant(0)));  // store-table-full
  ASSERT_TRUE((*linker_.resource(spin, "store"))(reps.back()));  // the guest drops one
  EXPECT_EQ(open("default").caseIndex(), 0u);  // buckets share the table, as in Spin
}

TEST_F(HostInterfacesTest, WasiBucketRoundTrip) {
  std::uint32_t b = bucket();
  EXPECT_EQ(get(b, "k"), Value::ok(Value::none()));
  EXPECT_EQ(set(b, "k", "v1"), Value::ok());
  EXPECT_EQ(get(b, "k"), Value::ok(Value::some(Value::bytes("v1"))));
  // A list<u8> given as u8 items, not packed, works the same.
  auto items = Value::list({Value::u8('v'), Value::u8('2')});
  EXPECT_EQ(call(kStore, "[method]bucket.set", {{"self", kSelf}, {"key", kString}, {"value", kBytes}},
                 result(nullptr, kWasiError), {Value::borrow(b), Value::string("k"), items}),
            Value::ok());
  EXPECT_EQ(get(b, "k"), Value::ok(Value::some(Value::bytes("v2"))));
  auto exists = [&](const std::string& key) {
    return call(kStore, "[method]bucket.exists", {{"self", kSelf}, {"key", kString}},
                result(prim(ValueKind::Bool), kWasiError), {Value::borrow(b), Value::string(key)});
  };
  EXPECT_EQ(exists("k"), Value::ok(Value::boolean(true)));
  EXPECT_EQ(call(kStore, "[method]bucket.delete", {{"self", kSelf}, {"key", kString}}, result(nullptr, kWasiError),
                 {Value::borrow(b), Value::string("k")}),
            Value::ok());
  EXPECT_EQ(exists("k"), Value::ok(Value::boolean(false)));
  // Limits come back as `other` with the reason.
  EXPECT_EQ(set(b, std::string(256, 'k'), "v"),
            Value::err(Value::variant(2, Value::string("key of 256 bytes is longer than the limit of 255 bytes"))));
  // Another bucket of the same label sees the same data; dropping one leaves the other.
  std::uint32_t other = bucket();
  ASSERT_TRUE(set(b, "shared", "yes").caseIndex() == 0);
  ASSERT_TRUE((*linker_.resource(kStore, "bucket"))(b));
  EXPECT_EQ(get(other, "shared"), Value::ok(Value::some(Value::bytes("yes"))));
}

TEST_F(HostInterfacesTest, ListKeysReturnsEveryKeyAndHonoursACursor) {
  std::uint32_t b = bucket();
  for (const char* k : {"b", "a", "c"}) ASSERT_EQ(set(b, k, "x"), Value::ok());
  const ValueTypePtr response2 = record({{"keys", list(kString)}, {"cursor", option(kString)}});
  auto listKeys = [&](Value cursor) {
    return call(kStore, "[method]bucket.list-keys", {{"self", kSelf}, {"cursor", option(kString)}},
                result(response2, kWasiError), {Value::borrow(b), std::move(cursor)});
  };
  auto keys = [](std::vector<std::string> ks) {
    std::vector<Value> items;
    for (auto& k : ks) items.push_back(Value::string(k));
    return Value::ok(Value::record({Value::list(std::move(items)), Value::none()}));
  };
  EXPECT_EQ(listKeys(Value::none()), keys({"a", "b", "c"}));
  EXPECT_EQ(listKeys(Value::some(Value::string("a"))), keys({"b", "c"}));

  // The first draft: u64 cursor (keys already seen).
  const char* draft1 = "wasi:keyvalue/store@0.2.0-draft";
  Value opened = call(draft1, "open", {{"identifier", kString}}, result(component::ownType(kStoreResource), kWasiError),
                      {Value::string("default")});
  ASSERT_EQ(opened.caseIndex(), 0u);
  const ValueTypePtr response1 = record({{"keys", list(kString)}, {"cursor", option(prim(ValueKind::U64))}});
  EXPECT_EQ(call(draft1, "[method]bucket.list-keys", {{"self", kSelf}, {"cursor", option(prim(ValueKind::U64))}},
                 result(response1, kWasiError), {Value::borrow(opened.payload()->bits), Value::some(Value::u64(2))}),
            keys({"c"}));
}

TEST_F(HostInterfacesTest, IncrementIsAtomicAndTypedPerDraft) {
  std::uint32_t b = bucket();
  auto increment2 = [&](std::int64_t delta) {
    return call("wasi:keyvalue/atomics@0.2.0-draft2", "increment",
                {{"bucket", kSelf}, {"key", kString}, {"delta", prim(ValueKind::S64)}},
                result(prim(ValueKind::S64), kWasiError), {Value::borrow(b), Value::string("n"), Value::s64(delta)});
  };
  EXPECT_EQ(increment2(5), Value::ok(Value::s64(5)));
  EXPECT_EQ(increment2(-7), Value::ok(Value::s64(-2)));
  EXPECT_EQ(get(b, "n"), Value::ok(Value::some(Value::bytes(std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8)))));
  EXPECT_EQ(call("wasi:keyvalue/atomics@0.2.0-draft", "increment",
                 {{"bucket", kSelf}, {"key", kString}, {"delta", prim(ValueKind::U64)}},
                 result(prim(ValueKind::U64), kWasiError), {Value::borrow(b), Value::string("u"), Value::u64(3)}),
            Value::ok(Value::u64(3)));
  ASSERT_EQ(set(b, "text", "hello"), Value::ok());
  Value bad = call("wasi:keyvalue/atomics@0.2.0-draft2", "increment",
                   {{"bucket", kSelf}, {"key", kString}, {"delta", prim(ValueKind::S64)}},
                   result(prim(ValueKind::S64), kWasiError), {Value::borrow(b), Value::string("text"), Value::s64(1)});
  EXPECT_EQ(bad.caseIndex(), 1u);
  EXPECT_EQ(bad.payload()->caseIndex(), 2u);  // other("... is not a counter ...")
}

TEST_F(HostInterfacesTest, CompareAndSwapSucceedsOnceAndHandsBackAFreshCas) {
  const char* atomics = "wasi:keyvalue/atomics@0.2.0-draft2";
  std::uint32_t b = bucket();
  ASSERT_EQ(set(b, "k", "one"), Value::ok());
  const ValueTypePtr casErrorType =
      variant({{"store-error", kWasiError}, {"cas-failed", component::ownType(kCasResource)}});
  auto newCas = [&]() {
    Value v = call(atomics, "[static]cas.new", {{"bucket", kSelf}, {"key", kString}},
                   result(component::ownType(kCasResource), kWasiError), {Value::borrow(b), Value::string("k")});
    EXPECT_EQ(v.caseIndex(), 0u);
    return static_cast<std::uint32_t>(v.payload()->bits);
  };
  auto swap = [&](std::uint32_t cas, const std::string& value) {
    return call(atomics, "swap", {{"cas", component::ownType(kCasResource)}, {"value", kBytes}},
                result(nullptr, casErrorType), {Value::own(cas), Value::bytes(value)});
  };
  std::uint32_t first = newCas(), second = newCas();
  EXPECT_EQ(call(atomics, "[method]cas.current", {{"self", component::borrowType(kCasResource)}},
                 result(option(kBytes), kWasiError), {Value::borrow(first)}),
            Value::ok(Value::some(Value::bytes("one"))));
  EXPECT_EQ(swap(first, "two"), Value::ok());
  Value failed = swap(second, "three");  // saw "one", the store has "two"
  ASSERT_EQ(failed.caseIndex(), 1u);
  ASSERT_EQ(failed.payload()->caseIndex(), 1u);  // cas-failed(cas)
  std::uint32_t retry = static_cast<std::uint32_t>(failed.payload()->payload()->bits);
  EXPECT_EQ(get(b, "k"), Value::ok(Value::some(Value::bytes("two"))));
  EXPECT_EQ(swap(retry, "three"), Value::ok());  // the fresh cas saw "two"
  EXPECT_EQ(get(b, "k"), Value::ok(Value::some(Value::bytes("three"))));
  // swap took ownership of every cas it was given: the table is empty.
  EXPECT_FALSE((*linker_.resource(atomics, "cas"))(first));
}

TEST_F(HostInterfacesTest, BatchOperationsInBothDrafts) {
  std::uint32_t b = bucket();
  auto pair = [](const std::string& k, const std::string& v) { return Value::tuple({Value::string(k), Value::bytes(v)}); };
  const ValueTypePtr pairs = list(tuple({kString, kBytes}));
  for (const char* version : {"0.2.0-draft2", "0.2.0-draft"}) {
    const std::string batch = std::string("wasi:keyvalue/batch@") + version;
    EXPECT_EQ(call(batch, "set-many", {{"bucket", kSelf}, {"key-values", pairs}}, result(nullptr, kWasiError),
                   {Value::borrow(b), Value::list({pair("a", "1"), pair("b", "2")})}),
              Value::ok());
  }
  const Value keys = Value::list({Value::string("a"), Value::string("zz"), Value::string("b")});
  EXPECT_EQ(call("wasi:keyvalue/batch@0.2.0-draft2", "get-many", {{"bucket", kSelf}, {"keys", list(kString)}},
                 result(list(tuple({kString, option(kBytes)})), kWasiError), {Value::borrow(b), keys}),
            Value::ok(Value::list({Value::tuple({Value::string("a"), Value::some(Value::bytes("1"))}),
                                   Value::tuple({Value::string("zz"), Value::none()}),
                                   Value::tuple({Value::string("b"), Value::some(Value::bytes("2"))})})));
  EXPECT_EQ(call("wasi:keyvalue/batch@0.2.0-draft", "get-many", {{"bucket", kSelf}, {"keys", list(kString)}},
                 result(list(option(tuple({kString, kBytes}))), kWasiError), {Value::borrow(b), keys}),
            Value::ok(Value::list({Value::some(pair("a", "1")), Value::none(), Value::some(pair("b", "2"))})));
  EXPECT_EQ(call("wasi:keyvalue/batch@0.2.0-draft2", "delete-many", {{"bucket", kSelf}, {"keys", list(kString)}},
                 result(nullptr, kWasiError), {Value::borrow(b), keys}),
            Value::ok());
  EXPECT_EQ(get(b, "a"), Value::ok(Value::none()));
}

TEST_F(HostInterfacesTest, SpinKeyValueRoundTripAndGetKeys) {
  const char* spin = "fermyon:spin/key-value@2.0.0";
  Value opened = call(spin, "[static]store.open", {{"label", kString}},
                      result(component::ownType(kStoreResource), kSpinError), {Value::string("default")});
  ASSERT_EQ(opened.caseIndex(), 0u);
  const Value self = Value::borrow(opened.payload()->bits);
  EXPECT_EQ(call(spin, "[method]store.set", {{"self", kSelf}, {"key", kString}, {"value", kBytes}},
                 result(nullptr, kSpinError), {self, Value::string("hello"), Value::bytes("world")}),
            Value::ok());
  EXPECT_EQ(call(spin, "[method]store.get", {{"self", kSelf}, {"key", kString}}, result(option(kBytes), kSpinError),
                 {self, Value::string("hello")}),
            Value::ok(Value::some(Value::bytes("world"))));
  EXPECT_EQ(call(spin, "[method]store.exists", {{"self", kSelf}, {"key", kString}},
                 result(prim(ValueKind::Bool), kSpinError), {self, Value::string("hello")}),
            Value::ok(Value::boolean(true)));
  EXPECT_EQ(call(spin, "[method]store.get-keys", {{"self", kSelf}}, result(list(kString), kSpinError), {self}),
            Value::ok(Value::list({Value::string("hello")})));
  EXPECT_EQ(call(spin, "[method]store.delete", {{"self", kSelf}, {"key", kString}}, result(nullptr, kSpinError),
                 {self, Value::string("hello")}),
            Value::ok());
  EXPECT_EQ(call(spin, "[method]store.set", {{"self", kSelf}, {"key", kString}, {"value", kBytes}},
                 result(nullptr, kSpinError), {self, Value::string("big"), Value::bytes(std::string((1 << 20) + 1, 'x'))}),
            Value::err(Value::variant(3, Value::string("value of 1048577 bytes is larger than the limit of 1048576 bytes"))));
}

// --- variables -------------------------------------------------------------------

const ValueTypePtr kVariablesError =
    variant({{"invalid-name", kString}, {"undefined", kString}, {"provider", kString}, {"other", kString}});
const ValueTypePtr kConfigError = variant({{"upstream", kString}, {"io", kString}});

TEST_F(HostInterfacesTest, SpinVariablesGetResolvesTheComponentsVariables) {
  auto get = [&](const std::string& name) {
    return call("fermyon:spin/variables@2.0.0", "get", {{"name", kString}}, result(kString, kVariablesError),
                {Value::string(name)});
  };
  EXPECT_EQ(get("greeting"), Value::ok(Value::string("hello, world!")));  // template over a default
  EXPECT_EQ(get("region"), Value::ok(Value::string("eu-west")));           // from the provider
  EXPECT_EQ(get("missing"),
            Value::err(Value::variant(1, Value::string("no variable for \"hello\".\"missing\""))));  // undefined
  Value invalid = get("Bad-Name");
  ASSERT_EQ(invalid.caseIndex(), 1u);
  EXPECT_EQ(invalid.payload()->caseIndex(), 0u);  // invalid-name
  EXPECT_EQ(invalid.payload()->payload()->text,
            "variable name \"Bad-Name\" has 'B': use only lower-case letters, digits and '_'");
  EXPECT_EQ(get("name"), Value::err(Value::variant(1, Value::string("no variable for \"hello\".\"name\""))));
  Value provider = get("secret");  // "{{ token }}": required, no value
  ASSERT_EQ(provider.caseIndex(), 1u);
  EXPECT_EQ(provider.payload()->caseIndex(), 2u);
  EXPECT_NE(provider.payload()->payload()->text.find("required variable \"token\" has no value"), std::string::npos);
}

TEST_F(HostInterfacesTest, WasiConfigGetAndGetAllInBothVersions) {
  for (const char* version : {"0.2.0-draft-2024-09-27", "0.2.0-draft"}) {
    const std::string store = std::string("wasi:config/store@") + version;
    auto get = [&](const std::string& key) {
      return call(store, "get", {{"key", kString}}, result(option(kString), kConfigError), {Value::string(key)});
    };
    EXPECT_EQ(get("greeting"), Value::ok(Value::some(Value::string("hello, world!"))));
    EXPECT_EQ(get("missing"), Value::ok(Value::none()));
    EXPECT_EQ(get("Not Valid"), Value::ok(Value::none()));
    Value upstream = get("secret");
    ASSERT_EQ(upstream.caseIndex(), 1u);
    EXPECT_EQ(upstream.payload()->caseIndex(), 0u);  // upstream(...)
    // get-all fails as a whole when one variable cannot be resolved, as Spin's try_join_all does.
    Value all = call(store, "get-all", {}, result(list(tuple({kString, kString})), kConfigError), {});
    EXPECT_EQ(all.caseIndex(), 1u);
  }
}

TEST(HostInterfaces, WasiConfigGetAllListsEveryVariable) {
  app::LockedComponent c;
  c.id = "c";
  c.config = {{"b", "2"}, {"a", "{{ x }}"}};
  app::LockedVariable x;
  x.defaultValue = "1";
  auto resolver = std::make_shared<app::VariableResolver>(std::map<std::string, app::LockedVariable>{{"x", x}},
                                                          std::vector<app::VariableProvider>{});
  component::ComponentLinker linker;
  ASSERT_TRUE(defineVariableInterfaces(linker, variableOptions(c, resolver)));
  auto all = (*linker.function("wasi:config/store@0.2.0-draft-2024-09-27", "get-all"))({});
  ASSERT_TRUE(all && *all);
  EXPECT_EQ(**all, Value::ok(Value::list({Value::tuple({Value::string("a"), Value::string("1")}),
                                          Value::tuple({Value::string("b"), Value::string("2")})})));
}

TEST(HostInterfaces, NoStoresConfiguredMeansNoSuchStore) {
  auto options = std::make_shared<KeyValueOptions>();
  options->allowedLabels = {"default"};
  KeyValueHost host(options);
  component::ComponentLinker linker;
  ASSERT_TRUE(host.define(linker));
  auto r = (*linker.function("wasi:keyvalue/store@0.2.0-draft2", "open"))(std::vector<Value>{Value::string("default")});
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(**r, Value::err(Value::variant(0)));
}

TEST(HostInterfaces, CallsOutsideABoundStoreUseTheHostsOwnObjects) {
  auto options = std::make_shared<KeyValueOptions>();
  options->stores = std::make_shared<app::KeyValueStores>(nullptr, "");
  options->allowedLabels = {"default"};
  KeyValueHost host(options);
  component::ComponentLinker linker;
  ASSERT_TRUE(host.define(linker));
  engine::Store store;
  auto bound = host.bind(store);
  // No guest of `store` is running (engine::Store::current() is null): the host's own objects serve.
  auto r = (*linker.function("wasi:keyvalue/store@0.2.0-draft2", "open"))(std::vector<Value>{Value::string("default")});
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->caseIndex(), 0u);
  EXPECT_EQ(host.openStores(), 1u);
  EXPECT_EQ(bound->openStores(), 0u);
  bound.reset();  // unbinding leaves the host's objects alone
  EXPECT_EQ(host.openStores(), 1u);
}

}  // namespace
}  // namespace wasmops::http
