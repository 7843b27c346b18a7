(module
  (memory 1 2)
  (func $divide (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "oob") (result i32) (i32.load (i32.const 70000)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $recurse (export "recurse") (param i64) (result i64)
    (i64.add (i64.const 1) (call $recurse (local.get 0))))
  (func (export "pair") (param f32) (result f32 i64) (local.get 0) (i64.const -5)))
