;; MVP: integer and float arithmetic, comparisons, conversions, locals, globals.
(module
  (global $g (mut i32) (i32.const 7))
  (global $k i64 (i64.const -42))
  (global $f f32 (f32.const 1.5))
  (global $d f64 (f64.const -0x1.8p3))
  (func $ints (export "ints") (param $a i32) (param $b i32) (result i32)
    (local $t i32) (local i64)
    local.get $a local.get $b i32.add
    local.get $b i32.sub local.get $a i32.mul
    i32.const 3 i32.div_s i32.const 5 i32.rem_u
    i32.const 0xff i32.and i32.const 1 i32.or i32.const 2 i32.xor
    i32.const 3 i32.shl i32.const 1 i32.shr_s i32.const 1 i32.shr_u
    i32.const 4 i32.rotl i32.const 4 i32.rotr
    local.tee $t i32.clz local.get $t i32.ctz i32.add local.get $t i32.popcnt i32.add
    i32.eqz global.get $g i32.add global.set $g
    global.get $g local.get $a i32.lt_s local.get $a local.get $b i32.ge_u i32.ne)
  (func $longs (export "longs") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.mul global.get $k i64.add
    local.get 1 i64.div_u i64.const 9 i64.rem_s i64.const 1 i64.shl
    i64.clz i64.const 33 i64.rotl
    local.get 0 i64.eqz i64.extend_i32_u i64.add
    local.get 0 i32.wrap_i64 i64.extend_i32_s i64.sub)
  (func $floats (export "floats") (param f32 f64) (result f64)
    local.get 0 global.get $f f32.mul f32.sqrt f32.neg f32.abs f32.ceil f32.floor
    f32.trunc f32.nearest f32.const 2 f32.copysign f32.const 3 f32.min f32.const -1 f32.max
    f64.promote_f32 local.get 1 f64.div global.get $d f64.add
    f64.const nan f64.max f64.const inf f64.min
    local.get 1 f32.demote_f64 f64.promote_f32 f64.sub)
  (func $convert (export "convert") (param f64) (result i32)
    local.get 0 i64.trunc_f64_s f32.convert_i64_s i32.trunc_f32_u
    f64.convert_i32_u i64.reinterpret_f64 f64.reinterpret_i64
    i32.trunc_f64_s f32.reinterpret_i32 i32.reinterpret_f32
    local.get 0 local.get 0 f64.eq i32.add local.get 0 f64.const 0 f64.lt i32.add)
)
