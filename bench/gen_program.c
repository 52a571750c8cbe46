/*
 * gen_program.c - writes a large C program whose WebAssembly build is the
 * validation benchmark's input module.
 *
 * Usage: gen_program OUTDIR PARTS FUNCTIONS [SEED]
 *
 * Writes OUTDIR/prog.h, OUTDIR/main.c and OUTDIR/part_00.c ... part_NN.c
 * (PARTS files sharing FUNCTIONS generated functions, so that a parallel
 * build can compile them side by side).
 *
 * Guarantees:
 *  - Deterministic: the same arguments give byte-identical files (a private
 *    PRNG, no clock, no locale-dependent formatting).
 *  - Every generated function is reachable from the one export `run` through
 *    per-kind function-pointer tables in main.c, so the linker keeps them all
 *    and the module's code section holds nearly all of its bytes.
 *  - The code gives clang no undefined behaviour it could use to delete
 *    work: arithmetic is unsigned, shift counts are constants below the
 *    width, divisors are forced odd, array indices are masked, float to int
 *    conversions are clamped, and calls only go to functions with a lower
 *    index, so there is no recursion.
 *  - The program is meant to be compiled, not run, but it would run: loops
 *    are bounded and memory accesses stay inside the globals of main.c.
 *
 * The functions are of nine kinds, weighted towards a prover-like
 * workload: integer mixing, prime-field arithmetic (Goldilocks, BabyBear in
 * Montgomery form, Mersenne-31), SHA-256 and ChaCha rounds, BLAKE2b and
 * Keccak rounds, number-theoretic transforms, floating point, switch-driven
 * state machines, records in memory, and calls through function pointers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind {
  K_INT,
  K_FIELD,
  K_SHA,
  K_BLAKE,
  K_NTT,
  K_FLOAT,
  K_SWITCH,
  K_STRUCT,
  K_DISPATCH,
  K_COUNT
};

/* Per kind: name prefix, relative weight, signature (for prototypes and
 * table types; "%s" is the function name), and a call of a table entry
 * from run() with `sel` and `x` in scope. */
static const struct kind_info {
  const char *prefix;
  unsigned weight;
  const char *signature;
  const char *pointer_type;
  const char *run_call;
} kinds[K_COUNT] = {
    [K_INT] = {"fi", 18, "u32 %s(u32 a, u32 b, u32 n)", "u32 (*const %s)(u32, u32, u32)",
               "return %s[i %% %u]((u32)x, sel, 16u);"},
    [K_FIELD] = {"ff", 10, "u64 %s(u64 a, u64 b)", "u64 (*const %s)(u64, u64)",
                 "return %s[i %% %u](x, (u64)sel);"},
    [K_SHA] = {"fs", 8, "void %s(u32 *s, const u32 *m)", "void (*const %s)(u32 *, const u32 *)",
               "%s[i %% %u](g_u32, g_u32 + 64); return g_u32[0];"},
    [K_BLAKE] = {"fb", 7, "void %s(u64 *s, const u64 *m)", "void (*const %s)(u64 *, const u64 *)",
                 "%s[i %% %u](g_u64, g_u64 + 64); return g_u64[0];"},
    [K_NTT] = {"fn", 10, "void %s(u64 *a, u32 logn)", "void (*const %s)(u64 *, u32)",
               "%s[i %% %u](g_u64, 10u); return g_u64[1];"},
    [K_FLOAT] = {"fd", 14, "double %s(double x, double y, u32 n)",
                 "double (*const %s)(double, double, u32)",
                 "return (u64)clampi(%s[i %% %u]((double)(x & 0xffff), 1.5, sel));"},
    [K_SWITCH] = {"fw", 10, "u32 %s(u32 state, u32 in)", "u32 (*const %s)(u32, u32)",
                  "return %s[i %% %u]((u32)x, sel);"},
    [K_STRUCT] = {"fr", 10, "u64 %s(struct rec *r, u32 n, u32 k)",
                  "u64 (*const %s)(struct rec *, u32, u32)",
                  "return %s[i %% %u](g_rec, 64u, sel);"},
    [K_DISPATCH] = {"fx", 6, "u64 %s(u64 x, u32 sel)", "u64 (*const %s)(u64, u32)",
                    "return %s[i %% %u](x, sel);"},
};

/* ---- deterministic random numbers (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* A uniform-enough number in [0, n); n > 0. */
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }
/* A number in [lo, hi]. */
static unsigned between(unsigned lo, unsigned hi) { return lo + below(hi - lo + 1); }
/* True with probability percent/100. */
static int chance(unsigned percent) { return below(100) < percent; }

/* ---- output ---- */

static FILE *out;
static const char *out_path;

static void fail_io(void)
{
  fprintf(stderr, "gen_program: %s: %s\n", out_path, strerror(errno));
  exit(1);
}

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (vfprintf(out, fmt, ap) < 0)
    fail_io();
  va_end(ap);
}

static void indent(int depth)
{
  for (int i = 0; i < depth; i++)
    put("  ");
}

static void open_out(const char *dir, const char *name)
{
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  out_path = path;
  out = fopen(path, "w");
  if (!out)
    fail_io();
}

static void close_out(void)
{
  if (ferror(out) || fclose(out) != 0)
    fail_io();
  out = NULL;
}

/* ---- the function list ---- */

static unsigned nfuncs;
static unsigned char *func_kind; /* kind of each function */
static unsigned kind_total[K_COUNT];

static void func_name(char *buf, size_t size, unsigned index)
{
  snprintf(buf, size, "%s_%05u", kinds[func_kind[index]].prefix, index);
}

/* A random function of kind `k` with index below `limit`, or -1. */
static long earlier_of_kind(enum kind k, unsigned limit)
{
  for (int tries = 0; tries < 64 && limit > 0; tries++) {
    unsigned i = below(limit);
    if (func_kind[i] == k)
      return (long)i;
  }
  for (unsigned i = limit; i-- > 0;)
    if (func_kind[i] == k)
      return (long)i;
  return -1;
}

/* ---- expressions ---- */

/* The variables an expression may read. */
typedef struct scope {
  const char *const *names;
  unsigned count;
} scope;

static const char *pick(const scope *s) { return s->names[below(s->count)]; }

static void const32(void)
{
  if (chance(40)) {
    unsigned v = between(1, 64);
    /* hex for 2 and 10, or clang warns that "2u ^ 17u" looks like a power */
    put(v == 2 || v == 10 ? "0x%xu" : "%uu", v);
  } else
    put("0x%08" PRIx32 "u", (uint32_t)rnd());
}

static void const64(void) { put("0x%016" PRIx64 "ull", rnd()); }

/*
 * An unsigned integer expression of `bits` (32 or 64) over `s` that is not
 * the bare variable `avoid` (may be NULL), so that no comparison or
 * assignment has the same variable on both sides. Returns the variable's
 * name when the expression is a bare variable, else NULL.
 */
