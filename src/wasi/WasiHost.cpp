#include "wasi/WasiHost.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "wasi/CallTable.h"
#include "wasi/Calls.h"
#include "wasi/FileStat.h"

namespace wasmops::wasi {
namespace {

constexpr CallSpec kCalls[] = {
    {"args_get", "ii", calls::argsGet},
    {"args_sizes_get", "ii", calls::argsSizesGet},
    {"environ_get", "ii", calls::environGet},
    {"environ_sizes_get", "ii", calls::environSizesGet},
    {"clock_res_get", "ii", calls::clockResGet},
    {"clock_time_get", "iIi", calls::clockTimeGet},
    {"fd_advise", "iIIi", calls::fdAdvise},
    {"fd_allocate", "iII", calls::fdAllocate},
    {"fd_close", "i", calls::fdClose},
    {"fd_datasync", "i", calls::fdDatasync},
    {"fd_fdstat_get", "ii", calls::fdFdstatGet},
    {"fd_fdstat_set_flags", "ii", calls::fdFdstatSetFlags},
    {"fd_fdstat_set_rights", "iII", calls::fdFdstatSetRights},
    {"fd_filestat_get", "ii", calls::fdFilestatGet},
    {"fd_filestat_set_size", "iI", calls::fdFilestatSetSize},
    {"fd_filestat_set_times", "iIIi", calls::fdFilestatSetTimes},
    {"fd_pread", "iiiIi", calls::fdPread},
    {"fd_prestat_get", "ii", calls::fdPrestatGet},
    {"fd_prestat_dir_name", "iii", calls::fdPrestatDirName},
    {"fd_pwrite", "iiiIi", calls::fdPwrite},
    {"fd_read", "iiii", calls::fdRead},
    {"fd_readdir", "iiiIi", calls::fdReaddir},
    {"fd_renumber", "ii", calls::fdRenumber},
    {"fd_seek", "iIii", calls::fdSeek},
    {"fd_sync", "i", calls::fdSync},
    {"fd_tell", "ii", calls::fdTell},
    {"fd_write", "iiii", calls::fdWrite},
    {"path_create_directory", "iii", calls::pathCreateDirectory},
    {"path_filestat_get", "iiiii", calls::pathFilestatGet},
    {"path_filestat_set_times", "iiiiIIi", calls::pathFilestatSetTimes},
    {"path_link", "iiiiiii", calls::pathLink},
    {"path_open", "iiiiiIIii", calls::pathOpen},
    {"path_readlink", "iiiiii", calls::pathReadlink},
    {"path_remove_directory", "iii", calls::pathRemoveDirectory},
    {"path_rename", "iiiiii", calls::pathRename},
    {"path_symlink", "iiiii", calls::pathSymlink},
    {"path_unlink_file", "iii", calls::pathUnlinkFile},
    {"poll_oneoff", "iiii", calls::pollOneoff},
    {"proc_raise", "i", calls::procRaise},
    {"random_get", "ii", calls::randomGet},
    {"sched_yield", "", calls::schedYield},
    {"sock_accept", "iii", calls::sockAccept},
    {"sock_recv", "iiiiii", calls::sockRecv},
    {"sock_send", "iiiii", calls::sockSend},
    {"sock_shutdown", "ii", calls::sockShutdown},
};

binary::FuncType signature(const char* params, bool returnsErrno) {
  binary::FuncType t;
  for (const char* p = params; *p; ++p) t.params.push_back(binary::ValType{*p == 'I' ? binary::ValKind::I64 : binary::ValKind::I32});
  if (returnsErrno) t.results.push_back(binary::ValType{binary::ValKind::I32});
  return t;
}

}  // namespace

std::span<const CallSpec> wasiCalls() { return kCalls; }

Expected<std::unique_ptr<WasiHost>> WasiHost::create(const embed::WasiConfig& config, const MemoryStdio& memoryStdio) {
  auto host = std::make_unique<WasiHost>();
  WASMOPS_TRY_VOID(openWasiContext(host->cx_, config, memoryStdio));
  return host;
}

namespace {

// The wasm signature of each call, made once: a per-request instance must
// not rebuild them.
const std::vector<binary::FuncType>& callSignatures() {
  static const std::vector<binary::FuncType> types = [] {
    std::vector<binary::FuncType> out;
    for (const auto& call : wasiCalls()) out.push_back(signature(call.params, true));
    return out;
  }();
  return types;
}

}  // namespace

std::optional<engine::Extern> WasiHost::defineImport(engine::Store& store, std::string_view name) {
  WasiContext* cx = &cx_;
  if (name == "proc_exit") {
    // proc_exit never returns: it records the code and unwinds the guest with a host trap.
    static const binary::FuncType exitType = signature("i", false);
    return store.hostFunction(exitType, [cx](const wasmops_val* args, wasmops_val*) -> std::optional<std::string> {
      cx->exitCode = args[0].i32;
      return std::string(kExitMessage);
    });
  }
  const auto calls = wasiCalls();
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (name != calls[i].name) continue;
    CallFn fn = calls[i].fn;
    return store.hostFunction(callSignatures()[i],
                              [cx, fn](const wasmops_val* args, wasmops_val* results) -> std::optional<std::string> {
                                results[0].i32 = static_cast<std::uint32_t>(fn(*cx, args));
                                return std::nullopt;
                              });
  }
  return std::nullopt;
}

