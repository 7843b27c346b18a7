#pragma once
// Defines the functions and resources of one host interface (a full name
// with its version, `fermyon:spin/key-value@2.0.0`) on a ComponentLinker,
// keeping the first error for finish(): what wasi::preview2's
// InterfaceDefiner does for WASI 0.2 at its one version, for the Spin and
// wasi:keyvalue/config interfaces whose versions differ.
#include <string>
#include <utility>

#include "base/Error.h"
#include "component/ComponentLinker.h"

namespace wasmops::http {

class InterfaceFunctions {
 public:
  InterfaceFunctions(component::ComponentLinker& linker, std::string interface)
      : linker_(linker), interface_(std::move(interface)) {}
  // `params`: the parameter shapes `fn` reads (component/TypeShape.h).
  InterfaceFunctions& function(std::string name, std::string params, component::HostFunction fn) {
    if (status_) status_ = linker_.define(interface_, std::move(name), std::move(fn), std::move(params));
    return *this;
  }
  InterfaceFunctions& resource(std::string name, component::HostDestructor destructor) {
    if (status_) status_ = linker_.defineResource(interface_, std::move(name), std::move(destructor));
    return *this;
  }
  Expected<void> finish() const { return status_; }

 private:
  component::ComponentLinker& linker_;
  std::string interface_;
  Expected<void> status_;
};

}  // namespace wasmops::http
