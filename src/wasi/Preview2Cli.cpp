// wasi:cli: environment, exit, the standard streams and terminals.
#include <unistd.h>

#include "wasi/Preview2State.h"
#include "wasi/WasiHost.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

// The context's stdio fd `n` as a stream target.
StreamTarget stdioTarget(WasiContext& cx, std::uint32_t n) {
  StreamTarget t;
  if (FdEntry* e = cx.fds.get(n)) {
    t.memory = e->memory;
    t.fd = e->host.get();
  } else {
    t.closed = true;  // the guest's fd table has no such stream
  }
  return t;
}

bool isTerminal(WasiContext& cx, std::uint32_t n) {
  FdEntry* e = cx.fds.get(n);
  return e && !e->memory && e->host && ::isatty(e->host.get());
}

// Unwinds the guest as preview1's proc_exit does (a host trap the runner
// tells from a failure by exitCode()).
Result exitWith(const StateRef& s, std::uint32_t code) {
  s->cx.exitCode = code;
  return makeError(ErrorCode::Invalid, kExitMessage);
}

}  // namespace

Expected<void> defineCli(Preview2State& st, component::ComponentLinker& linker) {
  StateRef s(&st);
  InterfaceDefiner environment(linker, "wasi:cli/environment");
  environment
      .function("get-environment", "", [s](Args) -> Result {
                  std::vector<Value> pairs;
                  for (const auto& kv : s->cx.env) {
                    const auto eq = kv.find('=');
                    const std::string key = kv.substr(0, eq), value = eq == std::string::npos ? "" : kv.substr(eq + 1);
                    pairs.push_back(Value::tuple({Value::string(key), Value::string(value)}));
                  }
                  return Value::list(std::move(pairs));
                })
      .function("get-arguments", "", [s](Args) -> Result {
                  std::vector<Value> args;
                  for (const auto& a : s->cx.args) args.push_back(Value::string(a));
                  return Value::list(std::move(args));
                })
      // The guest has no working directory of the host's: paths are relative to preopens.
      .function("initial-cwd", "", [](Args) -> Result { return Value::none(); });
  WASMOPS_TRY_VOID(environment.finish());

  InterfaceDefiner exit(linker, "wasi:cli/exit");
  exit.function("exit", "result<_,_>", [s](Args a) -> Result { return exitWith(s, a[0].caseIndex() == 0 ? 0 : 1); })
      .function("exit-with-code", "u8", [s](Args a) -> Result { return exitWith(s, static_cast<std::uint32_t>(a[0].bits)); });
  WASMOPS_TRY_VOID(exit.finish());

  const struct {
    const char* interface;
    const char* function;
    std::uint32_t fd;
  } stdio[] = {{"wasi:cli/stdin", "get-stdin", 0}, {"wasi:cli/stdout", "get-stdout", 1}, {"wasi:cli/stderr", "get-stderr", 2}};
  for (const auto& io : stdio) {
    const std::uint32_t fd = io.fd;
    InterfaceDefiner d(linker, io.interface);
    d.function(io.function, "", [s, fd](Args) -> Result {
      StreamTarget t = stdioTarget(s->cx, fd);
      if (fd == 0) {
        WASMOPS_TRY(std::uint32_t rep, s->inputs.add(InputStream{std::move(t)}));
        return Value::own(rep);
      }
      WASMOPS_TRY(std::uint32_t rep, s->outputs.add(OutputStream{std::move(t)}));
      return Value::own(rep);
    });
    WASMOPS_TRY_VOID(d.finish());
  }

  InterfaceDefiner terminalInput(linker, "wasi:cli/terminal-input");
  WASMOPS_TRY_VOID(terminalInput.resource("terminal-input", s, &Preview2State::terminalInputs).finish());
  InterfaceDefiner terminalOutput(linker, "wasi:cli/terminal-output");
  WASMOPS_TRY_VOID(terminalOutput.resource("terminal-output", s, &Preview2State::terminalOutputs).finish());
  const struct {
    const char* interface;
    const char* function;
    std::uint32_t fd;
  } terminals[] = {{"wasi:cli/terminal-stdin", "get-terminal-stdin", 0},
                   {"wasi:cli/terminal-stdout", "get-terminal-stdout", 1},
                   {"wasi:cli/terminal-stderr", "get-terminal-stderr", 2}};
  for (const auto& term : terminals) {
    const std::uint32_t fd = term.fd;
    InterfaceDefiner d(linker, term.interface);
    d.function(term.function, "", [s, fd](Args) -> Result {
      if (!isTerminal(s->cx, fd)) return Value::none();
      auto& table = fd == 0 ? s->terminalInputs : s->terminalOutputs;
      WASMOPS_TRY(std::uint32_t rep, table.add(Terminal{}));
      return Value::some(Value::own(rep));
    });
    WASMOPS_TRY_VOID(d.finish());
  }
  return {};
}

}  // namespace wasmops::wasi::preview2
