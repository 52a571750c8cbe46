(module $sample
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1 2)
  (global $counter (mut i64) (i64.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $add $log)
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (data (i32.const 16) "hello"))
