/* test_execute.c - running compiled code (x86-64 and AArch64 hosts):
 * entering and leaving, traps from ud2/udf, from memory faults and from
 * helpers, host functions called through funcrefs, nested calls from the
 * host back into wasm, stack exhaustion, suspension with frame walking, the
 * bulk helpers, start functions, and the store staying usable after each
 * trap.
 *
 * The runtime is tested without the code generator: every function's
 * machine code is written here with the host's encoder, following the
 * calling convention of docs/BACKEND.md and compiler/abi.h, and each trap
 * site and frame point is listed by hand (object_builder.h). The two
 * architectures' emitters below do the same thing instruction for
 * instruction where they can; build_code says what each function does. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "object_builder.h"
#include "runtime/frames.h"
#include "runtime/runtime.h"
#include "wasmrt.h"

/* Function indices of the test module (0 is the imported host function). */
enum {
  F_HOST,
  F_ADD,
  F_TRAP,
  F_LOAD,
  F_CALL_HOST,
  F_CHECK,
  F_CALL_CHECK,
  F_RECURSE,
  F_HELPER0, /* F_HELPER0 + h - 1 calls helper h, for h = 1 .. WR_HELPER_COUNT - 1 */
  F_COUNT = F_HELPER0 + WR_HELPER_COUNT - 1
};

/* Wasm offsets the hand-made metadata claims (any value does; the traps
 * must report them). */
#define OFF_TRAP 0x101
#define OFF_LOAD 0x202
#define OFF_CALL 0x303
#define OFF_CHECK 0x404
#define OFF_REC_ENTRY 0x505
#define OFF_REC_CALL 0x506
#define OFF_HELPER 0x600

#if defined(__x86_64__)
/* ---- x86-64: r14 = vmctx, r15 = memory base, rbp frames ---- */

static x86_mem at(x86_reg base, int32_t disp) { return x86_mem_base(base, disp); }

static void load64(wr_codebuf *c, x86_reg dst, x86_reg base, int32_t disp)
{
  x86_mem m = at(base, disp);
  x86_load(c, X86_LOAD_64, dst, &m);
}

static void load32(wr_codebuf *c, x86_reg dst, x86_reg base, int32_t disp)
{
  x86_mem m = at(base, disp);
  x86_load(c, X86_LOAD_U32, dst, &m);
}

static void store64(wr_codebuf *c, x86_reg base, int32_t disp, x86_reg src)
{
  x86_mem m = at(base, disp);
  x86_store(c, 8, &m, src);
}

/* push rbp; mov rbp, rsp; push r14 (the saved vmctx at fp-8); then `extra`
 * bytes of slots, keeping rsp 16-byte aligned (extra = 8 mod 16). */
static void prologue(wr_codebuf *c, int32_t extra)
{
  x86_push(c, X86_RBP);
  x86_mov_rr(c, true, X86_RBP, X86_RSP);
  x86_push(c, X86_R14);
  x86_alu_ri(c, X86_SUB, true, X86_RSP, extra);
}

static void epilogue(wr_codebuf *c)
{
  x86_mov_rr(c, true, X86_RSP, X86_RBP);
  x86_pop(c, X86_RBP);
  x86_ret(c);
}

/* rax := funcs[callee]; call it as generated code calls any funcref. */
static void call_func(ob *o, uint32_t callee, uint32_t wasm_offset, wr_point_kind kind)
{
  wr_codebuf *c = &o->code;
  load64(c, X86_RAX, X86_R14, WR_VMCTX_FUNCS);
  load64(c, X86_RAX, X86_RAX, 8 * (int32_t)callee);
  load64(c, X86_R11, X86_RAX, WR_FUNCREF_CODE);
  load64(c, X86_R14, X86_RAX, WR_FUNCREF_VMCTX);
  load64(c, X86_R15, X86_R14, WR_VMCTX_MEM_BASE);
  x86_call_r(c, X86_R11);
  ob_point(o, wasm_offset, kind, "");
  load64(c, X86_R14, X86_RBP, WR_FP_SAVED_VMCTX);
  load64(c, X86_R15, X86_R14, WR_VMCTX_MEM_BASE);
}

/* rdi = vmctx; the helper from the vmctx's table. */
static void call_helper(ob *o, wr_helper h, uint32_t wasm_offset, wr_point_kind kind,
                        const char *operands)
{
  wr_codebuf *c = &o->code;
  x86_mov_rr(c, true, X86_RDI, X86_R14);
  load64(c, X86_RAX, X86_R14, WR_VMCTX_HELPERS + 8 * (int32_t)h);
  x86_call_r(c, X86_RAX);
  ob_point(o, wasm_offset, kind, operands);
}

static void emit_add(ob *o)
{
  wr_codebuf *c = &o->code;
  load32(c, X86_RAX, X86_RSP, 8);
  x86_mem m = at(X86_RSP, 16);
  x86_alu_rm(c, X86_ADD, false, X86_RAX, &m);
  store64(c, X86_RSP, 8, X86_RAX);
  x86_ret(c);
}

static void emit_trap(ob *o, uint32_t wasm_offset)
{
  ob_trap(o, wasm_offset, WASMRT_TRAP_UNREACHABLE);
  x86_ud2(&o->code);
}

