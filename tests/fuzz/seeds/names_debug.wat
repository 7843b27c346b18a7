;; wasm-flags: --debug-names
;; Module, function and local names in a `name` section.
(module $named_module
  (import "env" "print" (func $print (param $value i32)))
  (func $helper (param $x i32) (param $y i32) (result i32) (local $sum i32)
    (local.set $sum (i32.add (local.get $x) (local.get $y)))
    (local.get $sum))
  (func $run (export "run") (local $i i32)
    (call $print (call $helper (local.get $i) (i32.const 2))))
  (func $unexported (nop))
  (func $with.odd-chars!#? (nop))
)
