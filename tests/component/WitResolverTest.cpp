#include "component/WitResolver.h"

#include <gtest/gtest.h>

using namespace wasmops::component::wit;

namespace {

// The one diagnostic for `source`, as "LINE:COL message".
std::string only(std::string_view source) {
  WitCheck r = checkWitSource(source, "t.wit");
  if (r.diagnostics.size() != 1) {
    std::string all = std::to_string(r.diagnostics.size()) + " diagnostics:";
    for (const auto& d : r.diagnostics) all += " [" + d.message + "]";
    return all;
  }
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.at.file, "t.wit");
  return std::to_string(d.at.line) + ":" + std::to_string(d.at.column) + " " + d.message;
}

}  // namespace

TEST(WitResolver, AcceptsUsesAcrossInterfacesPackagesAndAliases) {
  WitCheck r = checkWitSource(
      "package a:b@1.0.0;\n"
      "use c:d/base@2.0.0 as base;\n"
      "interface one { use two.{t as u}; use base.{res}; f: func(x: u, y: borrow<res>) -> res; }\n"
      "interface two { type t = alias; type alias = list<r>; resource r; }\n"
      "world w { import one; export two; use one.{u}; export run: func(x: u); include c:d/w@2.0.0; }\n"
      "package c:d@2.0.0 { interface base { resource res; } world w { import base; } }\n",
      "t.wit");
  for (const auto& d : r.diagnostics) ADD_FAILURE() << d.at.line << ":" << d.at.column << " " << d.message;
  ASSERT_EQ(r.document.packages.size(), 2u);
  EXPECT_EQ(toString(r.document.packages[0].name), "a:b@1.0.0");
}

TEST(WitResolver, UnknownNames) {
  EXPECT_EQ(only("package a:b;\ninterface i { f: func() -> nope; }"), "2:28 type `nope` does not exist");
  EXPECT_EQ(only("package a:b;\ninterface i { use j.{t}; }"), "2:19 interface `j` not found in package `a:b`");
  EXPECT_EQ(only("package a:b;\ninterface i { use j.{t}; }\ninterface j { type u = u8; }"),
            "2:22 type `t` not found in interface `j`");
  EXPECT_EQ(only("package a:b;\ninterface i { use j.{f}; }\ninterface j { f: func(); }"),
            "2:22 `f` in interface `j` is a function, not a type");
  EXPECT_EQ(only("package a:b;\ninterface i { f: func(); g: func(x: f); }"), "2:37 `f` is a function, not a type");
  EXPECT_EQ(only("package a:b;\nworld w { include nope; }"), "2:19 world `nope` not found in package `a:b`");
  EXPECT_EQ(only("package a:b;\nworld v {}\nworld w { import v; }"), "3:18 `v` is a world, not an interface");
  EXPECT_EQ(only("package a:b;\ninterface i {}\nworld w { include i; }"), "3:19 `i` is an interface, not a world");
}

TEST(WitResolver, MissingPackages) {
  EXPECT_EQ(only("package a:b;\ninterface i { use wasi:io/poll@0.2.6.{pollable}; }"),
            "2:19 package `wasi:io@0.2.6` not found (no deps/ entry declares it)");
  EXPECT_EQ(only("package a:b;\nworld w { import c:d/i; }\npackage c:d@1.0.0 { interface i {} }"),
            "2:18 package `c:d` not found (found `c:d@1.0.0`)");
  EXPECT_EQ(only("interface i {}"), "1:1 no `package` declaration in this file");
}

TEST(WitResolver, DuplicateNames) {
  EXPECT_EQ(only("package a:b;\ninterface i {}\nworld i {}"), "3:1 world `i` is defined more than once (first at t.wit:2:1)");
  EXPECT_EQ(only("package a:b;\ninterface i { type t = u8;\n type t = u8; }"),
            "3:2 name `t` is defined more than once (first at t.wit:2:15)");
  EXPECT_EQ(only("package a:b;\ninterface i { f: func();\n f: func(); }"),
            "3:2 name `f` is defined more than once (first at t.wit:2:15)");
  EXPECT_EQ(only("package a:b;\ninterface i { record r { x: u8, x: u8 } }"),
            "2:33 field `x` is defined more than once (first at t.wit:2:26)");
  EXPECT_EQ(only("package a:b;\ninterface i { variant v { x, x(u8) } }"),
            "2:30 case `x` is defined more than once (first at t.wit:2:27)");
  EXPECT_EQ(only("package a:b;\ninterface i { enum e { x, x } }"), "2:27 case `x` is defined more than once (first at t.wit:2:24)");
  EXPECT_EQ(only("package a:b;\ninterface i { flags f { x, x } }"), "2:28 flag `x` is defined more than once (first at t.wit:2:25)");
  EXPECT_EQ(only("package a:b;\ninterface i { f: func(x: u8, x: u8); }"), "2:30 parameter `x` is defined more than once");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r { self-ish: func(self: u8); } }"),
            "2:43 parameter `self` is defined more than once (methods have an implicit `self`)");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r { f: func(); f: static func(); } }"),
            "2:39 function `f` is defined more than once (first at t.wit:2:28)");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r { constructor(); constructor(); } }"),
            "2:43 resource `r` has more than one constructor");
  EXPECT_EQ(only("package a:b;\ninterface i { use j.{t}; use j.{t}; }\ninterface j { type t = u8; }"),
            "2:33 name `t` is defined more than once (first at t.wit:2:22)");
}

