#pragma once
// Hooks for showing progress of blob transfers (the CLI draws a bar on a
// TTY); the default does nothing.
#include <cstdint>
#include <string>

namespace wasmops::oci {

class TransferObserver {
 public:
  virtual ~TransferObserver() = default;
  // `label` names the blob ("config", "layer sha256:ab12…"); `total` in bytes.
  virtual void started(const std::string& /*label*/, std::uint64_t /*total*/) {}
  virtual void progress(std::uint64_t /*done*/) {}
  // `outcome`: "uploaded", "exists", "mounted", "downloaded", "cached".
  virtual void finished(const std::string& /*outcome*/) {}
};

}  // namespace wasmops::oci
