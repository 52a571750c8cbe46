/*
 * montgomery.c - Montgomery multiplication of 256-bit integers (4 x 64-bit limbs, CIOS:
 * coarsely integrated operand scanning) modulo the BN254 base field prime
 * p = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47.
 *
 * bench_run(n): n modular inversions by Fermat, x^(p-2), each a square-and-multiply chain of
 * about 380 Montgomery products; each inverse y is checked (x * y must be one), folded into
 * the checksum, and the next x is x + y. Work: O(n * 380) 256-bit Montgomery products.
 *
 * The 64x64 -> 128-bit products are built from 32-bit limbs: clang lowers `unsigned __int128`
 * multiplication for wasm32 to a call of __multi3 (compiler-rt), which would make the module
 * import it. Every engine, native included, runs the same limb code. The final conditional
 * subtraction is branch-free (a mask), as in constant-time field code.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks products, powers and bench_run(3) against values computed with python3
 * integers; returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

typedef struct fe {
  uint64_t l[4]; /* little-endian limbs */
} fe;

static const fe P = {
    {0x3c208c16d87cfd47ull, 0x97816a916871ca8dull, 0xb85045b68181585dull, 0x30644e72e131a029ull}};

static uint64_t p_inv; /* -p^-1 mod 2^64 */
static fe r2;          /* 2^512 mod p: converts into Montgomery form */
static fe one_m;       /* 2^256 mod p: one in Montgomery form */

/* 64x64 -> 128-bit product from four 32x32 -> 64-bit products. */
static inline void mul_wide(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* a * b + c + d as hi:lo; never overflows 128 bits. */
static inline uint64_t mul_add2(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t *hi)
{
  uint64_t lo, h;
  mul_wide(a, b, &lo, &h);
  lo += c;
  h += lo < c;
  lo += d;
  h += lo < d;
  *hi = h;
  return lo;
}

/* r = a - p when a >= p (a < 2p as a 257-bit value with top bit `carry`), else a. */
static inline fe reduce_once(const uint64_t a[4], uint64_t carry)
{
  fe d;
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t t = a[i] - P.l[i];
    uint64_t b1 = a[i] < P.l[i];
    d.l[i] = t - borrow;
    borrow = b1 | (t < borrow);
  }
  /* Keep a when it was below p: borrow out of the subtraction and no carry in. */
  uint64_t keep = -(uint64_t)(borrow & (carry ^ 1));
  fe r;
  for (int i = 0; i < 4; i++)
    r.l[i] = (a[i] & keep) | (d.l[i] & ~keep);
  return r;
}

/* a * b * 2^-256 mod p, for a, b < p (CIOS). */
static fe mont_mul(const fe *a, const fe *b)
{
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    uint64_t c = 0;
    for (int j = 0; j < 4; j++)
      t[j] = mul_add2(a->l[j], b->l[i], t[j], c, &c);
    t[4] += c;
    t[5] = t[4] < c;
    uint64_t m = t[0] * p_inv;
    mul_add2(m, P.l[0], t[0], 0, &c);
    for (int j = 1; j < 4; j++)
      t[j - 1] = mul_add2(m, P.l[j], t[j], c, &c);
    t[3] = t[4] + c;
    t[4] = t[5] + (t[3] < c);
  }
  return reduce_once(t, t[4]);
}

static fe mod_add(const fe *a, const fe *b)
{
  uint64_t s[4], carry = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t t = a->l[i] + carry;
    uint64_t c1 = t < carry;
    s[i] = t + b->l[i];
    carry = c1 | (s[i] < t);
  }
  return reduce_once(s, carry);
}

static int fe_equal(const fe *a, const fe *b)
{
  return ((a->l[0] ^ b->l[0]) | (a->l[1] ^ b->l[1]) | (a->l[2] ^ b->l[2]) | (a->l[3] ^ b->l[3])) ==
         0;
}

static void init_constants(void)
{
  /* Newton's iteration doubles the correct low bits: 1 -> 2 -> ... -> 64 (p is odd). */
  uint64_t inv = 1;
  for (int i = 0; i < 6; i++)
    inv *= 2 - P.l[0] * inv;
  p_inv = -inv;
  /* 2^512 mod p by 512 modular doublings of 1; 2^256 mod p on the way. */
  fe x = {{1, 0, 0, 0}};
  for (int i = 1; i <= 512; i++) {
    x = mod_add(&x, &x);
    if (i == 256)
      one_m = x;
  }
  r2 = x;
}

