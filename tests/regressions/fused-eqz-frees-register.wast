;; A br_if or if fused with i32.eqz/i64.eqz released the comparison's
;; (absent) second operand, which read as register 0, while that register
;; still held a value below on the stack. Found by the differential
;; execution test (binaryen -ttf), reduced by hand.
(module
  (global $a (mut i32) (i32.const 10))
  (global $b (mut i32) (i32.const 3))
  (global $one (mut i32) (i32.const 1))
  (func (export "if_eqz") (result i32)
    (i32.sub (global.get $a)
      (if (result i32) (i32.eqz (global.get $one)) (then (i32.const 100)) (else (global.get $b)))))
  (func (export "br_if_i64_eqz") (result i32)
    (block $l (result i32)
      (i32.sub (br_if $l (global.get $a) (i64.eqz (i64.extend_i32_u (global.get $one))))
               (global.get $b))))
  (func (export "br_if_eqz_twice") (result i32)
    (block $l (result i32)
      (i32.add (global.get $a)
        (i32.sub (br_if $l (global.get $a) (i32.eqz (global.get $one))) (global.get $b))))))
(assert_return (invoke "if_eqz") (i32.const 7))
(assert_return (invoke "br_if_i64_eqz") (i32.const 7))
(assert_return (invoke "br_if_eqz_twice") (i32.const 17))
