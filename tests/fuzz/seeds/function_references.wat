;; wasm-flags: --enable-function-references
;; Typed function references as wabt 1.0.32 writes them: the pre-standard
;; encoding (ref $t = 0x6b, call_ref without a type immediate), so our decoder
;; sees other things here. typed_refs.hex has the final encoding.
(module
  (type $t (func (param i32) (result i32)))
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $inc)
  (func (export "go") (param i32) (result i32)
    (call_ref (local.get 0) (ref.func $inc)))
  (func (param (ref $t)) (result i32) (i32.const 0))
)