static const char *iexpr_avoid(const scope *s, int depth, int bits, const char *avoid)
{
  const char *t = bits == 32 ? "u32" : "u64";
  const char *l;
  if (depth <= 0 || chance(25)) {
    const char *v = pick(s);
    if (chance(75) && (!avoid || strcmp(v, avoid) != 0)) {
      put("%s", v);
      return v;
    }
    if (bits == 32)
      const32();
    else
      const64();
    return NULL;
  }
  static const char *const binops[] = {"+", "-", "*", "^", "&", "|", "+", "^", "*"};
  switch (below(14)) {
  case 0:
  case 1:
  case 2:
  case 3:
  case 4:
    put("(");
    l = iexpr_avoid(s, depth - 1, bits, NULL);
    put(" %s ", binops[below(9)]);
    iexpr_avoid(s, depth - 1, bits, l);
    put(")");
    break;
  case 5:
    put("(");
    iexpr_avoid(s, depth - 1, bits, NULL);
    const char *op = chance(50) ? "<<" : ">>";
    put(" %s %uu)", op, between(1, (unsigned)bits - 1));
    break;
  case 6:
    put(bits == 32 ? "rotl32(" : "rotr64(");
    iexpr_avoid(s, depth - 1, bits, NULL);
    put(", %uu)", between(1, (unsigned)bits - 1));
    break;
  case 7:
    put("(");
    l = iexpr_avoid(s, depth - 1, bits, NULL);
    put(chance(50) ? " / (" : " %% (");
    iexpr_avoid(s, depth - 1, bits, l);
    put(" | 1u))");
    break;
  case 8:
    put("((%s)(", t);
    l = iexpr_avoid(s, depth - 1, bits, NULL);
    static const char *const cmps[] = {"<", ">", "<=", ">=", "==", "!="};
    put(" %s ", cmps[below(6)]);
    iexpr_avoid(s, depth - 1, bits, l);
    put("))");
    break;
  case 9:
    put("(");
    l = iexpr_avoid(s, depth - 1, bits, NULL);
    put(" > ");
    iexpr_avoid(s, depth - 1, bits, l);
    put(" ? ");
    l = iexpr_avoid(s, depth - 1, bits, NULL);
    put(" : ");
    iexpr_avoid(s, depth - 1, bits, l);
    put(")");
    break;
  case 10:
    if (bits == 32) {
      static const char *const loads[] = {"g_u32[(", "(u32)g_i8[(", "(u32)g_i16[(", "(u32)g_u8[("};
      static const unsigned masks[] = {4095, 4095, 2047, 4095};
      unsigned which = below(4);
      put("%s", loads[which]);
      iexpr_avoid(s, depth - 1, bits, NULL);
      put(") & %uu]", masks[which]);
    } else {
      put("g_u64[(");
      iexpr_avoid(s, depth - 1, bits, NULL);
      put(") & 4095u]");
    }
    break;
  case 11:
    if (bits == 32) {
      static const char *const bitops[] = {"(u32)__builtin_popcount(", "(u32)__builtin_clz(1u | ",
                                           "(u32)__builtin_ctz(1u | "};
      put("%s", bitops[below(3)]);
    } else {
      static const char *const bitops[] = {
          "(u64)__builtin_popcountll(", "(u64)__builtin_clzll(1u | ", "(u64)__builtin_ctzll(1u | "};
      put("%s", bitops[below(3)]);
    }
    iexpr_avoid(s, depth - 1, bits, NULL);
    put(")");
    break;
  case 12:
    if (bits == 64) {
      put("mul64hi(");
      l = iexpr_avoid(s, depth - 1, bits, NULL);
      put(", ");
      iexpr_avoid(s, depth - 1, bits, l);
      put(")");
    } else {
      put("(u32)((u64)");
      iexpr_avoid(s, depth - 1, bits, NULL);
      unsigned mul = (unsigned)(rnd() & 0xffffff) | 1u, shift = between(8, 31);
      put(" * %uu >> %uu)", mul, shift);
    }
    break;
  default:
    put("(%s)(int%d_t)", t, bits == 32 ? 16 : 32);
    iexpr_avoid(s, depth - 1, bits, NULL);
    break;
  }
  return NULL;
}

static void iexpr(const scope *s, int depth, int bits) { iexpr_avoid(s, depth, bits, NULL); }

static void fconst(void)
{
  int whole = (int)between(0, 200) - 100;
  unsigned fraction = below(1000);
  put("%d.%03u", whole, fraction);
}

/* A double expression over the doubles in `s` and the u32 `ivar`, not the
 * bare variable `avoid`; returns the variable when it is a bare one. */
static const char *fexpr_avoid(const scope *s, const char *ivar, int depth, const char *avoid)
{
  const char *l;
  if (depth <= 0 || chance(20)) {
    const char *v = pick(s);
    if (chance(70) && (!avoid || strcmp(v, avoid) != 0)) {
      put("%s", v);
      return v;
    }
    fconst();
    return NULL;
  }
  static const char *const binops[] = {"+", "-", "*", "+", "*", "/"};
  switch (below(13)) {
  case 0:
  case 1:
  case 2:
  case 3:
  case 4:
    put("(");
    l = fexpr_avoid(s, ivar, depth - 1, NULL);
    put(" %s ", binops[below(6)]);
    fexpr_avoid(s, ivar, depth - 1, l);
    put(")");
    break;
  case 5:
    put("__builtin_sqrt(__builtin_fabs(");
    fexpr_avoid(s, ivar, depth - 1, NULL);
    put("))");
    break;
  case 6: {
    static const char *const unary[] = {"__builtin_floor(", "__builtin_ceil(", "__builtin_trunc(",
                                        "__builtin_fabs(", "-("};
    put("%s", unary[below(5)]);
    fexpr_avoid(s, ivar, depth - 1, NULL);
    put(")");
    break;
  }
  case 7:
    put(chance(50) ? "__builtin_fmin(" : chance(50) ? "__builtin_fmax(" : "__builtin_copysign(");
    l = fexpr_avoid(s, ivar, depth - 1, NULL);
    put(", ");
    fexpr_avoid(s, ivar, depth - 1, l);
    put(")");
    break;
  case 8:
    put("(double)(int32_t)(%s * %uu)", ivar, between(1, 1000));
    break;
  case 9:
    put("(double)((float)");
    fexpr_avoid(s, ivar, depth - 1, NULL);
    put(" * %u.5f)", between(0, 9));
    break;
  case 10:
    if (chance(50)) {
      unsigned stride = between(1, 9), offset = below(1024);
      put("g_f64[(%s * %uu + %uu) & 1023u]", ivar, stride, offset);
    } else
      put("(double)g_f32[(%s + %uu) & 1023u]", ivar, below(1024));
    break;
  case 11:
    put("(");
    l = fexpr_avoid(s, ivar, depth - 1, NULL);
    put(" < ");
    fexpr_avoid(s, ivar, depth - 1, l);
    put(" ? ");
    l = fexpr_avoid(s, ivar, depth - 1, NULL);
    put(" : ");
    fexpr_avoid(s, ivar, depth - 1, l);
    put(")");
    break;
  default:
    put("(double)(u32)clampi(");
    fexpr_avoid(s, ivar, depth - 1, NULL);
    put(")");
    break;
  }
  return NULL;
}

static void fexpr(const scope *s, const char *ivar, int depth)
{
  fexpr_avoid(s, ivar, depth, NULL);
}

/* ---- statements for integer code ---- */

typedef struct int_ctx {
  const scope *read;        /* readable u32 variables */
  const char *const *write; /* assignable u32 variables */
  unsigned nwrite;
  const char *loop_var; /* free u32 for inner loops */
  unsigned self;        /* index of the function being generated */
} int_ctx;

static void int_stmt(const int_ctx *c, int depth, int level);

static void int_block(const int_ctx *c, int depth, int level, unsigned n)
{
  for (unsigned i = 0; i < n; i++)
    int_stmt(c, depth, level);
}

