#include "app/Variables.h"

#include <gtest/gtest.h>

namespace wasmops::app {
namespace {

// The cases of spinframework/spin crates/expressions/src/{lib.rs,template.rs}.
TEST(Variables, ParsesTemplatesAsSpinExpressionsDoes) {
  auto parts = parseTemplate("a-{{ expr }}-b");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_FALSE((*parts)[0].expression);
  EXPECT_EQ((*parts)[0].text, "a-");
  EXPECT_TRUE((*parts)[1].expression);
  EXPECT_EQ((*parts)[1].text, "expr");
  EXPECT_EQ((*parts)[2].text, "-b");
  auto two = parseTemplate("{{ expr1 }}{{expr2}}");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].text, "expr2");
  EXPECT_TRUE(parseTemplate("")->empty());
  EXPECT_FALSE(parseTemplate("{{ matched }} {{ unmatched"));
}

TEST(Variables, NamesFollowSpinsKeyRules) {
  for (const char* good : {"a", "abc", "a1b2c3", "a_1", "a_1_b_3"}) EXPECT_TRUE(checkVariableName(good)) << good;
  for (const char* bad : {"", "aX", "1bc", "_x", "x.y", "x_", "a__b", "x-y"})
    EXPECT_FALSE(checkVariableName(bad)) << bad;
}

TEST(Variables, EnvironmentProviderPrefersWasmopsThenSpin) {
  std::map<std::string, std::string> env = {{"SPIN_VARIABLE_API_KEY", "from-spin"},
                                            {"SPIN_VARIABLE_REGION", "spin-region"},
                                            {"WASMOPS_VARIABLE_REGION", "wasmops-region"}};
  auto provider = environmentProvider([&](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
  EXPECT_EQ(provider("api_key"), "from-spin");
  EXPECT_EQ(provider("region"), "wasmops-region");
  EXPECT_EQ(provider("missing"), std::nullopt);
}

TEST(Variables, ResolvesProvidersThenDefaultsAndRefusesUnsetRequiredOnes) {
  std::map<std::string, LockedVariable> vars;
  vars["required"] = {std::nullopt, std::nullopt, true};
  vars["default"] = {std::nullopt, std::string("default-value"), false};
  vars["unset"] = {std::nullopt, std::nullopt, false};
  VariableProvider test = [](const std::string& name) -> std::optional<std::string> {
    if (name == "required") return "provider-value";
    return std::nullopt;
  };
  VariableResolver resolver(vars, {test});
  EXPECT_EQ(resolver.render("static-value").value(), "static-value");
  EXPECT_EQ(resolver.render("prefix-{{ default }}-suffix").value(), "prefix-default-value-suffix");
  EXPECT_EQ(resolver.render("prefix-{{ required }}-suffix").value(), "prefix-provider-value-suffix");
  auto unset = resolver.render("{{ unset }}");
  ASSERT_FALSE(unset);
  EXPECT_NE(unset.error().message.find("set WASMOPS_VARIABLE_UNSET or SPIN_VARIABLE_UNSET"), std::string::npos)
      << unset.error().message;
  EXPECT_FALSE(resolver.render("{{ undeclared }}"));

  LockedComponent c;
  c.id = "web";
  c.config = {{"greeting", "hello {{ default }}"}, {"key", "{{ required }}"}};
  auto all = resolver.resolveComponent(c);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->at("greeting"), "hello default-value");
  EXPECT_EQ(all->at("key"), "provider-value");
  c.config["broken"] = "{{ unset }}";
  auto failed = resolver.resolveComponent(c);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("component \"web\": variable \"broken\""), std::string::npos);
}

}  // namespace
}  // namespace wasmops::app
