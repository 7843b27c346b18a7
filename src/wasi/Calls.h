#pragma once
// The wasi_snapshot_preview1 functions. Each takes the raw wasm arguments
// (in the order witx declares them) and returns the WASI errno; the table in
// WasiHost.cpp binds them to their import names and signatures.
#include "engine/rt/wasmops_rt.h"
#include "wasi/WasiAbi.h"
#include "wasi/WasiContext.h"

namespace wasmops::wasi::calls {

using Args = const wasmops_val*;

// ArgsEnvCalls.cpp
Errno argsGet(WasiContext& cx, Args a);
Errno argsSizesGet(WasiContext& cx, Args a);
Errno environGet(WasiContext& cx, Args a);
Errno environSizesGet(WasiContext& cx, Args a);
// ClockRandomCalls.cpp
Errno clockResGet(WasiContext& cx, Args a);
Errno clockTimeGet(WasiContext& cx, Args a);
Errno randomGet(WasiContext& cx, Args a);
Errno schedYield(WasiContext& cx, Args a);
Errno procRaise(WasiContext& cx, Args a);
// FdCalls.cpp
Errno fdAdvise(WasiContext& cx, Args a);
Errno fdAllocate(WasiContext& cx, Args a);
Errno fdClose(WasiContext& cx, Args a);
Errno fdDatasync(WasiContext& cx, Args a);
Errno fdFdstatGet(WasiContext& cx, Args a);
Errno fdFdstatSetFlags(WasiContext& cx, Args a);
Errno fdFdstatSetRights(WasiContext& cx, Args a);
Errno fdFilestatGet(WasiContext& cx, Args a);
Errno fdFilestatSetSize(WasiContext& cx, Args a);
Errno fdFilestatSetTimes(WasiContext& cx, Args a);
Errno fdPread(WasiContext& cx, Args a);
Errno fdPrestatGet(WasiContext& cx, Args a);
Errno fdPrestatDirName(WasiContext& cx, Args a);
Errno fdPwrite(WasiContext& cx, Args a);
Errno fdRead(WasiContext& cx, Args a);
Errno fdReaddir(WasiContext& cx, Args a);
Errno fdRenumber(WasiContext& cx, Args a);
Errno fdSeek(WasiContext& cx, Args a);
Errno fdSync(WasiContext& cx, Args a);
Errno fdTell(WasiContext& cx, Args a);
Errno fdWrite(WasiContext& cx, Args a);
// PathCalls.cpp
Errno pathCreateDirectory(WasiContext& cx, Args a);
Errno pathFilestatGet(WasiContext& cx, Args a);
Errno pathFilestatSetTimes(WasiContext& cx, Args a);
Errno pathLink(WasiContext& cx, Args a);
Errno pathOpen(WasiContext& cx, Args a);
Errno pathReadlink(WasiContext& cx, Args a);
Errno pathRemoveDirectory(WasiContext& cx, Args a);
Errno pathRename(WasiContext& cx, Args a);
Errno pathSymlink(WasiContext& cx, Args a);
Errno pathUnlinkFile(WasiContext& cx, Args a);
// PollCalls.cpp
Errno pollOneoff(WasiContext& cx, Args a);
// SockCalls.cpp
Errno sockAccept(WasiContext& cx, Args a);
Errno sockRecv(WasiContext& cx, Args a);
Errno sockSend(WasiContext& cx, Args a);
Errno sockShutdown(WasiContext& cx, Args a);

}  // namespace wasmops::wasi::calls