static void emit_load(ob *o)
{
  wr_codebuf *c = &o->code;
  load32(c, X86_RAX, X86_RSP, 8);
  x86_mem m = x86_mem_index(X86_R15, X86_RAX, 0, 0);
  ob_trap(o, OFF_LOAD, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  x86_load(c, X86_LOAD_U32, X86_RAX, &m);
  store64(c, X86_RSP, 8, X86_RAX);
  x86_ret(c);
}

static void emit_caller(ob *o, uint32_t callee, uint32_t wasm_offset)
{
  wr_codebuf *c = &o->code;
  prologue(c, 24);
  load32(c, X86_RAX, X86_RBP, 16);
  store64(c, X86_RSP, 0, X86_RAX);
  load32(c, X86_RAX, X86_RBP, 24);
  store64(c, X86_RSP, 8, X86_RAX);
  call_func(o, callee, wasm_offset, WR_POINT_CALL);
  load32(c, X86_RAX, X86_RSP, 0);
  store64(c, X86_RBP, 16, X86_RAX);
  epilogue(c);
}

static void emit_check(ob *o)
{
  wr_codebuf *c = &o->code;
  prologue(c, 24);
  x86_mov_ri(c, true, X86_RAX, 0x1234);
  store64(c, X86_RBP, wr_slot_fp_offset(2, 2), X86_RAX);
  x86_mov_ri(c, true, X86_RAX, 7);
  store64(c, X86_RBP, wr_slot_fp_offset(2, 3), X86_RAX);
  x86_mov_rr(c, true, X86_RSI, X86_RBP);
  call_helper(o, WR_HELPER_STACK_CHECK, OFF_CHECK, WR_POINT_LOOP, "i");
  load32(c, X86_RAX, X86_RBP, 16);
  x86_mem m = at(X86_RBP, 24);
  x86_alu_rm(c, X86_ADD, false, X86_RAX, &m);
  store64(c, X86_RBP, 16, X86_RAX);
  epilogue(c);
}

static void emit_recurse(ob *o)
{
  wr_codebuf *c = &o->code;
  prologue(c, 8);
  x86_mov_ri(c, true, X86_RAX, 0x5555);
  store64(c, X86_RBP, wr_slot_fp_offset(0, 0), X86_RAX);
  x86_mem m = at(X86_R14, WR_VMCTX_STACK_LIMIT);
  x86_alu_rm(c, X86_CMP, true, X86_RSP, &m);
  size_t skip = x86_jcc32(c, X86_CC_AE);
  x86_mov_rr(c, true, X86_RSI, X86_RBP);
  call_helper(o, WR_HELPER_STACK_CHECK, OFF_REC_ENTRY, WR_POINT_ENTRY, "");
  x86_patch_rel32(c, skip, c->len);
  call_func(o, F_RECURSE, OFF_REC_CALL, WR_POINT_CALL);
  epilogue(c);
}

static void emit_helper(ob *o, wr_helper h)
{
  wr_codebuf *c = &o->code;
  prologue(c, 8);
  load32(c, X86_RSI, X86_RBP, 16);
  load32(c, X86_RDX, X86_RBP, 24);
  load32(c, X86_RCX, X86_RBP, 32);
  load32(c, X86_R8, X86_RBP, 40);
  load32(c, X86_R9, X86_RBP, 48);
  call_helper(o, h, OFF_HELPER + h, WR_POINT_CALL, "");
  store64(c, X86_RBP, 16, X86_RAX);
  epilogue(c);
}

static void emit_store_one(ob *o)
{
  x86_mov_ri(&o->code, false, X86_RAX, 1);
  store64(&o->code, X86_R15, 0, X86_RAX);
  x86_ret(&o->code);
}

#elif defined(__aarch64__)
/* ---- AArch64: x27 = vmctx, x28 = memory base, x29 frames, x16/x17
 * scratch, funcref calls with x15 = the funcref ---- */

static void ldst(wr_codebuf *c, arm64_ldst_op op, arm64_reg rt, arm64_reg base, int32_t disp)
{
  /* The encoder's immediate form is unsigned; slots below the frame
   * pointer go through x16. */
  if (disp < 0) {
    arm64_addsub_imm(c, ARM64_SUB, true, ARM64_X16, base, (uint32_t)-disp);
    base = ARM64_X16;
    disp = 0;
  }
  arm64_ldst_imm(c, op, rt, base, (uint32_t)disp);
}

static void load64(wr_codebuf *c, arm64_reg dst, arm64_reg base, int32_t disp)
{
  ldst(c, ARM64_LDR_X, dst, base, disp);
}

static void load32(wr_codebuf *c, arm64_reg dst, arm64_reg base, int32_t disp)
{
  ldst(c, ARM64_LDR_W, dst, base, disp);
}

static void store64(wr_codebuf *c, arm64_reg base, int32_t disp, arm64_reg src)
{
  ldst(c, ARM64_STR_X, src, base, disp);
}

/* stp x29, x30, [sp, #-16]!; mov x29, sp; the saved vmctx at fp-8 (and
 * zero at fp-16); then `extra` bytes of slots (a multiple of 16). */
static void prologue(wr_codebuf *c, uint32_t extra)
{
  arm64_stp(c, ARM64_PAIR_PRE_INDEX, true, ARM64_X29, ARM64_X30, ARM64_SP, -16);
  arm64_mov_reg(c, true, ARM64_X29, ARM64_SP);
  arm64_stp(c, ARM64_PAIR_PRE_INDEX, true, ARM64_XZR, ARM64_X27, ARM64_SP, -16);
  if (extra)
    arm64_addsub_imm(c, ARM64_SUB, true, ARM64_SP, ARM64_SP, extra);
}

static void epilogue(wr_codebuf *c)
{
  arm64_mov_reg(c, true, ARM64_SP, ARM64_X29);
  arm64_ldp(c, ARM64_PAIR_POST_INDEX, true, ARM64_X29, ARM64_X30, ARM64_SP, 16);
  arm64_ret(c, ARM64_X30);
}

/* x15 := funcs[callee]; call it as generated code calls any funcref. */
static void call_func(ob *o, uint32_t callee, uint32_t wasm_offset, wr_point_kind kind)
{
  wr_codebuf *c = &o->code;
  load64(c, ARM64_X16, ARM64_X27, WR_VMCTX_FUNCS);
  load64(c, ARM64_X15, ARM64_X16, 8 * (int32_t)callee);
  load64(c, ARM64_X16, ARM64_X15, WR_FUNCREF_CODE);
  load64(c, ARM64_X27, ARM64_X15, WR_FUNCREF_VMCTX);
  load64(c, ARM64_X28, ARM64_X27, WR_VMCTX_MEM_BASE);
  arm64_blr(c, ARM64_X16);
  ob_point(o, wasm_offset, kind, "");
  load64(c, ARM64_X27, ARM64_X29, WR_FP_SAVED_VMCTX);
  load64(c, ARM64_X28, ARM64_X27, WR_VMCTX_MEM_BASE);
}

/* x0 = vmctx; the helper from the vmctx's table. */
static void call_helper(ob *o, wr_helper h, uint32_t wasm_offset, wr_point_kind kind,
                        const char *operands)
{
  wr_codebuf *c = &o->code;
  arm64_mov_reg(c, true, ARM64_X0, ARM64_X27);
  load64(c, ARM64_X16, ARM64_X27, WR_VMCTX_HELPERS + 8 * (int32_t)h);
  arm64_blr(c, ARM64_X16);
  ob_point(o, wasm_offset, kind, operands);
}

static void emit_add(ob *o)
{
  wr_codebuf *c = &o->code;
  load32(c, ARM64_X9, ARM64_SP, 0);
  load32(c, ARM64_X10, ARM64_SP, 8);
  arm64_alu_reg(c, ARM64_ADD, false, ARM64_X9, ARM64_X9, ARM64_X10, ARM64_LSL, 0);
  store64(c, ARM64_SP, 0, ARM64_X9);
  arm64_ret(c, ARM64_X30);
}

static void emit_trap(ob *o, uint32_t wasm_offset)
{
  ob_trap(o, wasm_offset, WASMRT_TRAP_UNREACHABLE);
  arm64_udf(&o->code, 0);
}

static void emit_load(ob *o)
{
  wr_codebuf *c = &o->code;
  load32(c, ARM64_X9, ARM64_SP, 0);
  ob_trap(o, OFF_LOAD, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  arm64_ldst_reg(c, ARM64_LDR_W, ARM64_X9, ARM64_X28, ARM64_X9, ARM64_INDEX_UXTW);
  store64(c, ARM64_SP, 0, ARM64_X9);
  arm64_ret(c, ARM64_X30);
}

static void emit_caller(ob *o, uint32_t callee, uint32_t wasm_offset)
{
  wr_codebuf *c = &o->code;
  prologue(c, 16);
  load32(c, ARM64_X9, ARM64_X29, 16);
  store64(c, ARM64_SP, 0, ARM64_X9);
  load32(c, ARM64_X9, ARM64_X29, 24);
  store64(c, ARM64_SP, 8, ARM64_X9);
  call_func(o, callee, wasm_offset, WR_POINT_CALL);
  load32(c, ARM64_X9, ARM64_SP, 0);
  store64(c, ARM64_X29, 16, ARM64_X9);
  epilogue(c);
}

static void emit_check(ob *o)
{
  wr_codebuf *c = &o->code;
  prologue(c, 16);
  arm64_mov_imm(c, true, ARM64_X9, 0x1234);
  store64(c, ARM64_X29, wr_slot_fp_offset(2, 2), ARM64_X9);
  arm64_mov_imm(c, true, ARM64_X9, 7);
  store64(c, ARM64_X29, wr_slot_fp_offset(2, 3), ARM64_X9);
  arm64_mov_reg(c, true, ARM64_X1, ARM64_X29);
  call_helper(o, WR_HELPER_STACK_CHECK, OFF_CHECK, WR_POINT_LOOP, "i");
  load32(c, ARM64_X9, ARM64_X29, 16);
  load32(c, ARM64_X10, ARM64_X29, 24);
  arm64_alu_reg(c, ARM64_ADD, false, ARM64_X9, ARM64_X9, ARM64_X10, ARM64_LSL, 0);
  store64(c, ARM64_X29, 16, ARM64_X9);
  epilogue(c);
}

static void emit_recurse(ob *o)
{
  wr_codebuf *c = &o->code;
  prologue(c, 16);
  arm64_mov_imm(c, true, ARM64_X9, 0x5555);
  store64(c, ARM64_X29, wr_slot_fp_offset(0, 0), ARM64_X9);
  load64(c, ARM64_X16, ARM64_X27, WR_VMCTX_STACK_LIMIT);
  arm64_mov_reg(c, true, ARM64_X17, ARM64_SP);
  arm64_cmp_reg(c, true, ARM64_X17, ARM64_X16);
  size_t skip = arm64_b_cond(c, ARM64_HS);
  arm64_mov_reg(c, true, ARM64_X1, ARM64_X29);
  call_helper(o, WR_HELPER_STACK_CHECK, OFF_REC_ENTRY, WR_POINT_ENTRY, "");
  assert_true(arm64_patch_branch(c, skip, c->len));
  call_func(o, F_RECURSE, OFF_REC_CALL, WR_POINT_CALL);
  epilogue(c);
}

static void emit_helper(ob *o, wr_helper h)
{
  wr_codebuf *c = &o->code;
  prologue(c, 0);
  for (int i = 0; i < 5; i++)
    load32(c, (arm64_reg)(ARM64_X1 + i), ARM64_X29, 16 + 8 * i);
  call_helper(o, h, OFF_HELPER + h, WR_POINT_CALL, "");
  store64(c, ARM64_X29, 16, ARM64_X0);
  epilogue(c);
}

static void emit_store_one(ob *o)
{
  arm64_mov_imm(&o->code, false, ARM64_X9, 1);
  store64(&o->code, ARM64_X28, 0, ARM64_X9);
  arm64_ret(&o->code, ARM64_X30);
}
#endif

/* The code of every defined function of the module of build_module. */
static wasmrt_compiled *build_code(const wasmrt_module *module)
{
  static ob o;
  memset(&o, 0, sizeof o);

  /* add: result := param 0 + param 1, no frame. */
  ob_begin(&o, F_ADD, 2, "ii");
  emit_add(&o);
  ob_end(&o);

  ob_begin(&o, F_TRAP, 0, "");
  emit_trap(&o, OFF_TRAP);
  ob_end(&o);

  /* load: i32.load from memory at the param. */
  ob_begin(&o, F_LOAD, 1, "i");
  emit_load(&o);
  ob_end(&o);

  /* call_host: (i32 i32) -> i32 passing both params on to the host
   * function and returning its result. */
  ob_begin(&o, F_CALL_HOST, 2, "ii");
  emit_caller(&o, F_HOST, OFF_CALL);
  ob_end(&o);

  /* check: local 2 (i64) = 0x1234 and operand 0 (i32) = 7 in their home
   * slots, then the stack-check helper as at a loop header; returns the
   * sum of the params. */
  ob_begin(&o, F_CHECK, 2, "iiI");
  emit_check(&o);
  ob_end(&o);

  ob_begin(&o, F_CALL_CHECK, 2, "ii");
  emit_caller(&o, F_CHECK, OFF_CALL + 1);
  ob_end(&o);

  /* recurse: the entry check as the code generator emits it, then a call
   * to itself, forever. Its i64 local's slot holds garbage at the check,
   * which a frame at an entry point must not show. */
  ob_begin(&o, F_RECURSE, 0, "I");
  emit_recurse(&o);
  ob_end(&o);

  /* One function per other helper: (i32 x5) -> i32, the params as the
   * helper's five arguments, its result returned. */
  for (uint32_t h = 1; h < WR_HELPER_COUNT; h++) {
    ob_begin(&o, F_HELPER0 + h - 1, 5, "iiiii");
    emit_helper(&o, (wr_helper)h);
    ob_end(&o);
  }
  return ob_finish(&o, module, ob_host_target());
}

static wb b;

/* The module the code above implements; the bodies are placeholders that
 * only have to validate. */
static void build_module(void)
{
  static wb s;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x04, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,       /* 0: [i32 i32] -> [i32] */
             0x60, 0x00, 0x00,                                      /* 1: [] -> [] */
             0x60, 0x01, 0x7f, 0x01, 0x7f,                          /* 2: [i32] -> [i32] */
             0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f); /* 3: [i32 x5] -> [i32] */
  WB_SECTION(&b, 2, 0x01, 0x03, 'e', 'n', 'v', 0x04, 'h', 'o', 's', 't', 0x00, 0x00);
  s.len = 0;
  wb_u32(&s, F_COUNT - 1);
  static const uint8_t types[] = {0, 1, 2, 0, 0, 0, 1};
  wb_bytes(&s, types, sizeof types);
  for (int i = F_HELPER0; i < F_COUNT; i++)
    wb_byte(&s, 3);
  wb_section(&b, 3, &s);
  WB_SECTION(&b, 4, 0x01, 0x70, 0x01, 0x04, 0x08); /* table funcref 4..8 */
  WB_SECTION(&b, 5, 0x01, 0x01, 0x01, 0x02);       /* memory 1..2 */
  s.len = 0;
  static const char *const names[F_HELPER0] = {"",          "add",   "trap",       "load",
                                               "call_host", "check", "call_check", "recurse"};
  wb_u32(&s, F_COUNT - 1 + 2);
  for (int i = 1; i < F_COUNT; i++) {
    char name[16];
    if (i < F_HELPER0)
      snprintf(name, sizeof name, "%s", names[i]);
    else
      snprintf(name, sizeof name, "h%d", i - F_HELPER0 + 1);
    wb_name(&s, name);
    wb_byte(&s, 0x00);
    wb_u32(&s, (uint32_t)i);
  }
  wb_name(&s, "mem");
  wb_bytes(&s, "\x02\x00", 2);
  wb_name(&s, "tab");
  wb_bytes(&s, "\x01\x00", 2);
  wb_section(&b, 7, &s);
  /* Elements: 0 passive [ref.func 1, ref.func 2, null]; 1 declarative [4];
   * 2 active at 0 [1]. */
  WB_SECTION(&b, 9, 0x03, 0x05, 0x70, 0x03, 0xd2, 0x01, 0x0b, 0xd2, 0x02, 0x0b, 0xd0, 0x70, 0x0b,
             0x03, 0x00, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01);
  s.len = 0;
  wb_u32(&s, F_COUNT - 1);
  for (int i = 1; i < F_COUNT; i++) {
    if (i == F_TRAP)
      wb_bytes(&s, "\x02\x00\x0b", 3);
    else if (i == F_RECURSE)
      wb_bytes(&s, "\x04\x01\x01\x7e\x0b", 5); /* one i64 local */
    else
      wb_bytes(&s, "\x04\x00\x41\x00\x0b", 5);
  }
  wb_section(&b, 10, &s);
  /* Data: 0 passive "hello"; 1 active "AB" at 0. */
  WB_SECTION(&b, 11, 0x02, 0x01, 0x05, 'h', 'e', 'l', 'l', 'o', 0x00, 0x41, 0x00, 0x0b, 0x02, 'A',
             'B');
}

/* What the host function does, by mode. */
enum { HOST_SUM, HOST_TRAP, HOST_NESTED, HOST_NESTED_TRAP, HOST_DEPTH, HOST_NESTED_EXHAUST };

typedef struct fixture {
  wasmrt_module *module;
  wasmrt_compiled *compiled;
  wasmrt_store *store;
  wasmrt_instance *inst;
  wasmrt_func *host;
  int mode;
  wasmrt_result inner;
  wasmrt_error inner_err;
  int host_calls;
} fixture;

static wasmrt_func *export_func(fixture *fx, const char *name)
{
  wasmrt_extern x;
  assert_int_equal(wasmrt_instance_export(fx->inst, name, strlen(name), &x), WASMRT_OK);
  assert_int_equal(x.kind, WASMRT_EXTERN_FUNC);
  return x.of.func;
}

static wasmrt_val i32(uint32_t v)
{
  wasmrt_val x = {.type = WASMRT_I32, .of.i32 = v};
  return x;
}

/* Calls export `name` with i32 args; the i32 result in *out. */
static wasmrt_result call(fixture *fx, const char *name, uint32_t *out, wasmrt_error *err, size_t n,
                          ...)
{
  wasmrt_func *f = export_func(fx, name);
  wasmrt_val args[5], res[1];
  va_list ap;
  va_start(ap, n);
  for (size_t i = 0; i < n; i++)
    args[i] = i32(va_arg(ap, uint32_t));
  va_end(ap);
  size_t rc = 0;
  wasmrt_func_type(f, NULL, NULL, NULL, &rc);
  wasmrt_result r = wasmrt_func_call(fx->store, f, args, n, res, rc, err);
  if (r == WASMRT_OK && rc && out)
    *out = res[0].of.i32;
  return r;
}

static const char *host_callback(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  fixture *fx = env;
  uint32_t a = params[0].of.i32, b2 = params[1].of.i32, r = 0;
  fx->host_calls++;
  switch (fx->mode) {
  case HOST_SUM:
    results[0].of.i32 = a + b2 + 1000;
    return NULL;
  case HOST_TRAP:
    return "host trap message";
  case HOST_NESTED:
    fx->inner = call(fx, "add", &r, &fx->inner_err, 2, a, b2);
    results[0].of.i32 = r + 100;
    return NULL;
  case HOST_NESTED_TRAP:
    fx->inner = call(fx, "trap", NULL, &fx->inner_err, 0);
    results[0].of.i32 = a * b2;
    return NULL;
  case HOST_DEPTH:
    /* host -> wasm -> host -> ... a levels deep. */
    if (a == 0) {
      results[0].of.i32 = b2;
      return NULL;
    }
    fx->inner = call(fx, "call_host", &r, &fx->inner_err, 2, a - 1, b2);
    results[0].of.i32 = r + 1;
    return fx->inner == WASMRT_OK ? NULL : "inner call failed";
  case HOST_NESTED_EXHAUST:
    fx->inner = call(fx, "recurse", NULL, &fx->inner_err, 0);
    results[0].of.i32 = 5;
    return NULL;
  }
  return "unknown mode";
}

static int setup(void **state)
{
  static fixture fx;
  memset(&fx, 0, sizeof fx);
  build_module();
  wasmrt_error err;
  if (wasmrt_module_decode(b.data, b.len, &fx.module, &err) != WASMRT_OK) {
    print_error("decode: %s\n", err.message);
    return -1;
  }
  fx.compiled = build_code(fx.module);
  if (wasmrt_store_new(&fx.store, &err) != WASMRT_OK)
    return -1;
  const wasmrt_valtype ii[2] = {WASMRT_I32, WASMRT_I32};
  if (wasmrt_func_new_host(fx.store, ii, 2, ii, 1, host_callback, &fx, &fx.host, &err) != 0)
    return -1;
  wasmrt_extern imports[1] = {{WASMRT_EXTERN_FUNC, {.func = fx.host}}};
  if (wasmrt_instantiate(fx.store, fx.compiled, imports, 1, &fx.inst, &err) != WASMRT_OK) {
    print_error("instantiate: %s\n", err.message);
    return -1;
  }
  *state = &fx;
  return 0;
}

static int teardown(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_store_free(fx->store);
  wasmrt_compiled_free(fx->compiled);
  wasmrt_module_free(fx->module);
  return 0;
}

static void expect_trap(wasmrt_result r, const wasmrt_error *err, wasmrt_trap_kind kind,
                        int64_t function, uint64_t offset)
{
  assert_int_equal(r, WASMRT_ERROR_TRAP);
  assert_int_equal(err->code, WASMRT_ERROR_TRAP);
  assert_int_equal(err->trap, kind);
  assert_int_equal(err->function, function);
  assert_int_equal(err->offset, offset);
  char want[WASMRT_ERROR_MESSAGE_SIZE];
  snprintf(want, sizeof want, "wasm trap: %s, function %lld, offset 0x%llx",
           wasmrt_trap_message(kind), (long long)function, (unsigned long long)offset);
  assert_string_equal(err->message, want);
}

static void test_add(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  uint32_t r = 0;
  wasmrt_error err;
  assert_int_equal(call(fx, "add", &r, &err, 2, 40, 2), WASMRT_OK);
  assert_int_equal(r, 42);
  assert_int_equal(call(fx, "add", &r, &err, 2, 0xffffffffu, 2), WASMRT_OK);
  assert_int_equal(r, 1);
  wasmrt_val bad[2] = {i32(1), {.type = WASMRT_F32}};
  wasmrt_val res[1];
  assert_int_equal(wasmrt_func_call(fx->store, export_func(fx, "add"), bad, 2, res, 1, &err),
                   WASMRT_ERROR_ARGUMENT);
  /* The active element segment put "add" at table[0]. */
  wasmrt_extern tab;
  assert_int_equal(wasmrt_instance_export(fx->inst, "tab", 3, &tab), WASMRT_OK);
  assert_ptr_equal(tab.of.table->t.elems[0], export_func(fx, "add"));
}

static void test_unreachable_trap(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  for (int i = 0; i < 3; i++) {
    expect_trap(call(fx, "trap", NULL, &err, 0), &err, WASMRT_TRAP_UNREACHABLE, F_TRAP, OFF_TRAP);
    assert_int_equal(call(fx, "add", &r, &err, 2, 1, 2), WASMRT_OK); /* the store still works */
    assert_int_equal(r, 3);
  }
}

static void test_memory_fault_trap(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  wasmrt_extern mem;
  assert_int_equal(wasmrt_instance_export(fx->inst, "mem", 3, &mem), WASMRT_OK);
  uint64_t size;
  uint8_t *data = wasmrt_memory_data(mem.of.memory, &size);
  memcpy(data + 100, "\x01\x02\x03\x04", 4);
  memcpy(data + size - 4, "\x05\x06\x07\x08", 4);
  assert_int_equal(call(fx, "load", &r, &err, 1, 100), WASMRT_OK);
  assert_int_equal(r, 0x04030201);
  assert_int_equal(call(fx, "load", &r, &err, 1, 0), WASMRT_OK);
  assert_int_equal(r, 0x4241); /* the active data segment "AB" */
  assert_int_equal(call(fx, "load", &r, &err, 1, (uint32_t)size - 4), WASMRT_OK);
  assert_int_equal(r, 0x08070605);
  expect_trap(call(fx, "load", &r, &err, 1, (uint32_t)size - 3), &err,
              WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, F_LOAD, OFF_LOAD);
  expect_trap(call(fx, "load", &r, &err, 1, 0xfffffffcu), &err, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS,
              F_LOAD, OFF_LOAD);
  assert_int_equal(call(fx, "add", &r, &err, 2, 5, 6), WASMRT_OK);
  assert_int_equal(r, 11);
}

static void test_host_functions(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  fx->mode = HOST_SUM;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 1, 2), WASMRT_OK);
  assert_int_equal(r, 1003);

  fx->mode = HOST_TRAP;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 1, 2), WASMRT_ERROR_TRAP);
  assert_int_equal(err.trap, WASMRT_TRAP_HOST);
  assert_int_equal(err.function, -1);
  assert_string_equal(err.message, "host trap message");

  /* Nested: the host function calls back into wasm. */
  fx->mode = HOST_NESTED;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 20, 22), WASMRT_OK);
  assert_int_equal(fx->inner, WASMRT_OK);
  assert_int_equal(r, 142);

  /* A trap in the nested call unwinds that call only. */
  fx->mode = HOST_NESTED_TRAP;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 6, 7), WASMRT_OK);
  assert_int_equal(r, 42);
  expect_trap(fx->inner, &fx->inner_err, WASMRT_TRAP_UNREACHABLE, F_TRAP, OFF_TRAP);

  /* host -> wasm -> host ... 50 levels, each on the wasm stack below the
   * one before. */
  fx->mode = HOST_DEPTH;
  fx->host_calls = 0;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 50, 1000), WASMRT_OK);
  assert_int_equal(r, 1050);
  assert_int_equal(fx->host_calls, 51);
  assert_int_equal(fx->store->depth, 0);

  /* Exhausting the stack in a nested call. */
  fx->mode = HOST_NESTED_EXHAUST;
  assert_int_equal(call(fx, "call_host", &r, &err, 2, 0, 0), WASMRT_OK);
  assert_int_equal(r, 5);
  expect_trap(fx->inner, &fx->inner_err, WASMRT_TRAP_STACK_EXHAUSTED, F_RECURSE, OFF_REC_ENTRY);

  /* Called from C, a host function runs directly. */
  fx->mode = HOST_SUM;
  wasmrt_val args[2] = {i32(3), i32(4)}, res[1];
  assert_int_equal(wasmrt_func_call(fx->store, fx->host, args, 2, res, 1, &err), WASMRT_OK);
  assert_int_equal(res[0].of.i32, 1007);
}