TEST(WitResolver, Handles) {
  EXPECT_EQ(only("package a:b;\ninterface i { record r { x: u8 } f: func(x: borrow<r>); }"),
            "2:45 borrow<r>: `r` is not a resource");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r; f: func() -> borrow<r>; }"),
            "2:40 function `f` returns a `borrow<...>`: borrowed handles may only be parameters");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r; record h { x: borrow<r> }\n f: func() -> option<h>; }"),
            "3:15 function `f` returns a `borrow<...>`: borrowed handles may only be parameters");
  EXPECT_EQ(only("package a:b;\ninterface i { resource r { constructor() -> result<u8>; } }"),
            "2:45 a constructor of `r` returns `result<r, E>` or nothing");
  // Through aliases, across interfaces: still a resource.
  EXPECT_TRUE(checkWitSource("package a:b;\ninterface i { resource r; type q = r; }\n"
                             "interface j { use i.{q}; f: func(x: borrow<q>); }",
                             "t.wit")
                  .ok());
}

TEST(WitResolver, Cycles) {
  EXPECT_EQ(only("package a:b;\ninterface i { type a = list<b>;\n type b = option<a>; }").substr(0, 4), "2 di");
  EXPECT_EQ(only("package a:b;\ninterface i { type a = a; }"), "2:15 type `a` depends on itself");
  EXPECT_EQ(only("package a:b;\ninterface i { use i.{t}; type u = u8; }"),
            "2:19 interface `i` depends on itself: its `use` of `i` leads back to it");
}

TEST(WitResolver, WorldImportsAndExportsOnce) {
  EXPECT_EQ(only("package a:b;\ninterface i {}\nworld w { import i; export i;\n import i; }"),
            "4:9 interface `a:b/i` is imported more than once (first at t.wit:3:18)");
  EXPECT_EQ(only("package a:b;\nworld w { export f: func();\n export f: interface {} }"),
            "3:2 `f` is exported more than once (first at t.wit:2:11)");
  EXPECT_EQ(only("package a:b;\nworld w { type t = u8;\n import t: func(); }"),
            "3:2 `t` is imported more than once (first at t.wit:2:11)");
  EXPECT_EQ(only("package a:b;\nworld v { import f: func(); }\nworld w { include v with { g as h } }"),
            "3:28 world `v` has no import or export named `g`");
}

TEST(WitResolver, PackagesOfAFolderMustAgree) {
  std::vector<PackageSources> groups(1);
  groups[0].where = ".";
  groups[0].files.push_back(*parseWitFile("package a:b;\ninterface i {}", "one.wit"));
  groups[0].files.push_back(*parseWitFile("package a:c;\ninterface j {}", "two.wit"));
  WitCheck r = resolveWit(std::move(groups));
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].at.file, "two.wit");
  EXPECT_EQ(r.diagnostics[0].at.line, 1u);
  EXPECT_EQ(r.diagnostics[0].message,
            "package `a:c` does not match package `a:b` declared at one.wit:1:1 (the files of a folder are one package)");
}

TEST(WitResolver, LongUseChainsDoNotRecurse) {
  std::string src = "package a:b;\n";
  for (int n = 0; n < 3000; ++n)
    src += "interface i" + std::to_string(n) + " { use i" + std::to_string(n + 1) + ".{t}; }\n";
  src += "interface i3000 { type t = string; }\n";
  for (char& c : src)
    if (c >= '0' && c <= '9') c = static_cast<char>('a' + (c - '0'));  // identifiers are letters
  WitCheck r = checkWitSource(src, "t.wit");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.diagnostics[0].message);
}
