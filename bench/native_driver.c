/*
 * native_driver.c - runs one kernel of bench/kernels/ compiled natively (linked into this
 * program) and prints "seconds checksum": the CLOCK_MONOTONIC wall time of one call of
 * bench_run(n) and the checksum it returned, in decimal.
 *
 *   native_driver N           time bench_run(N)
 *   native_driver --selftest  run the kernel's bench_selftest() (known answers); prints
 *                             "selftest ok" and exits 0, or "selftest failed: check K", exit 1
 *
 * Built by scripts/bench-kernels.sh: gcc -O2 bench/native_driver.c bench/kernels/K.c.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_run(uint32_t n);
int bench_selftest(void);

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: %s N | --selftest\n", argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "--selftest") == 0) {
    int failed = bench_selftest();
    if (failed) {
      printf("selftest failed: check %d\n", failed);
      return 1;
    }
    printf("selftest ok\n");
    return 0;
  }
  char *end;
  unsigned long n = strtoul(argv[1], &end, 10);
  if (*end || end == argv[1] || n > UINT32_MAX) {
    fprintf(stderr, "%s: N must be an integer from 0 to %u\n", argv[0], (unsigned)UINT32_MAX);
    return 2;
  }
  double t0 = now_seconds();
  uint64_t checksum = bench_run((uint32_t)n);
  double t1 = now_seconds();
  printf("%.6f %llu\n", t1 - t0, (unsigned long long)checksum);
  return 0;
}
