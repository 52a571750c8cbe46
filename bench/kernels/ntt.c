/*
 * ntt.c - number-theoretic transform over the Goldilocks field, p = 2^64 - 2^32 + 1.
 *
 * bench_run(n): n rounds; each fills 2^16 field elements from a PRNG seeded by the round,
 * runs the forward transform (iterative radix-2 Cooley-Tukey after a bit-reversal
 * permutation), folds every output into the checksum, runs the inverse transform (inverse
 * twiddles, then scaling by 2^-16) and checks that it gives the input back (each element that
 * does not adds a large constant to the checksum). Work: O(n * 2^16 * 16).
 *
 * The 64x64 -> 128-bit products are built from 32-bit limbs: clang lowers `unsigned __int128`
 * multiplication for wasm32 to a call of __multi3 (compiler-rt), which would make the module
 * import it. Every engine, native included, runs the same limb code.
 *
 * The modular reductions are branch-free (masks), as in constant-time field code; data-
 * dependent branches on random field elements would mostly measure branch misprediction.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks field arithmetic at the edges, the forward transform against its
 * definition at a few points, inverse(forward(x)) == x, and bench_run(2) against a python3
 * model; returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

#define LOG_N 16
#define N (1u << LOG_N)

static const uint64_t P = 0xffffffff00000001ull;
static const uint64_t EPSILON = 0xffffffffull; /* 2^64 mod p */

static uint64_t data[N];
static uint64_t input[N];
static uint64_t twiddle[N / 2];     /* w^k, w a primitive 2^16-th root of unity */
static uint64_t twiddle_inv[N / 2]; /* w^-k */

/* 64x64 -> 128-bit product from four 32x32 -> 64-bit products. */
static inline void mul_wide(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* hi * 2^64 + lo mod p, canonical (< p). */
static inline uint64_t reduce128(uint64_t lo, uint64_t hi)
{
  uint64_t hi_hi = hi >> 32, hi_lo = hi & EPSILON;
  uint64_t t0 = lo - hi_hi; /* 2^96 = -1 mod p */
  t0 -= EPSILON & -(uint64_t)(lo < hi_hi);
  uint64_t t1 = hi_lo * EPSILON; /* 2^64 = 2^32 - 1 mod p */
  uint64_t r = t0 + t1;
  r += EPSILON & -(uint64_t)(r < t1);
  return r - (P & -(uint64_t)(r >= P));
}

static inline uint64_t fmul(uint64_t a, uint64_t b)
{
  uint64_t lo, hi;
  mul_wide(a, b, &lo, &hi);
  return reduce128(lo, hi);
}

static inline uint64_t fadd(uint64_t a, uint64_t b)
{
  uint64_t s = a + b;
  s += EPSILON & -(uint64_t)(s < a);
  return s - (P & -(uint64_t)(s >= P));
}

static inline uint64_t fsub(uint64_t a, uint64_t b)
{
  uint64_t d = a - b;
  return d - (EPSILON & -(uint64_t)(a < b));
}

static uint64_t fpow(uint64_t base, uint64_t e)
{
  uint64_t r = 1;
  while (e) {
    if (e & 1)
      r = fmul(r, base);
    base = fmul(base, base);
    e >>= 1;
  }
  return r;
}

static uint64_t splitmix64(uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void init_twiddles(void)
{
  /* 7 generates the multiplicative group; w = 7^((p-1)/2^16) has order 2^16. */
  uint64_t w = fpow(7, (P - 1) >> LOG_N);
  uint64_t w_inv = fpow(w, N - 1);
  uint64_t x = 1, y = 1;
  for (uint32_t k = 0; k < N / 2; k++) {
    twiddle[k] = x;
    twiddle_inv[k] = y;
    x = fmul(x, w);
    y = fmul(y, w_inv);
  }
}

static void bit_reverse(uint64_t *a)
{
  for (uint32_t i = 1, j = 0; i < N; i++) {
    uint32_t bit = N >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j ^= bit;
    if (i < j) {
      uint64_t t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

static void transform(uint64_t *a, const uint64_t *tw)
{
  bit_reverse(a);
  for (uint32_t len = 2, step = N / 2; len <= N; len <<= 1, step >>= 1) {
    uint32_t half = len >> 1;
    for (uint32_t i = 0; i < N; i += len) {
      for (uint32_t j = 0; j < half; j++) {
        uint64_t u = a[i + j];
        uint64_t v = fmul(a[i + j + half], tw[j * step]);
        a[i + j] = fadd(u, v);
        a[i + j + half] = fsub(u, v);
      }
    }
  }
}

static void forward(uint64_t *a) { transform(a, twiddle); }

static void inverse(uint64_t *a)
{
  transform(a, twiddle_inv);
  uint64_t n_inv = P - ((P - 1) >> LOG_N); /* 2^-16 mod p */
  for (uint32_t i = 0; i < N; i++)
    a[i] = fmul(a[i], n_inv);
}

static void fill(uint64_t seed)
{
  uint64_t state = seed;
  for (uint32_t i = 0; i < N; i++) {
    uint64_t x = splitmix64(&state);
    if (x >= P)
      x -= P;
    data[i] = x;
    input[i] = x;
  }
}

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  init_twiddles();
  uint64_t checksum = 0;
  for (uint32_t round = 0; round < n; round++) {
    fill(0x6e7474ull * (round + 1));
    forward(data);
    for (uint32_t i = 0; i < N; i++)
      checksum = ((checksum << 7) | (checksum >> 57)) ^ data[i];
    inverse(data);
    for (uint32_t i = 0; i < N; i++)
      if (data[i] != input[i])
        checksum += 0x1000000000001ull;
  }
  return checksum;
}

int bench_selftest(void);
int bench_selftest(void)
{
  init_twiddles();
  /* w has order exactly 2^16: w^(2^15) = -1. */
  if (fmul(twiddle[N / 2 - 1], twiddle[1]) != P - 1)
    return 1;
  /* Field arithmetic at the edges. */
  if (fmul(P - 1, P - 1) != 1 || fadd(P - 1, 1) != 0 || fsub(0, 1) != P - 1)
    return 2;
  /* (2^32 - 1) * 2^32 = 2^64 - 2^32 = p - 1; 2^64 - 1 reduced is 2^32 - 2. */
  if (fmul(0xffffffffull, 0x100000000ull) != P - 1 || reduce128(~0ull, 0) != EPSILON - 1)
    return 2;
  if (reduce128(~0ull, ~0ull) != 0xfffffffe00000000ull) /* (2^128 - 1) mod p, python3 */
    return 2;
  if (fmul(fpow(3, P - 2), 3) != 1)
    return 3;
  /* Forward transform against the definition X[k] = sum_j x[j] w^(jk) at a few k. */
  fill(12345);
  forward(data);
  static const uint32_t ks[] = {0, 1, 2, 3, 777, N / 2, N - 1};
  uint64_t w = twiddle[1];
  for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
    uint64_t wk = fpow(w, ks[t]), x = 1, sum = 0;
    for (uint32_t j = 0; j < N; j++) {
      sum = fadd(sum, fmul(input[j], x));
      x = fmul(x, wk);
    }
    if (sum != data[ks[t]])
      return 4;
  }
  /* inverse(forward(x)) == x */
  inverse(data);
  for (uint32_t i = 0; i < N; i++)
    if (data[i] != input[i])
      return 5;
  /* bench_run against the python3 model in model.py (python integers). */
  if (bench_run(2) != 0x8895e10b48cd7146ull)
    return 6;
  return 0;
}