static void test_stack_exhaustion(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  for (int i = 0; i < 2; i++) {
    expect_trap(call(fx, "recurse", NULL, &err, 0), &err, WASMRT_TRAP_STACK_EXHAUSTED, F_RECURSE,
                OFF_REC_ENTRY);
    assert_int_equal(call(fx, "add", &r, &err, 2, 2, 2), WASMRT_OK);
    assert_int_equal(r, 4);
  }
  /* The helper called without a suspension request means exhaustion. */
  expect_trap(call(fx, "check", &r, &err, 2, 3, 4), &err, WASMRT_TRAP_STACK_EXHAUSTED, F_CHECK,
              OFF_CHECK);
}

static void test_stack_size(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  assert_int_equal(wr_store_set_stack_size(fx->store, 100 << 10, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wr_store_set_stack_size(fx->store, 512 << 10, &err), WASMRT_OK);
  assert_true(fx->inst->vmctx->stack_limit == fx->store->stack_limit);
  assert_true(fx->inst->vmctx->real_stack_limit == fx->store->stack_limit);
  expect_trap(call(fx, "recurse", NULL, &err, 0), &err, WASMRT_TRAP_STACK_EXHAUSTED, F_RECURSE,
              OFF_REC_ENTRY);
  assert_int_equal(call(fx, "add", &r, &err, 2, 2, 3), WASMRT_OK);
  assert_int_equal(r, 5);
  assert_int_equal(wr_store_set_stack_size(fx->store, 8 << 20, &err), WASMRT_OK);
}

typedef struct seen_frame {
  wr_frame frame;
  wasmrt_val values[8];
} seen_frame;

typedef struct hook_record {
  int calls;
  int end; /* what the last wr_frame_iter_next returned */
  int count;
  seen_frame frames[4];
  uintptr_t limit_in_hook, real_limit;
} hook_record;

static void suspend_hook(void *env, const wr_stack_view *stack)
{
  hook_record *rec = env;
  rec->calls++;
  wasmrt_instance *inst = stack->store->instances.items[0];
  rec->limit_in_hook = inst->vmctx->stack_limit;
  rec->real_limit = inst->vmctx->real_stack_limit;
  wr_frame_iter it;
  wr_frame_iter_init(&it, stack);
  wr_frame f;
  wasmrt_error err;
  while ((rec->end = wr_frame_iter_next(&it, &f, &err)) == 1 && rec->count < 4) {
    seen_frame *s = &rec->frames[rec->count++];
    s->frame = f;
    for (uint32_t i = 0; i < f.local_count + f.operand_count && i < 8; i++)
      s->values[i] = i < f.local_count ? f.locals[i] : f.operands[i - f.local_count];
  }
  wr_frame_iter_free(&it);
}

static void test_suspend_and_frames(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  hook_record rec;
  memset(&rec, 0, sizeof rec);
  wr_store_set_suspend_hook(fx->store, suspend_hook, &rec);
  wr_store_request_suspend(fx->store);
  assert_true(fx->inst->vmctx->stack_limit == UINTPTR_MAX);
  assert_int_equal(call(fx, "call_check", &r, &err, 2, 3, 4), WASMRT_OK);
  assert_int_equal(r, 7);
  assert_int_equal(rec.calls, 1);
  assert_true(rec.limit_in_hook == rec.real_limit); /* restored before the hook */
  assert_int_equal(rec.end, 0);                     /* the walk reached the entry */
  assert_int_equal(rec.count, 2);

  const seen_frame *inner = &rec.frames[0];
  assert_int_equal(inner->frame.func_index, F_CHECK);
  assert_int_equal(inner->frame.wasm_offset, OFF_CHECK);
  assert_int_equal(inner->frame.kind, WR_POINT_LOOP);
  assert_int_equal(inner->frame.local_count, 3);
  assert_int_equal(inner->frame.operand_count, 1);
  assert_int_equal(inner->values[0].type, WASMRT_I32);
  assert_int_equal(inner->values[0].of.i32, 3);
  assert_int_equal(inner->values[1].of.i32, 4);
  assert_int_equal(inner->values[2].type, WASMRT_I64);
  assert_int_equal(inner->values[2].of.i64, 0x1234);
  assert_int_equal(inner->values[3].type, WASMRT_I32);
  assert_int_equal(inner->values[3].of.i32, 7);

  const seen_frame *outer = &rec.frames[1];
  assert_int_equal(outer->frame.func_index, F_CALL_CHECK);
  assert_int_equal(outer->frame.wasm_offset, OFF_CALL + 1);
  assert_int_equal(outer->frame.kind, WR_POINT_CALL);
  assert_int_equal(outer->frame.local_count, 2);
  assert_int_equal(outer->frame.operand_count, 0);
  assert_int_equal(outer->values[0].of.i32, 3);
  assert_int_equal(outer->values[1].of.i32, 4);

  /* Without a request the hook is not called and the check traps. */
  expect_trap(call(fx, "call_check", &r, &err, 2, 3, 4), &err, WASMRT_TRAP_STACK_EXHAUSTED, F_CHECK,
              OFF_CHECK);
  assert_int_equal(rec.calls, 1);
  wr_store_set_suspend_hook(fx->store, NULL, NULL);
}

static void test_suspend_at_entry(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  hook_record rec;
  memset(&rec, 0, sizeof rec);
  wr_store_set_suspend_hook(fx->store, suspend_hook, &rec);
  wr_store_request_suspend(fx->store);
  /* Suspended at the first entry, resumed, then recursing until the stack
   * is used up. */
  expect_trap(call(fx, "recurse", NULL, &err, 0), &err, WASMRT_TRAP_STACK_EXHAUSTED, F_RECURSE,
              OFF_REC_ENTRY);
  assert_int_equal(rec.calls, 1);
  assert_int_equal(rec.end, 0);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.frames[0].frame.func_index, F_RECURSE);
  assert_int_equal(rec.frames[0].frame.kind, WR_POINT_ENTRY);
  assert_int_equal(rec.frames[0].frame.local_count, 1);
  assert_int_equal(rec.frames[0].frame.operand_count, 0);
  assert_int_equal(rec.frames[0].values[0].type, WASMRT_I64);
  assert_int_equal(rec.frames[0].values[0].of.i64, 0); /* a declared local starts as zero */
  wr_store_set_suspend_hook(fx->store, NULL, NULL);
}

