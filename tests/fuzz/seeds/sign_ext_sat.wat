;; Sign-extension and non-trapping float-to-int (both in 2.0).
(module
  (func (export "ext") (param i32 i64) (result i64)
    local.get 0 i32.extend8_s i32.extend16_s drop
    local.get 1 i64.extend8_s i64.extend16_s i64.extend32_s)
  (func (export "sat") (param f32 f64) (result i32)
    local.get 0 i32.trunc_sat_f32_s local.get 0 i32.trunc_sat_f32_u i32.add
    local.get 1 i32.trunc_sat_f64_s i32.add local.get 1 i32.trunc_sat_f64_u i32.add
    local.get 0 i64.trunc_sat_f32_s local.get 0 i64.trunc_sat_f32_u i64.add
    local.get 1 i64.trunc_sat_f64_s i64.add local.get 1 i64.trunc_sat_f64_u i64.add
    i32.wrap_i64 i32.add)
)
