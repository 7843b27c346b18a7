;; Data at an offset only known at instantiation: no image, copied as before.
(module
  (import "env" "base" (global $base i32))
  (memory (export "memory") 1)
  (data (global.get $base) "moved")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