/* Calls helper h through its wasm function with five i32 arguments. */
static wasmrt_result helper(fixture *fx, wr_helper h, uint32_t *out, wasmrt_error *err, uint32_t a,
                            uint32_t b1, uint32_t c, uint32_t d, uint32_t e)
{
  char name[8];
  snprintf(name, sizeof name, "h%d", (int)h);
  return call(fx, name, out, err, 5, a, b1, c, d, e);
}

#define HELPER_TRAP(h, kind, a, b1, c, d, e)                                                       \
  expect_trap(helper(fx, h, &r, &err, a, b1, c, d, e), &err, kind, F_HELPER0 + (h)-1,              \
              OFF_HELPER + (h))

static void test_bulk_helpers(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  wasmrt_error err;
  uint32_t r = 0;
  wasmrt_extern x;
  assert_int_equal(wasmrt_instance_export(fx->inst, "mem", 3, &x), WASMRT_OK);
  uint8_t *data = wasmrt_memory_data(x.of.memory, NULL);
  assert_int_equal(wasmrt_instance_export(fx->inst, "tab", 3, &x), WASMRT_OK);
  wr_table *t = &x.of.table->t;
  const wasmrt_trap_kind MEM = WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
  const wasmrt_trap_kind TAB = WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  memset(data + 65530, 0, 6); /* test_memory_fault_trap wrote there */

  /* memory.init from the passive segment "hello", bounds on both sides. */
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_INIT, &r, &err, 0, 0, 1000, 1, 3), WASMRT_OK);
  assert_memory_equal(data + 1000, "ell", 3);
  HELPER_TRAP(WR_HELPER_MEMORY_INIT, MEM, 0, 0, 1000, 3, 3);
  HELPER_TRAP(WR_HELPER_MEMORY_INIT, MEM, 0, 0, 65534, 0, 3);
  assert_int_equal(data[65534], 0);
  /* The active segment was dropped at instantiation: empty. */
  HELPER_TRAP(WR_HELPER_MEMORY_INIT, MEM, 1, 0, 0, 0, 1);
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_INIT, &r, &err, 1, 0, 0, 0, 0), WASMRT_OK);
  assert_int_equal(helper(fx, WR_HELPER_DATA_DROP, &r, &err, 0, 0, 0, 0, 0), WASMRT_OK);
  HELPER_TRAP(WR_HELPER_MEMORY_INIT, MEM, 0, 0, 2000, 0, 1);
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_INIT, &r, &err, 0, 0, 65536, 0, 0), WASMRT_OK);
  HELPER_TRAP(WR_HELPER_MEMORY_INIT, MEM, 0, 0, 65537, 0, 0);

  /* memory.fill and memory.copy. */
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_FILL, &r, &err, 0, 3000, 0x5a, 4, 0), WASMRT_OK);
  assert_memory_equal(data + 3000, "ZZZZ", 4);
  HELPER_TRAP(WR_HELPER_MEMORY_FILL, MEM, 0, 65535, 1, 2, 0);
  assert_int_equal(data[65535], 0);
  memcpy(data + 4000, "abcdef", 6);
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_COPY, &r, &err, 0, 0, 4001, 4000, 5), WASMRT_OK);
  assert_memory_equal(data + 4000, "aabcde", 6);
  HELPER_TRAP(WR_HELPER_MEMORY_COPY, MEM, 0, 0, 4000, 65535, 2);

  /* memory.grow up to the maximum of 2 pages. */
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_GROW, &r, &err, 0, 1, 0, 0, 0), WASMRT_OK);
  assert_int_equal(r, 1);
  assert_int_equal(helper(fx, WR_HELPER_MEMORY_GROW, &r, &err, 0, 1, 0, 0, 0), WASMRT_OK);
  assert_int_equal(r, 0xffffffffu);
  assert_int_equal(call(fx, "load", &r, &err, 1, 65536 + 100), WASMRT_OK); /* now in bounds */
  assert_int_equal(r, 0);

  /* table.init from the passive segment [add, trap, null]. */
  assert_int_equal(helper(fx, WR_HELPER_TABLE_INIT, &r, &err, 0, 0, 1, 0, 3), WASMRT_OK);
  assert_ptr_equal(t->elems[1], export_func(fx, "add"));
  assert_ptr_equal(t->elems[2], export_func(fx, "trap"));
  assert_null(t->elems[3]);
  HELPER_TRAP(WR_HELPER_TABLE_INIT, TAB, 0, 0, 2, 0, 3);
  HELPER_TRAP(WR_HELPER_TABLE_INIT, TAB, 0, 0, 0, 1, 3);
  HELPER_TRAP(WR_HELPER_TABLE_INIT, TAB, 1, 0, 0, 0, 1); /* declarative: dropped */
  assert_int_equal(helper(fx, WR_HELPER_ELEM_DROP, &r, &err, 0, 0, 0, 0, 0), WASMRT_OK);
  HELPER_TRAP(WR_HELPER_TABLE_INIT, TAB, 0, 0, 0, 0, 1);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_INIT, &r, &err, 0, 0, 4, 0, 0), WASMRT_OK);

  /* table.size, grow (max 8), get/set, fill, copy. */
  assert_int_equal(helper(fx, WR_HELPER_TABLE_SIZE, &r, &err, 0, 0, 0, 0, 0), WASMRT_OK);
  assert_int_equal(r, 4);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_GROW, &r, &err, 0, 0, 2, 0, 0), WASMRT_OK);
  assert_int_equal(r, 4);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_GROW, &r, &err, 0, 0, 3, 0, 0), WASMRT_OK);
  assert_int_equal(r, 0xffffffffu);
  assert_int_equal(wasmrt_table_size(x.of.table), 6);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_GET, &r, &err, 0, 5, 0, 0, 0), WASMRT_OK);
  assert_int_equal(r, 0);
  HELPER_TRAP(WR_HELPER_TABLE_GET, TAB, 0, 6, 0, 0, 0);
  HELPER_TRAP(WR_HELPER_TABLE_SET, TAB, 0, 6, 0, 0, 0);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_SET, &r, &err, 0, 1, 0, 0, 0), WASMRT_OK);
  assert_null(t->elems[1]);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_COPY, &r, &err, 0, 0, 3, 2, 2), WASMRT_OK);
  assert_ptr_equal(t->elems[3], export_func(fx, "trap"));
  HELPER_TRAP(WR_HELPER_TABLE_COPY, TAB, 0, 0, 5, 0, 2);
  assert_int_equal(helper(fx, WR_HELPER_TABLE_FILL, &r, &err, 0, 2, 0, 2, 0), WASMRT_OK);
  assert_null(t->elems[2]);
  assert_null(t->elems[3]);
  HELPER_TRAP(WR_HELPER_TABLE_FILL, TAB, 0, 5, 0, 2, 0);
}