static void int_stmt(const int_ctx *c, int depth, int level)
{
  const char *v = c->write[below(c->nwrite)];
  unsigned what = below(level > 1 ? 6 : 10);
  indent(depth);
  switch (what) {
  case 0:
  case 1:
  case 2:
    put("%s %s= ", v, chance(50) ? "" : chance(50) ? "^" : "+");
    iexpr_avoid(c->read, (int)between(1, 4), 32, v);
    put(";\n");
    break;
  case 3:
    put("g_u32[(");
    iexpr(c->read, 2, 32);
    put(") & 4095u] %s= ", chance(50) ? "" : "+");
    iexpr(c->read, 2, 32);
    put(";\n");
    break;
  case 4: {
    const char *other = pick(c->read);
    put("%s = rotl32(%s ^ %s, %uu) + ", v, v, other, between(1, 31));
    const32();
    put(";\n");
    break;
  }
  case 5:
    if (chance(50)) {
      put("g_u8[(");
      iexpr(c->read, 1, 32);
      put(") & 4095u] = (u8)(%s >> %uu);\n", v, between(0, 24));
    } else {
      put("g_i16[(");
      iexpr(c->read, 1, 32);
      put(") & 2047u] = (int16_t)%s;\n", v);
    }
    break;
  case 6:
  case 7:
    put("if (");
    const char *l = iexpr_avoid(c->read, 2, 32, NULL);
    static const char *const cmps[] = {"<", ">", "==", "!=", "&"};
    put(" %s ", cmps[below(5)]);
    iexpr_avoid(c->read, 2, 32, l);
    put(") {\n");
    int_block(c, depth + 1, level + 1, between(1, 3));
    indent(depth);
    if (chance(60)) {
      put("} else {\n");
      int_block(c, depth + 1, level + 1, between(1, 3));
      indent(depth);
    }
    put("}\n");
    break;
  case 8:
    put("for (%s = 0; %s < (", c->loop_var, c->loop_var);
    iexpr(c->read, 1, 32);
    put(" & %uu); %s++) {\n", between(3, 15), c->loop_var);
    int_block(c, depth + 1, level + 2, between(1, 3));
    indent(depth);
    put("}\n");
    break;
  default: {
    long callee = earlier_of_kind(K_INT, c->self);
    if (callee < 0) {
      put("%s *= 0x%08" PRIx32 "u;\n", v, (uint32_t)rnd() | 1u);
      break;
    }
    char name[32];
    func_name(name, sizeof name, (unsigned)callee);
    put("%s ^= %s(", v, name);
    iexpr(c->read, 1, 32);
    const char *second = pick(c->read);
    put(", %s, %uu);\n", second, between(1, 8));
    break;
  }
  }
}

/* ---- the kinds ---- */

static void gen_int(unsigned self)
{
  static const char *const rd[] = {"a", "b", "x", "y", "z", "i", "x", "y"};
  static const char *const wr[] = {"a", "b", "x", "y", "z"};
  scope s = {rd, 8};
  int_ctx c = {&s, wr, 5, "j", self};
  put("  u32 x = a ^ ");
  const32();
  put(", y = b + ");
  const32();
  put(", z = n * %uu, i = 0, j = 0;\n", between(3, 99) | 1u);
  put("  u64 w = ((u64)a << 32) | b;\n");
  int_block(&c, 1, 1, between(1, 5));
  put("  for (i = 0; i < (n & %uu); i++) {\n", between(7, 127));
  int_block(&c, 2, 1, between(4, 12));
  put("    w = w * 0x%016" PRIx64 "ull + (u64)(x ^ z);\n", rnd() | 1u);
  put("  }\n");
  if (chance(50)) {
    put("  for (i = 0; i < (b & %uu); i++) {\n", between(3, 63));
    int_block(&c, 2, 1, between(2, 6));
    put("  }\n");
  }
  int_block(&c, 1, 1, between(1, 4));
  put("  return x ^ y ^ z ^ a ^ b ^ (u32)(w >> %uu);\n", between(0, 32));
}

/* The three prime fields: element type, operations, modulus. */
static const struct field {
  const char *type;
  const char *mul, *add, *sub;
  const char *modulus;
  uint64_t p;
  unsigned sbox; /* S-box exponent */
} fields[3] = {
    {"u64", "gl_mul", "gl_add", "gl_sub", "GL_P", 0xffffffff00000001ull, 7},
    {"u32", "bb_mul", "bb_add", "bb_sub", "BB_P", 0x78000001ull, 7},
    {"u32", "m31_mul", "m31_add", "m31_sub", "M31_P", 0x7fffffffull, 5},
};

static void felem(const struct field *f)
{
  uint64_t v = rnd() % f->p;
  if (f->p > 0xffffffffull)
    put("0x%016" PRIx64 "ull", v);
  else
    put("0x%08" PRIx64 "u", v);
}

/* x = x^sbox in field f, with temporaries t2 (and t4). */
static void sbox(const struct field *f, const char *x, int depth)
{
  indent(depth);
  put("t2 = %s(%s, %s); ", f->mul, x, x);
  if (f->sbox == 7)
    put("t4 = %s(t2, t2); %s = %s(%s(t4, t2), %s);\n", f->mul, x, f->mul, f->mul, x);
  else
    put("t4 = %s(t2, t2); %s = %s(t4, %s);\n", f->mul, x, f->mul, x);
}

static void gen_field(unsigned self)
{
  const struct field *f = &fields[below(3)];
  const char *T = f->type;
  unsigned w = (unsigned[]){3, 4, 4, 8, 8, 12, 16}[below(7)];
  put("  %s s[%u], t2, t4, acc, base;\n  u32 k, r;\n", T, w);
  put("  s[0] = (%s)(a %% %s);\n  s[1] = (%s)(b %% %s);\n", T, f->modulus, T, f->modulus);
  for (unsigned i = 2; i < w; i++) {
    put("  s[%u] = %s(s[%u], ", i, f->add, i - 1);
    felem(f);
    put(");\n");
  }
  put("  acc = s[0];\n  base = s[1];\n");
  unsigned steps = between(2, 4);
  for (unsigned step = 0; step < steps; step++) {
    switch (below(6)) {
    case 0:
    case 1: {      /* Poseidon-like rounds */
      if (w > 4) { /* wide state: loops over rounds and lanes, as in Poseidon2 */
        unsigned full = 2 * between(1, 4), partial = between(4, 22), c = below(1024);
        put("  for (r = 0; r < %uu; r++) {\n", full + partial);
        put("    if (r < %uu || r >= %uu) {\n", full / 2, full / 2 + partial);
        put("      for (k = 0; k < %uu; k++) {\n", w);
        put("        s[k] = %s(s[k], (%s)(g_tw[(r * %uu + k + %uu) & 1023u] %% %s));\n", f->add, T,
            w, c, f->modulus);
        sbox(f, "s[k]", 4);
        put("      }\n    } else {\n");
        put("      s[0] = %s(s[0], (%s)(g_tw[(r + %uu) & 1023u] %% %s));\n", f->add, T, c,
            f->modulus);
        sbox(f, "s[0]", 3);
        put("    }\n");
        put("    t2 = s[0];\n    for (k = 1; k < %uu; k++)\n      t2 = %s(t2, s[k]);\n", w, f->add);
        put("    for (k = 0; k < %uu; k++)\n      s[k] = %s(t2, %s(s[k], (%s)(g_tw[(k + %uu) & "
            "1023u] %% %s)));\n",
            w, f->add, f->mul, T, below(1024), f->modulus);
        put("  }\n");
        break;
      }
      unsigned rounds = between(2, 5);
      for (unsigned r = 0; r < rounds; r++) {
        int full = r == 0 || r + 1 == rounds || chance(30);
        for (unsigned i = 0; i < (full ? w : 1); i++) {
          put("  s[%u] = %s(s[%u], ", i, f->add, i);
          felem(f);
          put(");\n");
          char lane[16];
          snprintf(lane, sizeof lane, "s[%u]", i);
          sbox(f, lane, 1);
        }
        /* narrow state: unrolled, with a dense MDS matrix */
        put("  {\n    %s m[%u];\n", T, w);
        for (unsigned i = 0; i < w; i++) {
          put("    m[%u] = ", i);
          for (unsigned j = 0; j < w; j++)
            put(j + 1 < w ? "%s(%s(s[%u], %uu), " : "%.0s%s(s[%u], %uu)", f->add, f->mul, j,
                between(2, 17));
          for (unsigned j = 0; j + 1 < w; j++)
            put(")");
          put(";\n");
        }
        put("    for (k = 0; k < %uu; k++)\n      s[k] = m[k];\n  }\n", w);
      }
      break;
    }
    case 2: { /* exponentiation by a constant */
      uint64_t e = rnd() % f->p;
      put("  base = %s(base, s[%u]);\n", f->add, below(w));
      put("  t4 = 1;\n  for (k = 0; k < %uu; k++) {\n", f->p > 0xffffffffull ? 64 : 32);
      put("    if ((0x%016" PRIx64 "ull >> k) & 1u)\n      t4 = %s(t4, base);\n", e, f->mul);
      put("    base = %s(base, base);\n  }\n  acc = %s(acc, t4);\n", f->mul, f->add);
      break;
    }
    case 3: { /* Horner evaluation, unrolled */
      unsigned degree = between(4, 16);
      put("  t4 = ");
      felem(f);
      put(";\n");
      for (unsigned i = 0; i < degree; i++) {
        put("  t4 = %s(%s(t4, s[%u]), ", f->add, f->mul, below(w));
        felem(f);
        put(");\n");
      }
      put("  acc = %s(acc, t4);\n", f->sub);
      break;
    }
    case 4: /* inner product with a table in memory */
      put("  t4 = 0;\n  for (k = 0; k < (u32)(b & %uu); k++)\n", between(15, 255));
      unsigned stride = between(1, 7), offset = below(1024);
      put("    t4 = %s(t4, %s((%s)(g_tw[(k * %uu + %uu) & 1023u] %% %s), s[k %% %uu]));\n", f->add,
          f->mul, T, stride, offset, f->modulus, w);
      put("  acc = %s(acc, t4);\n", f->add);
      break;
    default: /* batch inversion style prefix products over memory */
      put("  t4 = 1;\n  for (k = 0; k < (u32)(a & %uu); k++) {\n", between(15, 127));
      put("    t2 = (%s)(g_u64[(k + %uu) & 4095u] %% %s);\n", T, below(4096), f->modulus);
      put("    g_u64[(k + %uu) & 4095u] = t4;\n", below(4096));
      put("    t4 = %s(t4, %s(t2, s[k %% %uu]));\n  }\n", f->mul, f->add, w);
      put("  acc = %s(acc, t4);\n", f->mul);
      break;
    }
  }
  long callee = chance(30) ? earlier_of_kind(K_FIELD, self) : -1;
  if (callee >= 0) {
    char name[32];
    func_name(name, sizeof name, (unsigned)callee);
    put("  acc ^= (%s)%s(acc, s[%u]);\n", T, name, below(w));
  }
  put("  for (k = 0; k < %uu; k++)\n    acc = %s(acc, s[k]);\n", w, f->add);
  put("  return acc;\n");
}

