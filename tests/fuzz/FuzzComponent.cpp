// libFuzzer target for the component decoder: what `wasmops inspect` does
// with an untrusted component (decode, nested modules and components, the
// world with its function types), plus the decoder with nested modules kept
// as byte ranges with what `print` makes of it, and the top-level walk. Nothing may crash, leak, hang or
// allocate beyond what the bytes allow.
#include <cstddef>
#include <cstdint>
#include <span>

#include "binary/ComponentDecoder.h"
#include "binary/ComponentWalker.h"
#include "binary/Inspection.h"
#include "component/ComponentText.h"
#include "validate/ComponentValidator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);

  // `inspect`: decode (modules included), summary, world.
  auto insp = wasmops::binary::inspectBinary(bytes);
  if (insp && insp->decoded) {
    std::size_t n = 0;
    for (const auto& item : insp->world.exports) n += item.type.size();
    (void)n;
  }

  // The decoder alone, modules as ranges: reaches the component sections
  // after a nested module the module decoder would refuse.
  wasmops::binary::ComponentDecodeOptions options;
  options.decodeModules = false;
  options.maxNesting = 16;
  auto component = wasmops::binary::decodeComponent(bytes, options);
  if (component) {
    (void)wasmops::binary::describeWorld(*component);
    (void)wasmops::component::printComponentText(*component);  // `print`
  }

  (void)wasmops::binary::walkComponent(bytes);

  // Whatever decodes whole goes through the validator too.
  if (auto whole = wasmops::binary::decodeComponent(bytes)) (void)wasmops::validate::validateComponent(*whole, bytes);
  return 0;
}