/* A module whose start function (function 0) stores 1 at memory[0], or
 * traps. */
static void test_start_function(void **state)
{
  (void)state;
  wr_traps_reinstall();
  wasmrt_error err;
  for (int trapping = 0; trapping < 2; trapping++) {
    wb_header(&b);
    WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
    WB_SECTION(&b, 3, 0x01, 0x00);
    WB_SECTION(&b, 5, 0x01, 0x00, 0x01);
    WB_SECTION(&b, 7, 0x01, 0x03, 'm', 'e', 'm', 0x02, 0x00);
    WB_SECTION(&b, 8, 0x00);
    WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
    wasmrt_module *module;
    assert_int_equal(wasmrt_module_decode(b.data, b.len, &module, &err), WASMRT_OK);
    static ob o;
    memset(&o, 0, sizeof o);
    ob_begin(&o, 0, 0, "");
    if (trapping)
      emit_trap(&o, 0x77);
    else
      emit_store_one(&o);
    ob_end(&o);
    wasmrt_compiled *compiled = ob_finish(&o, module, ob_host_target());
    wasmrt_store *store = NULL;
    assert_int_equal(wasmrt_store_new(&store, NULL), WASMRT_OK);
    wasmrt_instance *inst = NULL;
    wasmrt_result r = wasmrt_instantiate(store, compiled, NULL, 0, &inst, &err);
    if (trapping) {
      expect_trap(r, &err, WASMRT_TRAP_UNREACHABLE, 0, 0x77);
      assert_null(inst);
    } else {
      assert_int_equal(r, WASMRT_OK);
      wasmrt_extern mem;
      assert_int_equal(wasmrt_instance_export(inst, "mem", 3, &mem), WASMRT_OK);
      assert_int_equal(wasmrt_memory_data(mem.of.memory, NULL)[0], 1);
    }
    /* A compiled module outlives the stores that run it. */
    wasmrt_store_free(store);
    wasmrt_compiled_free(compiled);
    wasmrt_module_free(module);
  }
}