static fe to_mont(const fe *a) { return mont_mul(a, &r2); }

static fe from_mont(const fe *a)
{
  static const fe one = {{1, 0, 0, 0}};
  return mont_mul(a, &one);
}

/* base^e in Montgomery form, e a 256-bit exponent, left to right. */
static fe mont_pow(const fe *base, const fe *e)
{
  fe r = one_m;
  for (int i = 255; i >= 0; i--) {
    r = mont_mul(&r, &r);
    if ((e->l[i >> 6] >> (i & 63)) & 1)
      r = mont_mul(&r, base);
  }
  return r;
}

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  init_constants();
  fe p_minus_2 = P;
  p_minus_2.l[0] -= 2;
  fe x0 = {
      {0x0123456789abcdefull, 0xfedcba9876543210ull, 0x0f1e2d3c4b5a6978ull, 0x1122334455667788ull}};
  fe x = to_mont(&x0);
  uint64_t checksum = 0;
  for (uint32_t i = 0; i < n; i++) {
    fe y = mont_pow(&x, &p_minus_2);
    fe check = mont_mul(&x, &y);
    if (!fe_equal(&check, &one_m))
      checksum += 0x1000000000001ull;
    fe plain = from_mont(&y);
    for (int k = 0; k < 4; k++)
      checksum = ((checksum << 13) | (checksum >> 51)) ^ plain.l[k];
    x = mod_add(&x, &y);
  }
  return checksum;
}

int bench_selftest(void);
int bench_selftest(void)
{
  init_constants();
  /* Constants and expected values below: python3 integers (pow, %). */
  static const fe one_expect = {
      {0xd35d438dc58f0d9dull, 0x0a78eb28f5c70b3dull, 0x666ea36f7879462cull, 0x0e0a77c19a07df2full}};
  static const fe r2_expect = {
      {0xf32cfc5b538afa89ull, 0xb5e71911d44501fbull, 0x47ab1eff0a417ff6ull, 0x06d89f71cab8351full}};
  if (p_inv != 0x87d20782e4866389ull || !fe_equal(&one_m, &one_expect) ||
      !fe_equal(&r2, &r2_expect))
    return 1;
  /* a * b mod p through Montgomery form. */
  static const fe a = {
      {0x0123456789abcdefull, 0xfedcba9876543210ull, 0x0f1e2d3c4b5a6978ull, 0x1122334455667788ull}};
  static const fe b = {
      {0xffffffffffffffffull, 0x0000000000000001ull, 0x8000000000000000ull, 0x2fffffffffffffffull}};
  static const fe ab = {
      {0x8203473f582d3b34ull, 0x9d0e474395a298d2ull, 0x6fbf7810d24e856full, 0x00a4bcd88d588058ull}};
  fe am = to_mont(&a), bm = to_mont(&b);
  fe prod = mont_mul(&am, &bm);
  fe got = from_mont(&prod);
  if (!fe_equal(&got, &ab))
    return 2;
  /* p - 1 squared is 1. */
  fe pm1 = P;
  pm1.l[0] -= 1;
  fe pm1m = to_mont(&pm1);
  prod = mont_mul(&pm1m, &pm1m);
  got = from_mont(&prod);
  static const fe one = {{1, 0, 0, 0}};
  if (!fe_equal(&got, &one))
    return 3;
  /* a^e mod p for a 256-bit e. */
  static const fe e = {
      {0xdeadbeefcafebabeull, 0x0011223344556677ull, 0x8899aabbccddeeffull, 0xf0e1d2c3b4a59687ull}};
  static const fe ae = {
      {0x468a713f80ce4425ull, 0x72b3ee40e0da2be2ull, 0x0771617869a7b09eull, 0x1dc2db816764e670ull}};
  fe pw = mont_pow(&am, &e);
  got = from_mont(&pw);
  if (!fe_equal(&got, &ae))
    return 4;
  /* bench_run against a python3 model (model.py) of it. */
  if (bench_run(3) != 0x18abb163c55bc77dull)
    return 5;
  return 0;
}
