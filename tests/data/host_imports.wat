(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "table" (table 2 10 funcref))
  (import "env" "mem" (memory 1 4))
  (import "env" "g" (global $g (mut i64)))
  (func (export "run") (call $log (i32.const 42))))
