/*
 * test_x86_encoder.c - emits one instruction per encoder case and writes
 * the bytes to OUT.bin and "offset<TAB>expected Intel syntax" lines to
 * OUT.txt; encoder_check.sh disassembles OUT.bin with GNU objdump and
 * compares. The expected text is written by hand from the Intel manual's
 * forms, so objdump, not this encoder, is the judge.
 */
#include <stdio.h>
#include <stdlib.h>

#include "backend/x86_64/x86_encoder.h"

static wr_codebuf code;
static FILE *expected;

#define CASE(text, call)                                                                           \
  do {                                                                                             \
    fprintf(expected, "%zx\t%s\n", code.len, text);                                                \
    call;                                                                                          \
  } while (0)

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: test_x86_encoder OUT.bin OUT.txt\n");
    return 2;
  }
  expected = fopen(argv[2], "w");
  if (!expected)
    return 2;
  x86_mem m;

  /* One case per line, however long. */
  /* clang-format off */
  CASE("add rax,rcx", x86_alu_rr(&code, X86_ADD, true, X86_RAX, X86_RCX));
  CASE("sub r9d,r15d", x86_alu_rr(&code, X86_SUB, false, X86_R9, X86_R15));
  CASE("cmp rsp,r12", x86_alu_rr(&code, X86_CMP, true, X86_RSP, X86_R12));
  CASE("xor eax,eax", x86_alu_rr(&code, X86_XOR, false, X86_RAX, X86_RAX));
  CASE("and rdx,0x7f", x86_alu_ri(&code, X86_AND, true, X86_RDX, 0x7f));
  CASE("add r13d,0xffffff80", x86_alu_ri(&code, X86_ADD, false, X86_R13, -128));
  CASE("or r8,0x12345678", x86_alu_ri(&code, X86_OR, true, X86_R8, 0x12345678));
  CASE("cmp ebx,0x80", x86_alu_ri(&code, X86_CMP, false, X86_RBX, 128));
  m = x86_mem_base(X86_RBP, -16);
  CASE("add rax,QWORD PTR [rbp-0x10]", x86_alu_rm(&code, X86_ADD, true, X86_RAX, &m));
  CASE("mov rbx,r14", x86_mov_rr(&code, true, X86_RBX, X86_R14));
  CASE("mov r10d,esi", x86_mov_rr(&code, false, X86_R10, X86_RSI));
  CASE("mov eax,0x2a", x86_mov_ri(&code, true, X86_RAX, 42));
  CASE("mov r11d,0xffffffff", x86_mov_ri(&code, true, X86_R11, 0xffffffffu));
  CASE("mov rcx,0xffffffffffffffff", x86_mov_ri(&code, true, X86_RCX, UINT64_MAX));
  CASE("movabs r15,0x123456789abcdef0", x86_mov_ri(&code, true, X86_R15, 0x123456789abcdef0ull));
  CASE("mov edi,0xffffffff", x86_mov_ri(&code, false, X86_RDI, UINT64_MAX));

  /* Addressing: each special case of ModRM/SIB. */
  m = x86_mem_base(X86_RAX, 0);
  CASE("mov eax,DWORD PTR [rax]", x86_load(&code, X86_LOAD_U32, X86_RAX, &m));
  m = x86_mem_base(X86_RBP, 0);
  CASE("mov rax,QWORD PTR [rbp+0x0]", x86_load(&code, X86_LOAD_64, X86_RAX, &m));
  m = x86_mem_base(X86_R13, 0);
  CASE("mov rax,QWORD PTR [r13+0x0]", x86_load(&code, X86_LOAD_64, X86_RAX, &m));
  m = x86_mem_base(X86_RSP, 8);
  CASE("mov rdx,QWORD PTR [rsp+0x8]", x86_load(&code, X86_LOAD_64, X86_RDX, &m));
  m = x86_mem_base(X86_R12, 0x1000);
  CASE("mov r9,QWORD PTR [r12+0x1000]", x86_load(&code, X86_LOAD_64, X86_R9, &m));
  m = x86_mem_index(X86_R15, X86_RAX, 0, 0);
  CASE("movzx ecx,BYTE PTR [r15+rax*1]", x86_load(&code, X86_LOAD_U8, X86_RCX, &m));
  m = x86_mem_index(X86_R15, X86_R11, 0, 0x7fffffff);
  CASE("movsx rcx,BYTE PTR [r15+r11*1+0x7fffffff]",
       x86_load(&code, X86_LOAD_S8_64, X86_RCX, &m));
  m = x86_mem_index(X86_RBX, X86_RSI, 3, -8);
  CASE("movsx edx,WORD PTR [rbx+rsi*8-0x8]", x86_load(&code, X86_LOAD_S16_32, X86_RDX, &m));
  m = x86_mem_index(X86_R13, X86_R12, 2, 0);
  CASE("movzx r8d,WORD PTR [r13+r12*4+0x0]", x86_load(&code, X86_LOAD_U16, X86_R8, &m));
  m = x86_mem_base(X86_RDI, 4);
  CASE("movsxd rax,DWORD PTR [rdi+0x4]", x86_load(&code, X86_LOAD_S32_64, X86_RAX, &m));
  CASE("movsx eax,BYTE PTR [rdi+0x4]", x86_load(&code, X86_LOAD_S8_32, X86_RAX, &m));
  CASE("movsx rax,WORD PTR [rdi+0x4]", x86_load(&code, X86_LOAD_S16_64, X86_RAX, &m));

  m = x86_mem_index(X86_R15, X86_RAX, 0, 3);
  CASE("mov BYTE PTR [r15+rax*1+0x3],sil", x86_store(&code, 1, &m, X86_RSI));
  CASE("mov BYTE PTR [r15+rax*1+0x3],cl", x86_store(&code, 1, &m, X86_RCX));
  CASE("mov WORD PTR [r15+rax*1+0x3],r10w", x86_store(&code, 2, &m, X86_R10));
  CASE("mov DWORD PTR [r15+rax*1+0x3],edx", x86_store(&code, 4, &m, X86_RDX));
  CASE("mov QWORD PTR [r15+rax*1+0x3],rdx", x86_store(&code, 8, &m, X86_RDX));
  m = x86_mem_index(X86_RAX, X86_RCX, 1, 5);
  CASE("lea rdx,[rax+rcx*2+0x5]", x86_lea(&code, true, X86_RDX, &m));

  CASE("shl eax,cl", x86_shift_cl(&code, X86_SHL, false, X86_RAX));
  CASE("sar r9,cl", x86_shift_cl(&code, X86_SAR, true, X86_R9));
  CASE("rol rdx,cl", x86_shift_cl(&code, X86_ROL, true, X86_RDX));
  CASE("shr r14d,0x1f", x86_shift_ri(&code, X86_SHR, false, X86_R14, 31));
  CASE("ror rbx,0x7", x86_shift_ri(&code, X86_ROR, true, X86_RBX, 7));
  CASE("imul rax,r8", x86_imul_rr(&code, true, X86_RAX, X86_R8));
  CASE("imul ecx,edx", x86_imul_rr(&code, false, X86_RCX, X86_RDX));
  CASE("div ecx", x86_div(&code, false, false, X86_RCX));
  CASE("idiv r11", x86_div(&code, true, true, X86_R11));
  CASE("cdq", x86_sign_extend_ax(&code, false));
  CASE("cqo", x86_sign_extend_ax(&code, true));
  CASE("neg rsi", x86_neg(&code, true, X86_RSI));
  CASE("not r12d", x86_not(&code, false, X86_R12));
  CASE("test rax,rax", x86_test_rr(&code, true, X86_RAX, X86_RAX));
  CASE("sete al", x86_setcc(&code, X86_CC_E, X86_RAX));
  CASE("setl dil", x86_setcc(&code, X86_CC_L, X86_RDI));
  CASE("setb r9b", x86_setcc(&code, X86_CC_B, X86_R9));
  CASE("movzx eax,sil", x86_movzx_r8(&code, X86_RAX, X86_RSI));
  CASE("cmovne r10,rcx", x86_cmov(&code, X86_CC_NE, true, X86_R10, X86_RCX));
  CASE("cmovg eax,r9d", x86_cmov(&code, X86_CC_G, false, X86_RAX, X86_R9));
  CASE("lzcnt eax,ecx", x86_bitcount(&code, X86_LZCNT, false, X86_RAX, X86_RCX));
  CASE("tzcnt r8,rdx", x86_bitcount(&code, X86_TZCNT, true, X86_R8, X86_RDX));
  CASE("popcnt rax,r13", x86_bitcount(&code, X86_POPCNT, true, X86_RAX, X86_R13));

  /* Branches: a forward jcc patched to the ret below it, a backward jmp. */
  size_t loop_top = code.len;
  fprintf(expected, "%zx\tFORWARD je\n", code.len);
  size_t jcc = x86_jcc32(&code, X86_CC_E);
  CASE("call r11", x86_call_r(&code, X86_R11));
  CASE("jmp rax", x86_jmp_r(&code, X86_RAX));
  CASE("push r12", x86_push(&code, X86_R12));
  CASE("push rbp", x86_push(&code, X86_RBP));
  CASE("pop r12", x86_pop(&code, X86_R12));
  x86_patch_rel32(&code, jcc, code.len);
  fprintf(expected, "%zx\tTARGET\n", code.len);
  CASE("ret", x86_ret(&code));
  char text[64];
  snprintf(text, sizeof text, "jmp 0x%zx", loop_top);
  fprintf(expected, "%zx\t%s\n", code.len, text);
  x86_patch_rel32(&code, x86_jmp32(&code), loop_top);
  snprintf(text, sizeof text, "call 0x%zx", loop_top);
  fprintf(expected, "%zx\t%s\n", code.len, text);
  x86_patch_rel32(&code, x86_call32(&code), loop_top);
  CASE("ud2", x86_ud2(&code));

  /* Scalar floating point. */
  CASE("addss xmm0,xmm1", x86_sse_rr(&code, X86_SSE_ADD, false, 0, 1));
  CASE("addsd xmm8,xmm15", x86_sse_rr(&code, X86_SSE_ADD, true, 8, 15));
  CASE("subsd xmm2,xmm9", x86_sse_rr(&code, X86_SSE_SUB, true, 2, 9));
  CASE("mulss xmm3,xmm4", x86_sse_rr(&code, X86_SSE_MUL, false, 3, 4));
  CASE("divsd xmm5,xmm6", x86_sse_rr(&code, X86_SSE_DIV, true, 5, 6));
  CASE("minss xmm7,xmm0", x86_sse_rr(&code, X86_SSE_MIN, false, 7, 0));
  CASE("maxsd xmm1,xmm2", x86_sse_rr(&code, X86_SSE_MAX, true, 1, 2));
  CASE("sqrtsd xmm10,xmm11", x86_sse_rr(&code, X86_SSE_SQRT, true, 10, 11));
  CASE("movss xmm1,xmm2", x86_sse_rr(&code, X86_SSE_MOV, false, 1, 2));
  CASE("movsd xmm12,xmm3", x86_sse_rr(&code, X86_SSE_MOV, true, 12, 3));
  CASE("cvtss2sd xmm0,xmm1", x86_sse_rr(&code, X86_SSE_CVT, false, 0, 1));
  CASE("cvtsd2ss xmm0,xmm1", x86_sse_rr(&code, X86_SSE_CVT, true, 0, 1));
  CASE("ucomiss xmm0,xmm1", x86_sse_rr(&code, X86_SSE_UCOMI, false, 0, 1));
  CASE("ucomisd xmm9,xmm1", x86_sse_rr(&code, X86_SSE_UCOMI, true, 9, 1));
  CASE("xorps xmm0,xmm0", x86_sse_rr(&code, X86_SSE_XOR, false, 0, 0));
  CASE("andpd xmm3,xmm14", x86_sse_rr(&code, X86_SSE_AND, true, 3, 14));
  CASE("andnps xmm1,xmm2", x86_sse_rr(&code, X86_SSE_ANDN, false, 1, 2));
  CASE("orpd xmm1,xmm2", x86_sse_rr(&code, X86_SSE_OR, true, 1, 2));
  m = x86_mem_index(X86_R15, X86_RDX, 0, 16);
  CASE("movss xmm4,DWORD PTR [r15+rdx*1+0x10]", x86_sse_load(&code, false, 4, &m));
  CASE("movsd xmm13,QWORD PTR [r15+rdx*1+0x10]", x86_sse_load(&code, true, 13, &m));
  CASE("movsd QWORD PTR [r15+rdx*1+0x10],xmm2", x86_sse_store(&code, true, &m, 2));
  CASE("movss DWORD PTR [r15+rdx*1+0x10],xmm10", x86_sse_store(&code, false, &m, 10));
  CASE("movd xmm0,eax", x86_movq_to_xmm(&code, false, 0, X86_RAX));
  CASE("movq xmm9,r8", x86_movq_to_xmm(&code, true, 9, X86_R8));
  CASE("movd ecx,xmm2", x86_movq_from_xmm(&code, false, X86_RCX, 2));
  CASE("movq r15,xmm15", x86_movq_from_xmm(&code, true, X86_R15, 15));
  CASE("cvtsi2sd xmm0,rax", x86_cvt_int_to_float(&code, true, true, 0, X86_RAX));
  CASE("cvtsi2ss xmm1,r9d", x86_cvt_int_to_float(&code, false, false, 1, X86_R9));
  CASE("cvttsd2si rax,xmm3", x86_cvt_float_to_int(&code, true, true, X86_RAX, 3));
  CASE("cvttss2si r10d,xmm11", x86_cvt_float_to_int(&code, false, false, X86_R10, 11));
  CASE("roundsd xmm0,xmm1,0xb", x86_sse_round(&code, true, 0, 1, 3));
  CASE("roundss xmm8,xmm2,0x9", x86_sse_round(&code, false, 8, 2, 1));

  /* Forms the code generator added. */
  CASE("movsx eax,sil", x86_movsx_rr(&code, X86_LOAD_S8_32, X86_RAX, X86_RSI));
  CASE("movsx r9,bl", x86_movsx_rr(&code, X86_LOAD_S8_64, X86_R9, X86_RBX));
  CASE("movsx edx,r10w", x86_movsx_rr(&code, X86_LOAD_S16_32, X86_RDX, X86_R10));
  CASE("movsx rcx,ax", x86_movsx_rr(&code, X86_LOAD_S16_64, X86_RCX, X86_RAX));
  CASE("movsxd rbx,r13d", x86_movsx_rr(&code, X86_LOAD_S32_64, X86_RBX, X86_R13));
  {
    size_t at = code.len;
    CASE("lea r11,[rip+0x0]", x86_patch_rel32(&code, x86_lea_rip(&code, X86_R11), at + 7));
  }
  m = x86_mem_base(X86_RBP, -24);
  CASE("mulsd xmm3,QWORD PTR [rbp-0x18]", x86_sse_rm(&code, X86_SSE_MUL, true, 3, &m));
  CASE("addss xmm12,DWORD PTR [rbp-0x18]", x86_sse_rm(&code, X86_SSE_ADD, false, 12, &m));
  CASE("mov DWORD PTR [rbp-0x18],0xffffffff", x86_store_imm32(&code, false, &m, -1));
  m = x86_mem_base(X86_RSP, 8);
  CASE("mov QWORD PTR [rsp+0x8],0x7fffffff", x86_store_imm32(&code, true, &m, 0x7fffffff));
  m = x86_mem_base(X86_RBP, 0x10);
  CASE("imul r12,QWORD PTR [rbp+0x10]", x86_imul_rm(&code, true, X86_R12, &m));
  m = x86_mem_base(X86_R14, 0x10);
  CASE("cmp QWORD PTR [r14+0x10],rsp", x86_cmp_mr(&code, true, &m, X86_RSP));

  /* clang-format on */
  fprintf(expected, "%zx\tEND\n", code.len);
  FILE *out = fopen(argv[1], "wb");
  if (code.failed || !out || fwrite(code.data, 1, code.len, out) != code.len || fclose(out) ||
      fclose(expected)) {
    fprintf(stderr, "test_x86_encoder: cannot write output\n");
    return 2;
  }
  wr_codebuf_free(&code);
  return 0;
}