void WasiHost::defineImports(engine::Store& store, const Define& define) {
  for (const auto& call : wasiCalls()) define(kModuleName, call.name, *defineImport(store, call.name));
  define(kModuleName, "proc_exit", *defineImport(store, "proc_exit"));
}

Expected<void> WasiHost::bindMemory(const engine::Instance& instance) {
  wasmops_memory* m = instance.exportedMemory("memory");
  if (!m) return makeError(ErrorCode::Invalid, "the module exports no memory named \"memory\", which WASI programs must");
  cx_.memory = GuestMemory(m);
  return {};
}

engine::Store::Resolver WasiHost::resolver(engine::Store& store) {
  return [this, &store](const std::string& module, const std::string& name) -> std::optional<engine::Extern> {
    if (module != kModuleName) return std::nullopt;
    return defineImport(store, name);
  };
}

namespace {

const binary::FuncType* exportedFunction(const binary::Module& m, const std::string& name) {
  for (const auto& e : m.exports)
    if (e.kind == binary::ExternKind::Func && e.name == name) return m.funcType(*m.functionTypeIndex(e.index));
  return nullptr;
}

std::string exportedFunctionNames(const binary::Module& m) {
  std::string names;
  for (const auto& e : m.exports) {
    if (e.kind != binary::ExternKind::Func) continue;
    if (!names.empty()) names += ", ";
    names += e.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

Expected<std::vector<std::string>> entryCalls(const binary::Module& module, const std::string& func) {
  if (func.empty()) {
    const binary::FuncType* start = exportedFunction(module, "_start");
    // A module that is no WASI program but has a start section ran it when instantiated.
    if (!start && module.start && !importsWasi(module)) return std::vector<std::string>{};
    if (!start)
      return makeError(ErrorCode::Usage, fmt::format("not a command: the module exports no _start; pass --invoke FUNC "
                                                     "(exported functions: {})", exportedFunctionNames(module)));
    if (!start->params.empty() || !start->results.empty())
      return makeError(ErrorCode::Invalid, "_start has the type " + binary::toString(*start) + ", not [] -> []");
    return std::vector<std::string>{"_start"};
  }
  if (!exportedFunction(module, func))
    return makeError(ErrorCode::Usage,
                     fmt::format("no exported function '{}' (exported functions: {})", func, exportedFunctionNames(module)));
  // A reactor initializes itself before any other export is called (WASI application ABI).
  if (exportedFunction(module, "_initialize") && func != "_initialize") return std::vector<std::string>{"_initialize", func};
  return std::vector<std::string>{func};
}

bool importsWasi(const binary::Module& module) {
  for (const auto& imp : module.imports)
    if (imp.module == kModuleName || imp.module == "wasi_unstable") return true;
  return false;
}

}  // namespace wasmops::wasi
