#include "app/LockedApp.h"

#include <gtest/gtest.h>

namespace wasmops::app {
namespace {

using base::Digest;

TEST(LockedApp, ParsesWhatItWritesAndRefusesUnsafeContent) {
  LockedApp app;
  app.metadata = {{"name", "n"}, {"triggers", SpinJson::object()}};
  app.variables["v"] = {std::string("d"), std::nullopt, true};
  app.triggers.push_back({"t", "http", {{"component", "c"}, {"route", "/..."}}});
  LockedComponent c;
  c.id = "c";
  c.source.digest = Digest::of(std::string("wasm"));
  c.files.push_back({{std::nullopt, std::string("hi"), Digest::of(std::string("hi"))}, "dir/hi.txt"});
  c.env = {{"K", "V"}};
  app.components.push_back(c);
  std::string json = serializeLockedApp(app);
  auto back = parseLockedApp(json, "r");
  ASSERT_TRUE(back) << back.error().format();
  EXPECT_EQ(serializeLockedApp(*back), json);

  auto refuse = [&](const std::string& doc, ErrorCode code, const char* text) {
    auto r = parseLockedApp(doc, "r");
    ASSERT_FALSE(r) << doc;
    EXPECT_EQ(r.error().code, code) << r.error().format();
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().format();
  };
  std::string d = Digest::of(std::string("x")).str();
  std::string head = R"({"spin_lock_version":0,"triggers":[],"components":[{"id":)";
  refuse(head + R"("c","source":{"content_type":"application/wasm","digest":")" + d + R"("},"files":[{"digest":")" + d +
             R"(","path":"../etc/passwd"}]}]})",
         ErrorCode::Invalid, "not a plain relative path");
  refuse(head + R"("../x","source":{"content_type":"application/wasm","digest":")" + d + R"("}}]})", ErrorCode::Invalid,
         "not kebab-case");
  refuse(head + R"("c","source":{"content_type":"application/wasm","inline":"eA","digest":")" +
             Digest::of(std::string("y")).str() + R"("}}]})",
         ErrorCode::Integrity, "does not match its digest");
  refuse(head + R"("c","source":{"content_type":"application/wasm","source":"file:///x.wasm"}}]})",
         ErrorCode::Unsupported, "only content by digest or inline");
  refuse(head + R"("c","source":{"content_type":"application/wasm","digest":")" + d +
             R"("},"dependencies":{"a:b/c":{"source":{"content_type":"application/wasm","digest":")" + d +
             R"("},"export":null}}}]})",
         ErrorCode::Unsupported, "component dependencies");
  refuse(R"({"spin_lock_version":1,"must_understand":["teleport"],"triggers":[],"components":[]})",
         ErrorCode::Unsupported, "teleport");
  refuse(R"({"spin_lock_version":2,"triggers":[],"components":[]})", ErrorCode::Unsupported, "newer");
}

}  // namespace
}  // namespace wasmops::app
