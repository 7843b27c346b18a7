#pragma once
// A value type's shape as short text without names, so that a host function
// can say what parameters it reads and the linker can refuse an import that
// declares other ones (a guest importing `write: func(self)` must not reach a
// host function that reads a second argument):
//   u8 string list<u8> option<T> result<T,_> tuple<T,U> record<T,U>
//   variant<T,_> enum<3> flags<6> own borrow
// Payload-less cases and result halves are `_`.
#include <string>

#include "component/ValueType.h"

namespace wasmops::component {

std::string shapeOf(const ValueType& type);
// The parameters, comma-separated: "borrow, list<u8>".
std::string paramShapes(const FunctionType& type);

}  // namespace wasmops::component
