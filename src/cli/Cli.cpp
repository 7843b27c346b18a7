#include "cli/Cli.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "base/Error.h"
#include "base/Log.h"
#include "cli/Commands.h"
#include "wasmops/version.h"

namespace wasmops::cli {

int reportError(const Error& error) {
  std::fprintf(stderr, "wasmops: error: %s\n", error.format().c_str());
  return errorCodeExitStatus(error.code);
}

int run(int argc, char** argv) {
  CLI::App app{"wasmops: inspect, validate, compile, run, serve and ship WebAssembly", "wasmops"};
  app.set_version_flag("--version", std::string("wasmops ") + WASMOPS_VERSION_STRING);
  app.require_subcommand(1);
  std::string logFormat = "human";
  bool verbose = false;
  app.add_option("--log-format", logFormat, "Log format on stderr: human or json")->check(CLI::IsMember({"human", "json"}));
  app.add_flag("-v,--verbose", verbose, "Log debug details");

  InspectOptions inspect;
  auto* inspectCmd = app.add_subcommand("inspect", "Describe a module or component: sections, types, imports, exports, features");
  inspectCmd->add_option("FILE", inspect.file, "A .wasm file")->required();
  inspectCmd->add_flag("--json", inspect.json, "Print a JSON document (docs/inspect-json.md)");

  PrintOptions print;
  auto* printCmd = app.add_subcommand("print", "Print a core module as WebAssembly text");
  printCmd->add_option("FILE", print.file, "A .wasm file")->required();
  printCmd->add_option("-o,--output", print.output, "Write to this file instead of stdout");
  printCmd->add_flag("--fold-exprs", print.foldExprs, "Write folded (S-expression) instructions");
  printCmd->add_flag("--inline-exports", print.inlineExports, "Write exports inline with their definitions");

  ValidateOptions validate;
  auto* validateCmd = app.add_subcommand("validate", "Check that modules are well-formed and valid WebAssembly 2.0");
  validateCmd->add_option("FILE", validate.files, "One or more .wasm files")->required();
  validateCmd->add_flag("--json", validate.json, "Print a JSON document (docs/validate-json.md)");

  // CLI11 would only say "a subcommand is required" for a misspelt command.
  if (argc > 1 && argv[1][0] != '-') {
    std::string first = argv[1];
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known |= sub->get_name() == first;
    if (!known) {
      std::fprintf(stderr, "wasmops: error: unknown command '%s' (commands: inspect, print, validate; see --help)\n",
                   first.c_str());
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  auto format = log::parseFormat(logFormat);
  log::setup(format ? *format : log::Format::Human, verbose);

  if (inspectCmd->parsed()) return runInspect(inspect);
  if (printCmd->parsed()) return runPrint(print);
  if (validateCmd->parsed()) return runValidate(validate);
  return 2;
}

}  // namespace wasmops::cli
