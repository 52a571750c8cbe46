;; edge.wast - describes edge.json, a script written by hand in wast2json's
;; format for what wast2json cannot write; each line below is the "line" of
;; the command it describes. pass.0.wasm is the first module of pass.wast.
;; Not a script: run_runner_test.sh reads only the ";; expect:" notes.
(module "pass.0.wasm") ;; expect: passed
(assert_return (invoke "add" v128 i32x4 1 2 3 4) (i32 0)) ;; expect: not run
(assert_return (invoke "f32-neg" (f32 1)) (v128 i32x4 0 0 0 0)) ;; expect: not run
(assert_return (invoke "add" (i32 1)) (i32 1)): too few arguments ;; expect: failed
(assert_return (invoke "add" (i64 1) (i64 2)) (i32 3)): wrong types ;; expect: failed
(assert_return (invoke "add" (i32 1) (i32 2)) (i32 3) (i32 3)): one result ;; expect: failed
(assert_return (invoke "no-such-export") (i32 1)) ;; expect: failed
(assert_return (invoke $Nowhere "add" (i32 1) (i32 2)) (i32 3)) ;; expect: failed
(assert_frobnicate): a command type nobody knows ;; expect: failed
(action (poke "add")): an action type nobody knows ;; expect: failed
(assert_return (invoke "add" (i32 1) (i32 2)) (exnref null)) ;; expect: failed
(assert_exception (invoke "add" (i32 1) (i32 2))) ;; expect: not run
(assert_return (invoke "null-funcref") (funcref)): any non-null one ;; expect: failed
(assert_return (invoke "externref" (funcref 1)) (externref null)) ;; expect: not run
(assert_return (invoke "f32-neg" (f32 nan:canonical)) (f32 0)) ;; expect: failed
(assert_trap (invoke "div" (i32 1) (i32 0)) "integer divide by zero") with typed expected ;; expect: passed
(assert_return (get "gf32") (f32 1.5)) ;; expect: passed
(assert_return (invoke "add" (i32 1) (i32 2)) (i32 "three")) ;; expect: failed
(module "text.wat" text) ;; expect: n/a (text)
(assert_return (invoke "add" (i32 1) (i32 2)) (i32 3)): the current module is text ;; expect: not run
(assert_return (invoke $P "add" (i32 1) (i32 2)) (i32 3)): the named binary one ;; expect: passed
