/*
 * traps.c - turning faults and helper errors into WebAssembly traps.
 *
 * Compiled code traps in two ways (docs/BACKEND.md): a ud2 or udf (SIGILL)
 * at a listed trap site, or a memory access at a listed site that faults
 * (SIGSEGV/SIGBUS) inside a memory's guard reservation. A listed division
 * that faults (SIGFPE, x86-64 only) is accepted as well. The handler turns
 * a signal into a trap only when this thread is executing WebAssembly
 * (wr_current_exec), the pc is in code mapped in that execution's store, is
 * a listed trap site and, for a memory fault, the address is inside one of
 * the store's memories (DESIGN.md point 4). Then it records the site's
 * kind, function and wasm offset and siglongjmps to the execution's jump
 * buffer.
 * Anything else is a bug somewhere: the handler writes one line to stderr,
 * puts the previous disposition back and returns, so the fault repeats
 * and kills the process (or reaches the handler that was there before,
 * a sanitizer's, say).
 *
 * Process-wide state, forced by signals being process-wide: the handlers
 * are installed once, lazily, by the first execution in the process
 * (pthread_once), and stay installed; the previous dispositions are kept to
 * chain to. Each thread that executes gets an alternate signal stack once
 * (the fault may be a stack overflow), freed when the thread exits.
 * SA_NODEFER: executions save no signal mask in their jump buffer (that
 * would cost a system call per call), so the handler must not leave its
 * signal blocked when it jumps out.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "compiler/require.h"
#include "runtime/runtime.h"

_Thread_local wr_exec *wr_current_exec;

#define WR_ALTSTACK_SIZE ((size_t)64 << 10)
#define WR_ALTSTACK_MIN ((size_t)16 << 10) /* an existing one this large is kept */

static const int wr_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
#define WR_SIGNAL_COUNT (sizeof wr_signals / sizeof wr_signals[0])
static struct sigaction wr_previous[WR_SIGNAL_COUNT];
static pthread_once_t wr_install_once = PTHREAD_ONCE_INIT;
static int wr_install_error; /* errno of a failed installation, else 0 */
static pthread_key_t wr_altstack_key;
static _Thread_local bool wr_thread_ready;

static uintptr_t wr_context_pc(const void *uctx)
{
  const ucontext_t *uc = uctx;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.pc;
#else
  (void)uc;
  return 0;
#endif
}

/* write(2) only: the handler may not use stdio. */
static void wr_fatal_line(int sig, uintptr_t pc, const char *why)
{
  char buf[160];
  size_t n = 0;
  const char *parts[] = {"wasmrt: fatal signal ", NULL, " at pc 0x", NULL, " ", why, "\n"};
  char num[8], hex[20];
  int k = 0;
  do
    num[k++] = (char)('0' + sig % 10);
  while ((sig /= 10) && k < 7);
  for (int i = 0; i < k / 2; i++) {
    char t = num[i];
    num[i] = num[k - 1 - i];
    num[k - 1 - i] = t;
  }
  num[k] = '\0';
  for (int i = 0; i < 16; i++)
    hex[i] = "0123456789abcdef"[(pc >> (60 - 4 * i)) & 15];
  hex[16] = '\0';
  parts[1] = num;
  parts[3] = hex;
  for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
    for (const char *c = parts[p]; *c && n < sizeof buf; c++)
      buf[n++] = *c;
  ssize_t w = write(STDERR_FILENO, buf, n);
  (void)w;
}

static void wr_signal_handler(int sig, siginfo_t *info, void *uctx)
{
  int saved_errno = errno;
  uintptr_t pc = wr_context_pc(uctx);
  const char *why = "outside WebAssembly code";
  wr_exec *e = wr_current_exec;
  const wr_code_region *code = e ? wr_store_find_code(e->store, pc) : NULL;
  if (code) {
    const wr_trap_site *site =
        wr_object_find_trap(code->compiled->object, (uint32_t)(pc - code->start));
    if (!site)
      why = "in WebAssembly code, not at a trap site";
    else if ((sig == SIGSEGV || sig == SIGBUS) &&
             !wr_store_owns_address(e->store, (uintptr_t)info->si_addr))
      why = "in WebAssembly code, fault address outside its memories";
    else {
      e->trap = (wasmrt_trap_kind)site->kind;
      e->trap_function = site->func_index;
      e->trap_offset = site->wasm_offset;
      siglongjmp(e->jmp, 1);
    }
  }
  wr_fatal_line(sig, pc, why);
  for (size_t i = 0; i < WR_SIGNAL_COUNT; i++) {
    if (wr_signals[i] != sig)
      continue;
    struct sigaction prev = wr_previous[i];
    if (!(prev.sa_flags & SA_SIGINFO) && prev.sa_handler == SIG_IGN)
      prev.sa_handler = SIG_DFL; /* an ignored fault would repeat forever */
    sigaction(sig, &prev, NULL);
  }
  /* A signal sent by kill() does not repeat by itself. */
  if (info->si_code <= 0)
    raise(sig);
  errno = saved_errno;
}