static void gen_sha(unsigned self)
{
  if (chance(35)) { /* ChaCha double rounds, unrolled */
    put("  u32 x[16], i;\n  for (i = 0; i < 16u; i++)\n    x[i] = s[i] ^ m[i];\n");
    unsigned rounds = between(2, 10);
    unsigned r1 = between(12, 20), r2 = between(8, 14), r3 = between(6, 10), r4 = between(5, 9);
    static const unsigned quarter[8][4] = {{0, 4, 8, 12},  {1, 5, 9, 13},  {2, 6, 10, 14},
                                           {3, 7, 11, 15}, {0, 5, 10, 15}, {1, 6, 11, 12},
                                           {2, 7, 8, 13},  {3, 4, 9, 14}};
    for (unsigned r = 0; r < rounds; r++)
      for (unsigned q = 0; q < 8; q++) {
        const unsigned *Q = quarter[q];
        put("  x[%u] += x[%u]; x[%u] = rotl32(x[%u] ^ x[%u], %uu);\n", Q[0], Q[1], Q[3], Q[3], Q[0],
            r1);
        put("  x[%u] += x[%u]; x[%u] = rotl32(x[%u] ^ x[%u], %uu);\n", Q[2], Q[3], Q[1], Q[1], Q[2],
            r2);
        put("  x[%u] += x[%u]; x[%u] = rotl32(x[%u] ^ x[%u], %uu);\n", Q[0], Q[1], Q[3], Q[3], Q[0],
            r3);
        put("  x[%u] += x[%u]; x[%u] = rotl32(x[%u] ^ x[%u], %uu);\n", Q[2], Q[3], Q[1], Q[1], Q[2],
            r4);
      }
    put("  for (i = 0; i < 16u; i++)\n    s[i] += x[i];\n");
    return;
  }
  /* SHA-256-like compression with this function's own constants */
  unsigned rounds = between(16, 64);
  int unrolled = rounds <= 24 && chance(70);
  unsigned S0[3], S1[3], s0[3], s1[3];
  for (int i = 0; i < 3; i++) {
    S0[i] = between(2, 30);
    S1[i] = between(2, 30);
    s0[i] = between(2, 30);
    s1[i] = between(2, 30);
  }
  put("  u32 a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];\n");
  put("  u32 w[16], t1, t2, r;\n  for (r = 0; r < 16u; r++)\n    w[r] = m[r];\n");
  if (unrolled) {
    for (unsigned r = 0; r < rounds; r++) {
      if (r >= 16)
        put("  w[%u] += (rotr32(w[%u], %uu) ^ rotr32(w[%u], %uu) ^ (w[%u] >> %uu)) + w[%u] + "
            "(rotr32(w[%u], %uu) ^ rotr32(w[%u], %uu) ^ (w[%u] >> %uu));\n",
            r & 15, (r - 2) & 15, s1[0], (r - 2) & 15, s1[1], (r - 2) & 15, s1[2] % 16 + 1,
            (r - 7) & 15, (r - 15) & 15, s0[0], (r - 15) & 15, s0[1], (r - 15) & 15, s0[2] % 8 + 1);
      put("  t1 = h + (rotr32(e, %uu) ^ rotr32(e, %uu) ^ rotr32(e, %uu)) + ((e & f) ^ (~e & g)) "
          "+ 0x%08" PRIx32 "u + w[%u];\n",
          S1[0], S1[1], S1[2], (uint32_t)rnd(), r & 15);
      put("  t2 = (rotr32(a, %uu) ^ rotr32(a, %uu) ^ rotr32(a, %uu)) + ((a & b) ^ (a & c) ^ (b "
          "& c));\n",
          S0[0], S0[1], S0[2]);
      put("  h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;\n");
    }
  } else {
    put("  for (r = 0; r < %uu; r++) {\n", rounds);
    put("    if (r >= 16u)\n      w[r & 15u] += (rotr32(w[(r - 2u) & 15u], %uu) ^ (w[(r - 2u) & "
        "15u] >> %uu)) + w[(r - 7u) & 15u] + (rotr32(w[(r - 15u) & 15u], %uu) ^ (w[(r - 15u) & "
        "15u] >> %uu));\n",
        s1[0], s1[2] % 16 + 1, s0[0], s0[2] % 8 + 1);
    put("    t1 = h + (rotr32(e, %uu) ^ rotr32(e, %uu) ^ rotr32(e, %uu)) + ((e & f) ^ (~e & g)) "
        "+ g_k32[(r + %uu) & 63u] + w[r & 15u];\n",
        S1[0], S1[1], S1[2], below(64));
    put("    t2 = (rotr32(a, %uu) ^ rotr32(a, %uu) ^ rotr32(a, %uu)) + ((a & b) ^ (a & c) ^ (b & "
        "c));\n",
        S0[0], S0[1], S0[2]);
    put("    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;\n  }\n");
  }
  put("  s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += "
      "h;\n");
}

