(module $example
  (func $helper (param $x i32) (result i32) (local.get $x))
  (func $entry (call $helper (i32.const 1)) drop)
  (start $entry))
