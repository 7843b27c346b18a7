;; Multi-value: several results, block types by index, block parameters.
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (func $swap (type $pair) local.get 1 local.get 0)
  (func $divmod (export "divmod") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 i32.div_u local.get 0 local.get 1 i32.rem_u)
  (func (export "use") (param i32 i32) (result i64 f32 i32)
    local.get 0 local.get 1
    block (type $pair) call $swap end
    loop (param i32 i32) (result i32) i32.add end
    local.get 0
    if (param i32) (result i32 i32) local.get 1 else i32.const 0 end
    i32.add i64.extend_i32_u f32.const 1 i32.const 2)
  (func (export "triple") (result i32 i64 f64) i32.const 1 i64.const 2 f64.const 3)
)
