/*
 * matmul.c - dense 200x200 matrix products: IEEE double, and integers modulo the Mersenne
 * prime 2^31 - 1 (the field of Circle STARKs and Plonky3's M31).
 *
 * bench_run(n): n rounds; round r fills A and B from formulas of (i, k, r) (the doubles
 * through a division each, so that products round), computes C = A B in both kinds (i-k-j
 * loop order, accumulating in C's row), and folds the bits of every entry of both C into the
 * checksum. Work: O(n * 2 * 200^3) multiply-adds.
 *
 * Doubles: the sum for each entry runs k = 0, 1, ... in order, without fused multiply-add
 * (WebAssembly has none; the native build uses -ffp-contract=off), so every engine gets the
 * same bits. M31: products of entries below 2^31 are below 2^62; the row accumulators are
 * folded (x mod 2^31 + x / 2^31) after each k, which keeps them below 2^33, so the next
 * product cannot overflow 64 bits; a full reduction at the end of the row.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks bench_run(1) against the python3 model in model.py (python floats are
 * IEEE doubles); returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

#define DIM 200

static const uint64_t M31 = 0x7fffffffu;

static double fa[DIM][DIM], fb[DIM][DIM], fc[DIM][DIM];
static uint32_t ua[DIM][DIM], ub[DIM][DIM], uc[DIM][DIM];
static uint64_t urow[DIM];

static void fill(uint32_t r)
{
  for (uint32_t i = 0; i < DIM; i++) {
    for (uint32_t k = 0; k < DIM; k++) {
      fa[i][k] = (double)((i * 31 + k * 17 + r) % 101) / 7.0 - 7.0;
      fb[i][k] = 3.0 / (double)((i * 13 + k * 7 + 2 * r) % 97 + 1);
      uint64_t x = (uint64_t)(i + 1) * 0x9e3779b1u + (uint64_t)(k + 7) * 0x85ebca6bu + r;
      ua[i][k] = (uint32_t)((x * x) % M31);
      ub[i][k] = (uint32_t)((x * 0xc2b2ae35u + (x >> 7)) % M31);
    }
  }
}

static void matmul_f64(void)
{
  for (uint32_t i = 0; i < DIM; i++) {
    double *row = fc[i];
    double a0 = fa[i][0];
    for (uint32_t j = 0; j < DIM; j++)
      row[j] = a0 * fb[0][j];
    for (uint32_t k = 1; k < DIM; k++) {
      double a = fa[i][k];
      for (uint32_t j = 0; j < DIM; j++)
        row[j] += a * fb[k][j];
    }
  }
}

static void matmul_m31(void)
{
  for (uint32_t i = 0; i < DIM; i++) {
    uint64_t a0 = ua[i][0];
    for (uint32_t j = 0; j < DIM; j++)
      urow[j] = a0 * ub[0][j];
    for (uint32_t k = 1; k < DIM; k++) {
      uint64_t a = ua[i][k];
      for (uint32_t j = 0; j < DIM; j++) {
        uint64_t x = urow[j];
        urow[j] = (x & M31) + (x >> 31) + a * ub[k][j];
      }
    }
    for (uint32_t j = 0; j < DIM; j++) {
      uint64_t x = urow[j];
      x = (x & M31) + (x >> 31); /* < 2^33 */
      x = (x & M31) + (x >> 31); /* < 2^31 + 4 */
      uc[i][j] = (uint32_t)(x >= M31 ? x - M31 : x);
    }
  }
}

static uint64_t f64_bits(double d)
{
  union {
    double d;
    uint64_t u;
  } v;
  v.d = d;
  return v.u;
}

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  uint64_t checksum = 0;
  for (uint32_t r = 0; r < n; r++) {
    fill(r);
    matmul_f64();
    matmul_m31();
    for (uint32_t i = 0; i < DIM; i++) {
      for (uint32_t j = 0; j < DIM; j++) {
        checksum = ((checksum << 5) | (checksum >> 59)) ^ f64_bits(fc[i][j]);
        checksum = ((checksum << 3) | (checksum >> 61)) ^ uc[i][j];
      }
    }
  }
  return checksum;
}

int bench_selftest(void);
int bench_selftest(void)
{
  if (bench_run(1) != 0x4776a597d81456f5ull)
    return 1;
  return 0;
}
