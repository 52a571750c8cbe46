;; Structured control: nested blocks, loops with branches, br_table, if/else with results,
;; multi-value blocks and functions, direct and indirect calls, select, unreachable.
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $add $sub $swap_sum)
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))
  (func $swap (type $pair) (local.get 1) (local.get 0))
  (func $swap_sum (type $bin)
    (call $swap (local.get 0) (local.get 1))
    (i32.add))
  (func $dispatch (export "dispatch") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $bin) (local.get $a) (local.get $b) (local.get $op)))
  (func $classify (export "classify") (param i32) (result i32)
    (block $d
      (block $c
        (block $b
          (block $a
            (br_table $a $b $c $d (local.get 0)))
          (return (i32.const 10)))
        (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))
  (func $collatz (export "collatz") (param $n i32) (result i32) (local $steps i32)
    (block $done
      (loop $next
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (local.set $n
          (if (result i32) (i32.and (local.get $n) (i32.const 1))
            (then (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1)))
            (else (i32.shr_u (local.get $n) (i32.const 1)))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $next)))
    (local.get $steps))
  (func $multi (export "multi") (param i32) (result i32 i64)
    (local.get 0)
    (block (param i32) (result i32 i64)
      (i64.extend_i32_u (local.get 0))))
  (func $pick (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func $never (if (i32.eqz (i32.const 0)) (then (unreachable))) (nop) (drop (i32.const 1))))