static void gen_blake(unsigned self)
{
  if (chance(35)) { /* Keccak-f rounds over 25 lanes, with loops */
    put("  static const u64 rc[24] = {");
    for (int i = 0; i < 24; i++)
      put("%s0x%016" PRIx64 "ull", i ? ", " : "", rnd());
    put("};\n  static const u8 rho[25] = {");
    for (int i = 0; i < 25; i++)
      put("%s%uu", i ? ", " : "", between(1, 63));
    put("};\n  static const u8 pi[25] = {");
    unsigned perm[25];
    for (unsigned i = 0; i < 25; i++)
      perm[i] = i;
    for (unsigned i = 24; i > 0; i--) {
      unsigned j = below(i + 1), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    for (int i = 0; i < 25; i++)
      put("%s%uu", i ? ", " : "", perm[i]);
    put("};\n");
    put("  u64 st[25], bc[5], tmp[25];\n  u32 i, j, round;\n");
    put("  for (i = 0; i < 25u; i++)\n    st[i] = s[i] ^ m[i %% 16u];\n");
    put("  for (round = 0; round < %uu; round++) {\n", between(4, 24));
    put("    for (i = 0; i < 5u; i++)\n      bc[i] = st[i] ^ st[i + 5u] ^ st[i + 10u] ^ st[i + "
        "15u] ^ st[i + 20u];\n");
    put("    for (i = 0; i < 5u; i++) {\n      u64 t = bc[(i + 4u) %% 5u] ^ rotl64(bc[(i + 1u) "
        "%% 5u], 1u);\n      for (j = 0; j < 25u; j += 5u)\n        st[j + i] ^= t;\n    }\n");
    put("    for (i = 0; i < 25u; i++)\n      tmp[pi[i]] = rotl64(st[i], rho[i]);\n");
    put("    for (j = 0; j < 25u; j += 5u)\n      for (i = 0; i < 5u; i++)\n        st[j + i] = "
        "tmp[j + i] ^ (~tmp[j + (i + 1u) %% 5u] & tmp[j + (i + 2u) %% 5u]);\n");
    put("    st[0] ^= rc[round %% 24u];\n  }\n");
    put("  for (i = 0; i < 25u; i++)\n    s[i] = st[i];\n");
    return;
  }
  unsigned rounds = between(2, 12);
  unsigned rot[4] = {32, 24, 16, 63};
  if (chance(40))
    for (int i = 0; i < 4; i++)
      rot[i] = between(1, 63);
  put("  u64 v0 = s[0], v1 = s[1], v2 = s[2], v3 = s[3], v4 = s[4], v5 = s[5], v6 = s[6], v7 = "
      "s[7];\n");
  put("  u64 v8 = 0x6a09e667f3bcc908ull, v9 = 0xbb67ae8584caa73bull, v10 = 0x3c6ef372fe94f82bull, "
      "v11 = 0xa54ff53a5f1d36f1ull;\n");
  put("  u64 v12 = 0x510e527fade682d1ull ^ ");
  const64();
  put(", v13 = 0x9b05688c2b3e6c1full, v14 = 0x1f83d9abfb41bd6bull, v15 = 0x5be0cd19137e2179ull;\n");
  static const unsigned g[8][4] = {{0, 4, 8, 12},  {1, 5, 9, 13},  {2, 6, 10, 14}, {3, 7, 11, 15},
                                   {0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13},  {3, 4, 9, 14}};
  /* the message schedule: one permutation of the 16 words per round */
  unsigned sigma[12][16];
  for (unsigned r = 0; r < rounds; r++) {
    for (unsigned i = 0; i < 16; i++)
      sigma[r][i] = i;
    for (unsigned i = 15; i > 0; i--) {
      unsigned j = below(i + 1), t = sigma[r][i];
      sigma[r][i] = sigma[r][j];
      sigma[r][j] = t;
    }
  }
  /* up to three rounds unrolled, more in a loop over a sigma table as in BLAKE2's reference */
  int looped = rounds > 3;
  char word[2][32];
  if (looped) {
    put("  static const u8 sigma[%u][16] = {", rounds);
    for (unsigned r = 0; r < rounds; r++) {
      put("%s{", r ? ", " : "");
      for (unsigned i = 0; i < 16; i++)
        put("%s%u", i ? ", " : "", sigma[r][i]);
      put("}");
    }
    put("};\n  u32 r;\n  for (r = 0; r < %uu; r++) {\n", rounds);
  }
  for (unsigned r = 0; r < (looped ? 1 : rounds); r++) {
    for (unsigned q = 0; q < 8; q++) {
      unsigned A = g[q][0], B = g[q][1], C = g[q][2], D = g[q][3];
      for (unsigned h = 0; h < 2; h++) {
        if (looped)
          snprintf(word[h], sizeof word[h], "m[sigma[r][%u]]", 2 * q + h);
        else
          snprintf(word[h], sizeof word[h], "m[%u]", sigma[r][2 * q + h]);
      }
      put("  v%u += v%u + %s; v%u = rotr64(v%u ^ v%u, %uu); v%u += v%u; v%u = rotr64(v%u ^ "
          "v%u, %uu);\n",
          A, B, word[0], D, D, A, rot[0], C, D, B, B, C, rot[1]);
      put("  v%u += v%u + %s; v%u = rotr64(v%u ^ v%u, %uu); v%u += v%u; v%u = rotr64(v%u ^ "
          "v%u, %uu);\n",
          A, B, word[1], D, D, A, rot[2], C, D, B, B, C, rot[3]);
    }
  }
  if (looped)
    put("  }\n");
  put("  s[0] ^= v0 ^ v8; s[1] ^= v1 ^ v9; s[2] ^= v2 ^ v10; s[3] ^= v3 ^ v11;\n");
  put("  s[4] ^= v4 ^ v12; s[5] ^= v5 ^ v13; s[6] ^= v6 ^ v14; s[7] ^= v7 ^ v15;\n");
}

static void gen_ntt(unsigned self)
{
  unsigned which = below(3);
  const struct field *f = &fields[which];
  const char *T = f->type;
  if (which == 0)
    put("  u64 *v = a;\n");
  else
    put("  u32 *v = (u32 *)a;\n");
  put("  u32 n = 1u << (logn & 10u), len, i, j;\n  %s u, t, w, wl;\n", T);
  if (chance(50)) { /* bit reversal permutation */
    put("  for (i = 1, j = 0; i < n; i++) {\n    u32 bit = n >> 1;\n");
    put("    for (; j & bit; bit >>= 1)\n      j ^= bit;\n    j ^= bit;\n");
    put("    if (i < j) {\n      t = v[i];\n      v[i] = v[j];\n      v[j] = t;\n    }\n  }\n");
  }
  if (chance(30)) { /* coset shift */
    put("  w = 1;\n  for (i = 0; i < n; i++) {\n    v[i] = %s(v[i], w);\n    w = %s(w, ", f->mul,
        f->mul);
    felem(f);
    put(");\n  }\n");
  }
  int dif = chance(40), table = chance(50), radix4 = !dif && chance(25);
  if (radix4) {
    put("  for (len = 1; len * 4u <= n; len <<= 2) {\n");
    put("    for (i = 0; i < n; i += 4u * len)\n      for (j = 0; j < len; j++) {\n");
    put("        %s w1 = (%s)(g_tw[(len + j) & 1023u] %% %s), w2 = %s(w1, w1), w3 = %s(w2, w1);\n",
        T, T, f->modulus, f->mul, f->mul);
    put("        %s x0 = v[i + j], x1 = %s(v[i + j + len], w1), x2 = %s(v[i + j + 2u * len], "
        "w2), x3 = %s(v[i + j + 3u * len], w3);\n",
        T, f->mul, f->mul, f->mul);
    put("        %s y0 = %s(x0, x2), y1 = %s(x0, x2), y2 = %s(x1, x3), y3 = %s(%s(x1, x3), ", T,
        f->add, f->sub, f->add, f->mul, f->sub);
    felem(f);
    put(");\n");
    put("        v[i + j] = %s(y0, y2);\n        v[i + j + len] = %s(y1, y3);\n", f->add, f->add);
    put("        v[i + j + 2u * len] = %s(y0, y2);\n        v[i + j + 3u * len] = %s(y1, y3);\n",
        f->sub, f->sub);
    put("      }\n  }\n");
  } else {
    if (dif)
      put("  for (len = n >> 1; len >= 1u; len >>= 1) {\n");
    else
      put("  for (len = 1; len < n; len <<= 1) {\n");
    if (!table) {
      put("    wl = (%s)(g_tw[len & 1023u] %% %s);\n", T, f->modulus);
    }
    put("    for (i = 0; i < n; i += 2u * len) {\n");
    if (!table)
      put("      w = 1;\n");
    put("      for (j = 0; j < len; j++) {\n");
    if (table)
      put("        w = (%s)(g_tw[(len + j) & 1023u] %% %s);\n", T, f->modulus);
    if (dif) {
      put("        u = v[i + j];\n        t = v[i + j + len];\n");
      put("        v[i + j] = %s(u, t);\n        v[i + j + len] = %s(%s(u, t), w);\n", f->add,
          f->mul, f->sub);
    } else {
      put("        u = v[i + j];\n        t = %s(v[i + j + len], w);\n", f->mul);
      put("        v[i + j] = %s(u, t);\n        v[i + j + len] = %s(u, t);\n", f->add, f->sub);
    }
    if (!table)
      put("        w = %s(w, wl);\n", f->mul);
    put("      }\n    }\n");
    if (dif)
      put("    if (len == 1u)\n      break;\n");
    put("  }\n");
  }
  if (chance(50)) { /* scale by 1/n */
    put("  t = ");
    felem(f);
    put(";\n  for (i = 0; i < n; i++)\n    v[i] = %s(v[i], t);\n", f->mul);
  }
}

static void float_stmt(const scope *s, const char *const *wr, unsigned nwr, int depth, int level)
{
  const char *v = wr[below(nwr)];
  indent(depth);
  switch (below(level > 1 ? 5 : 8)) {
  case 0:
  case 1:
  case 2:
    put("%s %s= ", v, chance(60) ? "" : chance(50) ? "+" : "*");
    fexpr_avoid(s, "i", (int)between(1, 4), v);
    put(";\n");
    break;
  case 3:
    put("f = f * %u.25f + (float)", between(0, 3));
    fexpr(s, "i", 2);
    put(";\n");
    break;
  case 4:
    if (chance(50)) {
      unsigned stride = between(1, 7), offset = below(1024);
      put("g_f64[(i * %uu + %uu) & 1023u] = ", stride, offset);
      fexpr(s, "i", 2);
    } else {
      put("g_f32[(i + %uu) & 1023u] = (float)", below(1024));
      fexpr(s, "i", 2);
    }
    put(";\n");
    break;
  case 5:
    put("if (");
    const char *l = fexpr_avoid(s, "i", 2, NULL);
    put(chance(50) ? " < " : " >= ");
    fexpr_avoid(s, "i", 2, l);
    put(") {\n");
    for (unsigned k = between(1, 2); k > 0; k--)
      float_stmt(s, wr, nwr, depth + 1, level + 1);
    indent(depth);
    put("} else {\n");
    for (unsigned k = between(1, 2); k > 0; k--)
      float_stmt(s, wr, nwr, depth + 1, level + 1);
    indent(depth);
    put("}\n");
    break;
  case 6: { /* small matrix product in memory */
    unsigned dim = between(2, 4), b1 = below(900), b2 = below(900), b3 = below(900);
    put("for (mi = 0; mi < %uu; mi++)\n", dim);
    indent(depth);
    put("  for (mj = 0; mj < %uu; mj++) {\n", dim);
    indent(depth);
    put("    double acc = 0.0;\n");
    indent(depth);
    put("    for (mk = 0; mk < %uu; mk++)\n", dim);
    indent(depth);
    put("      acc += g_f64[%uu + mi * %uu + mk] * g_f64[%uu + mk * %uu + mj];\n", b1, dim, b2,
        dim);
    indent(depth);
    put("    g_f64[%uu + mi * %uu + mj] = acc;\n", b3, dim);
    indent(depth);
    put("    %s += acc;\n", v);
    indent(depth);
    put("  }\n");
    break;
  }
  default: /* Newton iteration */
    put("for (mk = 0; mk < %uu; mk++)\n", between(3, 8));
    indent(depth);
    put("  %s = 0.5 * (%s + (__builtin_fabs(", v, v);
    fexpr(s, "i", 1);
    put(") + 1.0) / (__builtin_fabs(%s) + 1e-9));\n", v);
    break;
  }
}

static void gen_float(unsigned self)
{
  static const char *const rd[] = {"x", "y", "p", "q", "r", "p", "q"};
  static const char *const wr[] = {"p", "q", "r", "x"};
  scope s = {rd, 7};
  put("  double p = x * ");
  fconst();
  put(", q = y + ");
  fconst();
  put(", r = ");
  fconst();
  put(";\n  float f = (float)x;\n  u32 i, mi, mj, mk;\n");
  for (unsigned loops = chance(40) ? 2 : 1; loops > 0; loops--) {
    put("  for (i = 0; i < (n & %uu); i++) {\n", between(7, 63));
    for (unsigned k = between(3, 10); k > 0; k--)
      float_stmt(&s, wr, 4, 2, 1);
    put("  }\n");
  }
  unsigned degree = between(3, 12);
  put("  r = ");
  for (unsigned k = 0; k < degree; k++)
    put("(");
  fconst();
  for (unsigned k = 0; k < degree; k++) {
    put(" * p + ");
    fconst();
    put(")");
  }
  put(";\n");
  long callee = chance(30) ? earlier_of_kind(K_FLOAT, self) : -1;
  if (callee >= 0) {
    char name[32];
    func_name(name, sizeof name, (unsigned)callee);
    put("  q += %s(p, r, n >> 1);\n", name);
  }
  put("  return p + q + r + (double)f;\n");
}

static void gen_switch(unsigned self)
{
  static const char *const rd[] = {"acc", "t", "state", "in", "acc"};
  static const char *const wr[] = {"acc", "t", "acc"};
  scope s = {rd, 5};
  int_ctx c = {&s, wr, 3, "j", self};
  unsigned ncases = between(4, 48);
  int sparse = chance(20);
  unsigned values[48];
  for (unsigned i = 0; i < ncases; i++)
    values[i] = sparse ? (i ? values[i - 1] : 0) + between(2, 500) : i;
  put("  u32 acc = in, t = ");
  const32();
  put(", step, j;\n");
  put("  for (step = 0; step < (in & %uu) + 4u; step++) {\n", between(7, 63));
  put("    switch (state) {\n");
  for (unsigned i = 0; i < ncases; i++) {
    put("    case %uu:\n", values[i]);
    int_block(&c, 3, 1, between(1, 3));
    unsigned next = below(3);
    if (next == 0)
      put("      state = %uu;\n", values[below(ncases)]);
    else if (next == 1 && !sparse)
      put("      state = (acc >> %uu) %% %uu;\n", between(0, 20), ncases);
    else {
      unsigned odd = values[below(ncases)], even = values[below(ncases)];
      put("      state = acc & 1u ? %uu : %uu;\n", odd, even);
    }
    put("      break;\n");
  }
  put("    default:\n      state = acc %% %uu;\n", sparse ? values[ncases - 1] + 1 : ncases);
  put("      t ^= state;\n      break;\n    }\n  }\n");
  put("  return acc ^ (t << %uu);\n", between(1, 7));
}

static void gen_struct(unsigned self)
{
  put("  u64 h = k;\n  u32 i, j;\n  struct rec *p, tmp;\n");
  put("  for (i = 0; i < (n & 255u); i++) {\n");
  put("    p = &r[(i * %uu + k) & 255u];\n", between(1, 255) | 1u);
  unsigned nst = between(4, 12);
  for (unsigned s = 0; s < nst; s++) {
    switch (below(9)) {
    case 0:
      put("    p->small = (int16_t)(p->small + (int16_t)%u);\n", between(1, 900));
      break;
    case 1: {
      unsigned flag = 1u << below(8), scale = between(0, 4), step = between(1, 9);
      put("    if (p->flags & %uu) {\n      p->weight = p->weight * %u.5 + (double)p->small;\n"
          "      p->kind = (u8)(p->kind + %uu);\n    }\n",
          flag, scale, step);
      break;
    }
    case 2: {
      uint64_t mul = rnd() | 1u;
      put("    h = (h ^ p->key) * 0x%016" PRIx64 "ull;\n    h ^= h >> %uu;\n", mul,
          between(17, 47));
      break;
    }
    case 3:
      put("    p->next = (int32_t)((h >> %uu) & 255u) - (int32_t)(p->flags & 1u);\n",
          between(0, 40));
      break;
    case 4:
      put("    for (j = %uu; j-- && p->next >= 0;)\n      p = &r[p->next & 255];\n", between(2, 9));
      break;
    case 5:
      put("    p->ratio = p->ratio * %u.5f + (float)p->id;\n    p->id ^= (u32)p->key;\n",
          between(0, 3));
      break;
    case 6: /* one step of an insertion sort by key */
      put("    for (j = i & 255u; j > 0u && r[j - 1u].key > r[j].key; j--) {\n");
      put("      tmp = r[j];\n      r[j] = r[j - 1u];\n      r[j - 1u] = tmp;\n    }\n");
      break;
    case 7:
      put("    switch (p->kind & 3u) {\n    case 0:\n      h += p->id;\n      break;\n"
          "    case 1:\n      h ^= (u64)(int64_t)p->small;\n      break;\n    case 2:\n"
          "      h -= (u64)(int64_t)clampi(p->weight);\n      break;\n    default:\n"
          "      h = rotr64(h, %uu);\n      break;\n    }\n",
          between(1, 63));
      break;
    default:
      put("    p->key += h + 0x%016" PRIx64 "ull;\n    p->flags ^= (u8)h;\n", rnd());
      break;
    }
  }
  put("  }\n  return h;\n");
}

static void gen_dispatch(unsigned self)
{
  char name[32];
  unsigned nf = between(2, 12), ni = between(2, 8), ns = between(1, 4);
  long fsel[12], isel[8], ssel[4];
  unsigned kf = 0, ki = 0, ks = 0;
  for (unsigned i = 0; i < nf; i++)
    if ((fsel[kf] = earlier_of_kind(K_FIELD, self)) >= 0)
      kf++;
  for (unsigned i = 0; i < ni; i++)
    if ((isel[ki] = earlier_of_kind(K_INT, self)) >= 0)
      ki++;
  for (unsigned i = 0; i < ns; i++)
    if ((ssel[ks] = earlier_of_kind(K_SWITCH, self)) >= 0)
      ks++;
  if (kf) {
    put("  static u64 (*const tf[%u])(u64, u64) = {", kf);
    for (unsigned i = 0; i < kf; i++) {
      func_name(name, sizeof name, (unsigned)fsel[i]);
      put("%s%s", i ? ", " : "", name);
    }
    put("};\n");
  }
  if (ki) {
    put("  static u32 (*const ti[%u])(u32, u32, u32) = {", ki);
    for (unsigned i = 0; i < ki; i++) {
      func_name(name, sizeof name, (unsigned)isel[i]);
      put("%s%s", i ? ", " : "", name);
    }
    put("};\n");
  }
  if (ks) {
    /* a "vtable": a struct of function pointers */
    put("  static const struct ops o = {");
    for (unsigned i = 0; i < 2; i++) {
      func_name(name, sizeof name, (unsigned)ssel[i % ks]);
      put("%s%s", i ? ", " : "", name);
    }
    put("};\n");
  }
  put("  u64 acc = x ^ ");
  const64();
  put(";\n  u32 i;\n");
  put("  for (i = 0; i < (sel & %uu) + 1u; i++) {\n", between(3, 31));
  if (kf)
    put("    acc = tf[(sel + i) %% %uu](acc, (u64)i * 0x%016" PRIx64 "ull);\n", kf, rnd());
  if (ki)
    put("    if (acc & %uu)\n      acc ^= ti[(u32)acc %% %uu]((u32)acc, sel, i);\n",
        1u << below(16), ki);
  if (ks)
    put("    acc += (acc & 1u ? o.step : o.reset)((u32)(acc >> %uu), i);\n", between(1, 40));
  unsigned rot = between(1, 63);
  put("    acc = rotr64(acc, %uu) + 0x%016" PRIx64 "ull;\n", rot, rnd());
  put("  }\n  return acc;\n");
}

static void (*const generators[K_COUNT])(unsigned) = {
    [K_INT] = gen_int,       [K_FIELD] = gen_field,   [K_SHA] = gen_sha,
    [K_BLAKE] = gen_blake,   [K_NTT] = gen_ntt,       [K_FLOAT] = gen_float,
    [K_SWITCH] = gen_switch, [K_STRUCT] = gen_struct, [K_DISPATCH] = gen_dispatch,
};

/* ---- files ---- */

static const char header_text[] =
    "/* Generated by bench/gen_program.c; do not edit. */\n"
    "#ifndef PROG_H\n#define PROG_H\n"
    "#include <stdint.h>\n"
    "typedef uint8_t u8;\ntypedef uint32_t u32;\ntypedef uint64_t u64;\n"
    "struct rec {\n  u32 id;\n  int16_t small;\n  u8 flags;\n  u8 kind;\n  double weight;\n"
    "  u64 key;\n  float ratio;\n  int32_t next;\n};\n"
    "struct ops {\n  u32 (*step)(u32, u32);\n  u32 (*reset)(u32, u32);\n};\n"
    "extern u32 g_u32[4096];\nextern u64 g_u64[4096];\nextern u8 g_u8[4096];\n"
    "extern int8_t g_i8[4096];\nextern int16_t g_i16[2048];\nextern double g_f64[1024];\n"
    "extern float g_f32[1024];\nextern struct rec g_rec[256];\nextern const u64 g_tw[1024];\n"
    "extern const u32 g_k32[64];\n"
    "static inline u32 rotl32(u32 x, unsigned k) { return (x << (k & 31u)) | (x >> ((32u - k) & "
    "31u)); }\n"
    "static inline u32 rotr32(u32 x, unsigned k) { return (x >> (k & 31u)) | (x << ((32u - k) & "
    "31u)); }\n"
    "static inline u64 rotl64(u64 x, unsigned k) { return (x << (k & 63u)) | (x >> ((64u - k) & "
    "63u)); }\n"
    "static inline u64 rotr64(u64 x, unsigned k) { return (x >> (k & 63u)) | (x << ((64u - k) & "
    "63u)); }\n"
    "static inline int32_t clampi(double d) {\n"
    "  return (int32_t)(d < -1e9 ? -1e9 : d > 1e9 ? 1e9 : d == d ? d : 0.0);\n}\n"
    "/* high half of a 64x64-bit product from 32-bit limbs */\n"
    "static inline u64 mul64hi(u64 a, u64 b) {\n"
    "  u64 a0 = (u32)a, a1 = a >> 32, b0 = (u32)b, b1 = b >> 32;\n"
    "  u64 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;\n"
    "  u64 mid = (p00 >> 32) + (u32)p01 + (u32)p10;\n"
    "  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);\n}\n"
    "/* Goldilocks: p = 2^64 - 2^32 + 1 */\n"
    "#define GL_P 0xffffffff00000001ull\n"
    "static inline u64 gl_add(u64 a, u64 b) {\n"
    "  u64 r = a + b;\n  if (r < a) r += 0xffffffffull;\n  return r >= GL_P ? r - GL_P : r;\n}\n"
    "static inline u64 gl_sub(u64 a, u64 b) {\n"
    "  u64 r = a - b;\n  return a < b ? r + GL_P : r;\n}\n"
    "static inline u64 gl_mul(u64 a, u64 b) {\n"
    "  u64 lo = a * b, hi = mul64hi(a, b);\n"
    "  u64 hh = hi >> 32, hl = hi & 0xffffffffull;\n"
    "  u64 t0 = lo - hh;\n  if (lo < hh) t0 -= 0xffffffffull;\n"
    "  u64 t1 = hl * 0xffffffffull;\n  u64 r = t0 + t1;\n  if (r < t1) r += 0xffffffffull;\n"
    "  return r;\n}\n"
    "/* BabyBear in Montgomery form: p = 15 * 2^27 + 1 */\n"
    "#define BB_P 0x78000001u\n"
    "static inline u32 bb_add(u32 a, u32 b) { u32 r = a + b; return r >= BB_P ? r - BB_P : r; }\n"
    "static inline u32 bb_sub(u32 a, u32 b) { u32 r = a - b; return a < b ? r + BB_P : r; }\n"
    "static inline u32 bb_mul(u32 a, u32 b) {\n"
    "  u64 x = (u64)a * b;\n  u64 t = (u64)((u32)x * 0x88000001u);\n  u64 u = t * BB_P;\n"
    "  u32 hi = (u32)((x - u) >> 32);\n  return x < u ? hi + BB_P : hi;\n}\n"
    "/* Mersenne-31: p = 2^31 - 1 */\n"
    "#define M31_P 0x7fffffffu\n"
    "static inline u32 m31_add(u32 a, u32 b) { u32 r = a + b; return r >= M31_P ? r - M31_P : r; "
    "}\n"
    "static inline u32 m31_sub(u32 a, u32 b) { u32 r = a - b; return a < b ? r + M31_P : r; }\n"
    "static inline u32 m31_mul(u32 a, u32 b) {\n"
    "  u64 p = (u64)a * b;\n  u32 r = (u32)(p & M31_P) + (u32)(p >> 31);\n"
    "  return r >= M31_P ? r - M31_P : r;\n}\n";

static void write_header(const char *dir)
{
  char name[32], proto[128];
  open_out(dir, "prog.h");
  put("%s", header_text);
  for (unsigned i = 0; i < nfuncs; i++) {
    func_name(name, sizeof name, i);
    snprintf(proto, sizeof proto, kinds[func_kind[i]].signature, name);
    put("%s;\n", proto);
  }
  put("#endif\n");
  close_out();
}

static void write_main(const char *dir)
{
  char name[32], decl[128], table[32];
  open_out(dir, "main.c");
  put("/* Generated by bench/gen_program.c; do not edit. */\n#include \"prog.h\"\n");
  put("u32 g_u32[4096];\nu64 g_u64[4096];\nu8 g_u8[4096];\nint8_t g_i8[4096];\n"
      "int16_t g_i16[2048];\ndouble g_f64[1024];\nfloat g_f32[1024];\nstruct rec g_rec[256];\n");
  put("const u64 g_tw[1024] = {");
  for (int i = 0; i < 1024; i++)
    put("%s0x%016" PRIx64 "ull",
        i == 0  ? "\n  "
        : i % 4 ? ", "
                : ",\n  ",
        rnd() % (uint64_t)0xffffffff00000001ull);
  put("};\nconst u32 g_k32[64] = {");
  for (int i = 0; i < 64; i++)
    put("%s0x%08" PRIx32 "u", i == 0 ? "\n  " : i % 8 ? ", " : ",\n  ", (uint32_t)rnd());
  put("};\n");
  for (int k = 0; k < K_COUNT; k++) {
    if (!kind_total[k])
      continue;
    snprintf(table, sizeof table, "tab_%s[%u]", kinds[k].prefix, kind_total[k]);
    snprintf(decl, sizeof decl, kinds[k].pointer_type, table);
    put("static %s = {", decl);
    unsigned col = 0;
    for (unsigned i = 0; i < nfuncs; i++) {
      if (func_kind[i] != k)
        continue;
      func_name(name, sizeof name, i);
      put("%s%s", col == 0 ? "\n  " : col % 8 ? ", " : ",\n  ", name);
      col++;
    }
    put("};\n");
  }
  put("/* The one export: calls function i of the kind chosen by sel. */\n");
  put("__attribute__((export_name(\"run\"))) u64 run(u32 sel, u64 x);\n");
  put("u64 run(u32 sel, u64 x) {\n  u32 i = sel / %uu;\n  switch (sel %% %uu) {\n", K_COUNT,
      K_COUNT);
  for (int k = 0; k < K_COUNT; k++) {
    if (!kind_total[k])
      continue;
    snprintf(table, sizeof table, "tab_%s", kinds[k].prefix);
    snprintf(decl, sizeof decl, kinds[k].run_call, table, kind_total[k]);
    put("  case %d: {\n    %s\n  }\n", k, decl);
  }
  put("  default:\n    return 0;\n  }\n}\n");
  close_out();
}

static void write_part(const char *dir, unsigned part, unsigned first, unsigned end)
{
  char file[32], name[32], proto[128];
  snprintf(file, sizeof file, "part_%02u.c", part);
  open_out(dir, file);
  put("/* Generated by bench/gen_program.c; do not edit. */\n#include \"prog.h\"\n");
  for (unsigned i = first; i < end; i++) {
    func_name(name, sizeof name, i);
    snprintf(proto, sizeof proto, kinds[func_kind[i]].signature, name);
    put("\n%s {\n", proto);
    generators[func_kind[i]](i);
    put("}\n");
  }
  close_out();
}

static unsigned parse_count(const char *s, const char *what, unsigned max)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 0);
  if (errno || *end || end == s || v == 0 || v > max) {
    fprintf(stderr, "gen_program: %s must be a number from 1 to %u, not '%s'\n", what, max, s);
    exit(2);
  }
  return (unsigned)v;
}