/* A child process that is to die. On AArch64 the tests run under
 * qemu-aarch64 (7.2), where glibc's fork() never returns in the child of a
 * dynamically linked program (it spins after set_robust_list); the bare
 * clone system call works, and this child needs none of the state glibc's
 * fork resets: it calls into wasm, faults and dies. */
static pid_t fork_child(void)
{
#if defined(__aarch64__)
  return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#else
  return fork();
#endif
}

/* A fault outside compiled code is not a trap: the process dies loudly. */
static void test_foreign_fault_is_fatal(void **state)
{
  fixture *fx = *state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork_child();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    signal(SIGSEGV, SIG_DFL); /* not cmocka's: the child is to die */
    wr_traps_reinstall();
    uint32_t r;
    wasmrt_error err;
    call(fx, "add", &r, &err, 2, 1, 1); /* installs the handlers */
    /* An address the compiler cannot see through, so it cannot warn. */
    volatile uintptr_t bad = 16;
    *(volatile int *)bad = 1;
    _exit(0);
  }
  close(fds[1]);
  char out[4096];
  size_t n = 0;
  ssize_t k;
  while (n < sizeof out - 1 && (k = read(fds[0], out + n, sizeof out - 1 - n)) > 0)
    n += (size_t)k;
  out[n] = '\0';
  close(fds[0]);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  assert_non_null(strstr(out, "wasmrt: fatal signal 11 at pc 0x"));
  assert_non_null(strstr(out, " outside WebAssembly code\n"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add),
      cmocka_unit_test(test_unreachable_trap),
      cmocka_unit_test(test_memory_fault_trap),
      cmocka_unit_test(test_host_functions),
      cmocka_unit_test(test_stack_exhaustion),
      cmocka_unit_test(test_stack_size),
      cmocka_unit_test(test_suspend_and_frames),
      cmocka_unit_test(test_suspend_at_entry),
      cmocka_unit_test(test_bulk_helpers),
      cmocka_unit_test(test_start_function),
      cmocka_unit_test(test_foreign_fault_is_fatal),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
