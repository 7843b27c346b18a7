#pragma once
// A component's world as WIT, as wit-component decodes it: the root package
// `root:component` with world `root` (its imports and exports in order),
// then one package per namespace:package@version the world names, holding
// the bodies of those interfaces rebuilt from their instance types (types
// named where the component names them, `use` where a type comes from
// another interface, resource functions folded into their resource).
#include "base/Error.h"
#include "binary/Component.h"
#include "component/Wit.h"

namespace wasmops::component {

// Errors (a type WIT cannot name, an export that is neither a function nor
// an instance) carry the byte offset of the item.
Expected<wit::Document> witOfComponent(const binary::Component& component);

}  // namespace wasmops::component
