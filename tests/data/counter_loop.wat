;; A loop without calls that counts in an exported global: a guest that is
;; stopped and resumed shows its progress there.
(module
  (global $n (export "n") (mut i64) (i64.const 0))
  (func (export "count")
    (loop $forever
      (global.set $n (i64.add (global.get $n) (i64.const 1)))
      (br $forever)))
  (func (export "quick") (result i32) (i32.const 7)))
