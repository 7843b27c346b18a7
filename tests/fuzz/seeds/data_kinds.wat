;; Data segments: active (implicit memory), passive, active with an explicit memory index.
(module
  (import "env" "at" (global $at i32))
  (memory $m 1)
  (data (i32.const 0) "implicit memory 0")
  (data "passive")
  (data (memory $m) (offset (i32.const 32)) "explicit memory 0")
  (data (memory 0) (global.get $at) "offset from a global")
  (data (i32.const 128) "")
  (func (export "drop_it") (data.drop 1))
)