static void wr_altstack_free(void *p)
{
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == p) {
    stack_t off;
    memset(&off, 0, sizeof off);
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, NULL);
  }
  munmap(p, WR_ALTSTACK_SIZE);
}

/* Puts the handler on every signal where it is not already, keeping what
 * was there to chain to; errno of a failure, else 0. */
static int wr_take_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = wr_signal_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  for (size_t i = 0; i < WR_SIGNAL_COUNT; i++) {
    struct sigaction cur;
    if (sigaction(wr_signals[i], NULL, &cur) != 0)
      return errno;
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == wr_signal_handler)
      continue;
    if (sigaction(wr_signals[i], &sa, &wr_previous[i]) != 0)
      return errno;
  }
  return 0;
}

static void wr_install_handlers(void)
{
  int rc = pthread_key_create(&wr_altstack_key, wr_altstack_free);
  wr_install_error = rc ? rc : wr_take_signals();
}

void wr_traps_reinstall(void)
{
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_once(&wr_install_once, wr_install_handlers);
  pthread_mutex_lock(&lock);
  (void)wr_take_signals();
  pthread_mutex_unlock(&lock);
}

wasmrt_result wr_traps_prepare_thread(wasmrt_error *err)
{
  if (wr_thread_ready)
    return WASMRT_OK;
  pthread_once(&wr_install_once, wr_install_handlers);
  if (wr_install_error)
    return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED, "cannot install the trap handlers: %s",
                        strerror(wr_install_error));
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
      cur.ss_size >= WR_ALTSTACK_MIN) {
    wr_thread_ready = true;
    return WASMRT_OK;
  }
  void *p =
      mmap(NULL, WR_ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "cannot map a signal stack");
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = p;
  ss.ss_size = WR_ALTSTACK_SIZE;
  if (sigaltstack(&ss, NULL) != 0 || pthread_setspecific(wr_altstack_key, p) != 0) {
    int e = errno;
    wr_altstack_free(p);
    return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED, "cannot set a signal stack: %s",
                        strerror(e));
  }
  wr_thread_ready = true;
  return WASMRT_OK;
}

_Noreturn void wr_trap_raise(wasmrt_trap_kind kind, const void *retaddr)
{
  wr_exec *e = wr_current_exec;
  WR_REQUIRE(e != NULL);
  e->trap = kind;
  e->trap_function = -1;
  e->trap_offset = 0;
  const wr_code_region *code = wr_store_find_code(e->store, (uintptr_t)retaddr);
  if (code) {
    const wr_object *obj = code->compiled->object;
    uint32_t offset = (uint32_t)((uintptr_t)retaddr - code->start);
    const wr_frame_point *point = wr_object_find_point(obj, offset);
    const wr_func_code *fc = wr_object_find_func(obj, offset);
    if (point) {
      e->trap_function = point->func_index;
      e->trap_offset = point->wasm_offset;
    } else if (fc) {
      e->trap_function = code->compiled->module->imported_function_count + (fc - obj->funcs);
    }
  }
  siglongjmp(e->jmp, 1);
}

_Noreturn void wr_trap_raise_host(const char *message)
{
  wr_exec *e = wr_current_exec;
  WR_REQUIRE(e != NULL);
  e->trap = WASMRT_TRAP_HOST;
  e->trap_function = -1;
  e->trap_offset = 0;
  snprintf(e->host_message, sizeof e->host_message, "%s", message);
  siglongjmp(e->jmp, 1);
}

wasmrt_result wr_trap_report(const wr_exec *e, wasmrt_error *err)
{
  if (e->trap == WASMRT_TRAP_HOST)
    wr_error_set(err, WASMRT_ERROR_TRAP, "%s", e->host_message);
  else if (e->trap_function >= 0)
    wr_error_set(err, WASMRT_ERROR_TRAP, "wasm trap: %s, function %lld, offset 0x%llx",
                 wasmrt_trap_message(e->trap), (long long)e->trap_function,
                 (unsigned long long)e->trap_offset);
  else
    wr_error_set(err, WASMRT_ERROR_TRAP, "wasm trap: %s", wasmrt_trap_message(e->trap));
  if (err) {
    err->trap = e->trap;
    err->function = e->trap_function;
    err->offset = e->trap_offset;
  }
  return WASMRT_ERROR_TRAP;
}