int main(int argc, char **argv)
{
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: gen_program OUTDIR PARTS FUNCTIONS [SEED]\n");
    return 2;
  }
  const char *dir = argv[1];
  unsigned parts = parse_count(argv[2], "PARTS", 99);
  nfuncs = parse_count(argv[3], "FUNCTIONS", 99999);
  rng_state = 0x5eed2024u;
  if (argc == 5) {
    char *end;
    errno = 0;
    rng_state = strtoull(argv[4], &end, 0);
    if (errno || *end || end == argv[4]) {
      fprintf(stderr, "gen_program: SEED must be a number, not '%s'\n", argv[4]);
      return 2;
    }
  }

  func_kind = malloc(nfuncs);
  if (!func_kind) {
    fprintf(stderr, "gen_program: out of memory\n");
    return 1;
  }
  unsigned weight_sum = 0;
  for (int k = 0; k < K_COUNT; k++)
    weight_sum += kinds[k].weight;
  for (unsigned i = 0; i < nfuncs; i++) {
    unsigned w = below(weight_sum);
    int k = 0;
    while (w >= kinds[k].weight)
      w -= kinds[k++].weight;
    func_kind[i] = (unsigned char)k;
    kind_total[k]++;
  }

  write_header(dir);
  for (unsigned p = 0; p < parts; p++)
    write_part(dir, p, (unsigned)((uint64_t)nfuncs * p / parts),
               (unsigned)((uint64_t)nfuncs * (p + 1) / parts));
  write_main(dir);
  free(func_kind);
  return 0;
}
