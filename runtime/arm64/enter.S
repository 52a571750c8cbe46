/*
 * enter.S - the two places where the host's C calling convention and the
 * wasm calling convention of compiled code meet, on AArch64 (AAPCS64); the
 * twin of x86_64/enter.S.
 *
 *  wr_enter_arm64(code, vmctx, slots, slot_count, stack_top)
 *    C calls wasm. Saves the callee-saved registers (x19-x30, d8-d15) with
 *    a frame record on the host stack, switches to stack_top (on the
 *    store's wasm stack), reserves the argument/result area (slot_count
 *    rounded up to even, at least 2 slots of 8 bytes, so sp is 16-byte
 *    aligned at the call), copies slots in, sets x27 = vmctx and
 *    x28 = vmctx->mem_base, calls code, copies slot_count results back and
 *    returns on the host stack. Compiled code preserves only x27, x28, x29
 *    and sp (x19-x26 and d8-d15 hold wasm values), so the slots pointer
 *    and count are kept in this frame and found again through x29.
 *
 *  wr_host_thunk_arm64
 *    wasm calls C: the `code` of every host function's funcref. Entered as
 *    any funcref (x15 = the wr_funcref*, lr = the return address,
 *    arguments at [sp + 8*i]); calls wr_host_dispatch(funcref, slots),
 *    which leaves the results in the same slots. The caller restores its
 *    own x27/x28.
 *
 * Both keep x29 as a frame pointer with a frame record (and CFI), so
 * debuggers and the frame walker see one chain: wasm frames end at
 * wr_enter_arm64's frame, whose return address is in no compiled code.
 *
 * wr_enter_arm64's frame, from x29 (= sp after the first store):
 *   [x29]       caller's x29, x30 (the frame record)
 *   [x29 + 16]  x19 .. x28, in pairs
 *   [x29 + 96]  d8 .. d15, in pairs
 *   [x29 + 160] slots, slot_count
 */
        .text

        .globl  wr_enter_arm64
        .type   wr_enter_arm64, %function
        .p2align 4
wr_enter_arm64:
        .cfi_startproc
        stp     x29, x30, [sp, #-176]!
        .cfi_def_cfa_offset 176
        .cfi_offset x29, -176
        .cfi_offset x30, -168
        mov     x29, sp
        .cfi_def_cfa_register x29
        stp     x19, x20, [x29, #16]
        stp     x21, x22, [x29, #32]
        stp     x23, x24, [x29, #48]
        stp     x25, x26, [x29, #64]
        stp     x27, x28, [x29, #80]
        .cfi_offset x19, -160
        .cfi_offset x20, -152
        .cfi_offset x21, -144
        .cfi_offset x22, -136
        .cfi_offset x23, -128
        .cfi_offset x24, -120
        .cfi_offset x25, -112
        .cfi_offset x26, -104
        .cfi_offset x27, -96
        .cfi_offset x28, -88
        stp     d8, d9, [x29, #96]
        stp     d10, d11, [x29, #112]
        stp     d12, d13, [x29, #128]
        stp     d14, d15, [x29, #144]
        .cfi_offset d8, -80
        .cfi_offset d9, -72
        .cfi_offset d10, -64
        .cfi_offset d11, -56
        .cfi_offset d12, -48
        .cfi_offset d13, -40
        .cfi_offset d14, -32
        .cfi_offset d15, -24
        stp     x2, x3, [x29, #160]
        /* x9 = max(2, slot_count rounded up to even) * 8 */
        add     x9, x3, #1
        and     x9, x9, #-2
        mov     x10, #2
        cmp     x9, x10
        csel    x9, x9, x10, hs
        lsl     x9, x9, #3
        and     x4, x4, #-16
        sub     x4, x4, x9
        mov     sp, x4
        mov     x10, #0
1:      cmp     x10, x3
        b.hs    2f
        ldr     x11, [x2, x10, lsl #3]
        str     x11, [sp, x10, lsl #3]
        add     x10, x10, #1
        b       1b
2:      mov     x27, x1
        ldr     x28, [x1]
        blr     x0
        ldp     x2, x3, [x29, #160]
        mov     x10, #0
3:      cmp     x10, x3
        b.hs    4f
        ldr     x11, [sp, x10, lsl #3]
        str     x11, [x2, x10, lsl #3]
        add     x10, x10, #1
        b       3b
4:      mov     sp, x29
        ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8, d9, [sp, #96]
        ldp     x27, x28, [sp, #80]
        ldp     x25, x26, [sp, #64]
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #176
        .cfi_def_cfa sp, 0
        .cfi_restore x29
        .cfi_restore x30
        .cfi_restore x19
        .cfi_restore x20
        .cfi_restore x21
        .cfi_restore x22
        .cfi_restore x23
        .cfi_restore x24
        .cfi_restore x25
        .cfi_restore x26
        .cfi_restore x27
        .cfi_restore x28
        .cfi_restore d8
        .cfi_restore d9
        .cfi_restore d10
        .cfi_restore d11
        .cfi_restore d12
        .cfi_restore d13
        .cfi_restore d14
        .cfi_restore d15
        ret
        .cfi_endproc
        .size   wr_enter_arm64, .-wr_enter_arm64

        .globl  wr_host_thunk_arm64
        .type   wr_host_thunk_arm64, %function
        .p2align 4
wr_host_thunk_arm64:
        .cfi_startproc
        stp     x29, x30, [sp, #-16]!
        .cfi_def_cfa_offset 16
        .cfi_offset x29, -16
        .cfi_offset x30, -8
        mov     x29, sp
        .cfi_def_cfa_register x29
        mov     x0, x15
        add     x1, x29, #16
        bl      wr_host_dispatch
        ldp     x29, x30, [sp], #16
        .cfi_def_cfa sp, 0
        .cfi_restore x29
        .cfi_restore x30
        ret
        .cfi_endproc
        .size   wr_host_thunk_arm64, .-wr_host_thunk_arm64

        .section .note.GNU-stack,"",%progbits
