// libFuzzer target for the inspect + validate + print path: everything a
// user's untrusted .wasm goes through in `wasmops inspect|validate|print`.
// Nothing may abort: libwabt keeps its asserts, so our decoder has to refuse
// anything malformed before wabt sees it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "binary/Inspection.h"
#include "validate/Validator.h"
#include "validate/WabtBridge.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);

  // `inspect`
  auto insp = wasmops::binary::inspectBinary(bytes);
  if (insp && insp->kind == wasmops::binary::BinaryKind::CoreModule)
    for (std::uint32_t i = 0; i < insp->module.totalFunctions() && i < 64; ++i)
      (void)wasmops::binary::functionDisplayName(*insp, i);

  // `validate`
  auto result = wasmops::validate::validateBinary(bytes);
  if (!result.ok()) return 0;

  // `print`: only reached for modules `validate` called valid, as in the CLI.
  auto wabt = wasmops::validate::readAndValidateWithWabt(bytes, /*readNames=*/true);
  if (!wabt.diagnostics.empty() || !wabt.module) return 0;
  // The four --fold-exprs/--inline-exports combinations, picked by the input
  // so that one run stays one read (ApplyNames changes the module in place).
  unsigned pick = 0;
  for (std::size_t i = 0; i < size; ++i) pick += data[i];
  (void)wasmops::validate::writeWat(*wabt.module, /*foldExprs=*/pick & 1, /*inlineExports=*/pick & 2);
  return 0;
}
