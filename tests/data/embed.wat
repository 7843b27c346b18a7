;; Used by examples/embed: imports a host function, exports memory and functions.
(module
  (import "host" "log" (func $log (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello")
  (func (export "sum") (param i32 i32) (result i32)
    (local $r i32)
    (local.set $r (i32.add (local.get 0) (local.get 1)))
    (call $log (local.get $r))
    (local.get $r))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
