/*
 * enter.S - the two places where the host's C calling convention and the
 * wasm calling convention of compiled code meet, on x86-64 (SysV):
 *
 *  wr_enter_x86_64(code, vmctx, slots, slot_count, stack_top)
 *    C calls wasm. Saves the callee-saved registers, switches to stack_top
 *    (on the store's wasm stack), reserves the argument/result area
 *    (slot_count rounded up to even, at least 2 slots of 8 bytes, so rsp is
 *    16-byte aligned at the call), copies slots in, sets r14 = vmctx and
 *    r15 = vmctx->mem_base, calls code, copies slot_count results back and
 *    returns on the host stack. Compiled code preserves only rbp, rsp, r14
 *    and r15 (rbx, r12, r13 hold wasm values), so the slots pointer and
 *    count are kept on the host stack and found again through rbp.
 *
 *  wr_host_thunk_x86_64
 *    wasm calls C: the `code` of every host function's funcref. Entered as
 *    any funcref (rax = the wr_funcref*, arguments at [rsp+8+8*i]); aligns
 *    the stack and calls wr_host_dispatch(funcref, slots), which leaves the
 *    results in the same slots. The caller restores its own r14/r15.
 *
 * Both keep rbp as a frame pointer (with CFI), so debuggers and the frame
 * walker see one chain: wasm frames end at wr_enter_x86_64's frame, whose
 * return address is in no compiled code.
 */
        .text

        .globl  wr_enter_x86_64
        .type   wr_enter_x86_64, @function
        .p2align 4
wr_enter_x86_64:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        .cfi_offset %rbx, -24
        .cfi_offset %r12, -32
        .cfi_offset %r13, -40
        .cfi_offset %r14, -48
        .cfi_offset %r15, -56
        pushq   %rdx                    /* slots: -48(%rbp) */
        pushq   %rcx                    /* slot count: -56(%rbp) */
        movq    %rdx, %r12
        movq    %rcx, %r13
        /* rax = max(2, slot_count rounded up to even) * 8 */
        leaq    1(%rcx), %rax
        andq    $-2, %rax
        movl    $2, %r10d
        cmpq    %r10, %rax
        cmovbq  %r10, %rax
        shlq    $3, %rax
        andq    $-16, %r8
        subq    %rax, %r8
        movq    %r8, %rsp
        xorl    %ecx, %ecx
1:      cmpq    %r13, %rcx
        jae     2f
        movq    (%r12,%rcx,8), %rax
        movq    %rax, (%rsp,%rcx,8)
        incq    %rcx
        jmp     1b
2:      movq    %rsi, %r14
        movq    (%rsi), %r15
        callq   *%rdi
        movq    -48(%rbp), %r12
        movq    -56(%rbp), %r13
        xorl    %ecx, %ecx
3:      cmpq    %r13, %rcx
        jae     4f
        movq    (%rsp,%rcx,8), %rax
        movq    %rax, (%r12,%rcx,8)
        incq    %rcx
        jmp     3b
4:      leaq    -40(%rbp), %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size   wr_enter_x86_64, .-wr_enter_x86_64

        .globl  wr_host_thunk_x86_64
        .type   wr_host_thunk_x86_64, @function
        .p2align 4
wr_host_thunk_x86_64:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        movq    %rax, %rdi
        leaq    16(%rbp), %rsi
        callq   wr_host_dispatch@PLT
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size   wr_host_thunk_x86_64, .-wr_host_thunk_x86_64

        .section .note.GNU-stack,"",@progbits
