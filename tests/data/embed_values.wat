;; v128, externref and funcref values through the public embedding API.
(module
  (import "host" "mix" (func $mix (param v128 externref) (result externref)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "v_add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "ext_id") (param externref) (result externref) (local.get 0))
  (func (export "ext_is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "get_f") (param i32) (result funcref) (table.get $t (local.get 0)))
  (func (export "fn_is_null") (param funcref) (result i32) (ref.is_null (local.get 0)))
  (func (export "call_mix") (param v128 externref) (result externref) (call $mix (local.get 0) (local.get 1))))
