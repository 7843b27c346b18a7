;; A start function, table and memory with and without maxima, large limits.
(module
  (memory 0 65536)
  (table 0 funcref)
  (table 1 4294967295 funcref)
  (global $ran (mut i32) (i32.const 0))
  (func $init (global.set $ran (i32.const 1)))
  (start $init)
)
