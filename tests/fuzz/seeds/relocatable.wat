;; wasm-flags: -r
;; A relocatable object: `linking` and `reloc.*` custom sections.
(module
  (import "env" "ext" (func $ext (param i32) (result i32)))
  (memory 1)
  (global $sp (mut i32) (i32.const 1024))
  (data (i32.const 16) "reloc")
  (func $f (export "f") (param i32) (result i32)
    (call $ext (i32.add (local.get 0) (global.get $sp))))
)
