;; Numbers: integer and float arithmetic, comparisons, conversions, reinterpretations,
;; saturating truncation and sign extension, with locals of every number type.
(module
  (func (export "int") (param $a i32) (param $b i64) (result i64) (local $t i32)
    (local.set $t (i32.rotl (i32.xor (local.get $a) (i32.const 0x9e3779b9)) (i32.const 5)))
    (local.set $t (i32.div_s (local.get $t) (i32.or (local.get $a) (i32.const 1))))
    (local.set $t (i32.rem_u (local.get $t) (i32.const 7)))
    (i64.add
      (i64.mul (local.get $b) (i64.extend_i32_s (i32.popcnt (local.get $t))))
      (i64.shr_s (i64.clz (local.get $b)) (i64.ctz (local.get $b)))))
  (func (export "float") (param $x f32) (param $y f64) (result f64)
    (f64.add
      (f64.promote_f32 (f32.sqrt (f32.abs (local.get $x))))
      (f64.copysign (f64.nearest (local.get $y)) (f64.const -0x1p-1074))))
  (func (export "convert") (param $y f64) (result i32)
    (i32.add
      (i32.trunc_sat_f64_s (local.get $y))
      (i32.wrap_i64 (i64.trunc_sat_f32_u (f32.demote_f64 (local.get $y))))))
  (func (export "bits") (param $x f32) (result i64)
    (i64.extend32_s
      (i64.reinterpret_f64 (f64.convert_i32_u (i32.reinterpret_f32 (local.get $x))))))
  (func (export "signext") (param i32) (result i32)
    (i32.extend8_s (i32.extend16_s (local.get 0))))
  (func (export "compare") (param f32 f32) (result i32)
    (i32.and (f32.lt (local.get 0) (local.get 1)) (f32.ne (local.get 0) (local.get 0)))))
