;; Reference types: funcref and externref tables, table instructions, element segments of the
;; active, passive and declarative kinds, with function indices and with expressions.
(module
  (type $t (func (result i32)))
  (table $funcs 4 8 funcref)
  (table $hosts 2 externref)
  (func $one (type $t) (i32.const 1))
  (func $two (type $t) (i32.const 2))
  (elem (table $funcs) (i32.const 0) func $one $two)
  (elem $later funcref (ref.func $two) (ref.null func))
  (elem declare func $one)
  (elem (table $funcs) (i32.const 2) funcref (ref.func $one))
  (func (export "refs") (param $x externref) (result i32)
    (table.set $hosts (i32.const 0) (local.get $x))
    (drop (table.grow $funcs (ref.func $one) (i32.const 1)))
    (table.fill $funcs (i32.const 3) (ref.null func) (i32.const 1))
    (table.init $funcs $later (i32.const 0) (i32.const 0) (i32.const 2))
    (table.copy $funcs $funcs (i32.const 1) (i32.const 0) (i32.const 1))
    (elem.drop $later)
    (i32.add
      (ref.is_null (table.get $hosts (i32.const 1)))
      (table.size $funcs)))
  (func (export "get") (result funcref) (ref.func $one)))
