/*
 * validate_bench.c - decode+validate throughput of wasmrt_validate, in MB/s of module bytes.
 *
 * Usage: validate_bench [--seconds S] [--cpu N] [--tsv] FILE...
 *
 * For each FILE: read it whole into memory; validate it once, and if that fails print the
 * library's message, skip the file and exit 1 at the end; warm up for a fifth of S; then run
 * batches of calls for at least S seconds (default 1) and at least 5 batches. A batch is as
 * many back-to-back calls as take about 1 ms, so that the clock's resolution and cost do not
 * matter even when a call is very fast; the time per call of a batch is its CLOCK_MONOTONIC
 * wall time divided by its calls. Reports the best and the median batch as MB/s, where
 * MB = 10^6 bytes of the file.
 *
 * The process is pinned to one CPU (sched_setaffinity): --cpu N, else the first CPU it may
 * run on. --tsv prints one line per file, "path<TAB>bytes<TAB>calls<TAB>best<TAB>median",
 * for scripts; otherwise a table for people.
 *
 * Exit status: 0 when every file validated, 1 when one did not, 2 for usage or I/O errors.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasmrt.h"

typedef struct bench_options {
  double seconds;
  int cpu; /* -1: the first allowed CPU */
  int tsv;
} bench_options;

typedef struct bench_result {
  size_t calls;
  double best_ns;   /* per call */
  double median_ns; /* per call */
} bench_result;

static double now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Reads the whole file into a malloc'd buffer. Returns 0, or -1 after printing why. */
static int read_file(const char *path, uint8_t **data_out, size_t *size_out)
{
  uint8_t *data = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    goto fail;
  if (fseek(f, 0, SEEK_END) != 0)
    goto fail;
  long end = ftell(f);
  if (end < 0 || fseek(f, 0, SEEK_SET) != 0)
    goto fail;
  size_t size = (size_t)end;
  data = malloc(size ? size : 1);
  if (!data)
    goto fail;
  if (fread(data, 1, size, f) != size) {
    if (!ferror(f))
      errno = EIO; /* shrank while reading */
    goto fail;
  }
  fclose(f);
  *data_out = data;
  *size_out = size;
  return 0;

fail:
  fprintf(stderr, "validate_bench: %s: %s\n", path, strerror(errno));
  free(data);
  if (f)
    fclose(f);
  return -1;
}

/* Pins the process to `cpu`, or to the first allowed CPU when it is -1. Returns the CPU, or
 * -1 after printing a warning when pinning failed (the benchmark still runs). */
static int pin_to_cpu(int cpu)
{
  cpu_set_t set;
  if (cpu < 0) {
    if (sched_getaffinity(0, sizeof set, &set) != 0)
      goto fail;
    for (int i = 0; i < CPU_SETSIZE && cpu < 0; i++)
      if (CPU_ISSET(i, &set))
        cpu = i;
    if (cpu < 0)
      goto fail;
  }
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0)
    goto fail;
  return cpu;

fail:
  fprintf(stderr, "validate_bench: warning: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
  return -1;
}

/* Runs `calls` validations back to back; returns how many did not return WASMRT_OK. */
static size_t run_batch(const uint8_t *bytes, size_t size, size_t calls)
{
  size_t failures = 0;
  for (size_t i = 0; i < calls; i++)
    failures += wasmrt_validate(bytes, size, NULL) != WASMRT_OK;
  return failures;
}

/* Times wasmrt_validate on one module that is known to validate. Returns 0, or -1 after
 * printing why (out of memory, or a call that failed after the first one succeeded). */
static int bench_module(const char *path, const uint8_t *bytes, size_t size,
                        const bench_options *opt, bench_result *result)
{
  double *samples = NULL;
  size_t nsamples = 0, capacity = 0, failures = 0;

  /* Warm-up, which also sizes the batches: about 1 ms each. */
  double warm_until = now_ns() + opt->seconds * 0.2e9;
  size_t warm_calls = 0;
  double start = now_ns(), t;
  do {
    failures += run_batch(bytes, size, 1);
    warm_calls++;
    t = now_ns();
  } while (t < warm_until || warm_calls < 2);
  double per_call = (t - start) / (double)warm_calls;
  size_t batch = per_call >= 1e6 ? 1 : (size_t)(1e6 / (per_call > 1.0 ? per_call : 1.0)) + 1;

  double stop_at = now_ns() + opt->seconds * 1e9;
  do {
    if (nsamples == capacity) {
      capacity = capacity ? capacity * 2 : 256;
      double *grown = realloc(samples, capacity * sizeof *samples);
      if (!grown) {
        fprintf(stderr, "validate_bench: %s: out of memory\n", path);
        goto fail;
      }
      samples = grown;
    }
    double t0 = now_ns();
    failures += run_batch(bytes, size, batch);
    double t1 = now_ns();
    samples[nsamples++] = (t1 - t0) / (double)batch;
  } while (now_ns() < stop_at || nsamples < 5);

  if (failures) {
    fprintf(stderr, "validate_bench: %s: %zu later calls failed after the first succeeded\n", path,
            failures);
    goto fail;
  }
  qsort(samples, nsamples, sizeof *samples, compare_doubles);
  result->calls = warm_calls + nsamples * batch;
  result->best_ns = samples[0];
  result->median_ns = nsamples % 2 ? samples[nsamples / 2]
                                   : (samples[nsamples / 2 - 1] + samples[nsamples / 2]) / 2;
  free(samples);
  return 0;

fail:
  free(samples);
  return -1;
}

static void usage(FILE *to)
{
  fprintf(to, "usage: validate_bench [--seconds S] [--cpu N] [--tsv] FILE...\n");
}

int main(int argc, char **argv)
{
  bench_options opt = {1.0, -1, 0};
  int first_file = argc;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    char *end;
    if (strcmp(a, "--seconds") == 0 && i + 1 < argc) {
      opt.seconds = strtod(argv[++i], &end);
      if (*end || !(opt.seconds > 0 && opt.seconds <= 3600)) {
        fprintf(stderr, "validate_bench: --seconds wants a number from 0 to 3600\n");
        return 2;
      }
    } else if (strcmp(a, "--cpu") == 0 && i + 1 < argc) {
      long cpu = strtol(argv[++i], &end, 10);
      if (*end || cpu < 0 || cpu >= CPU_SETSIZE) {
        fprintf(stderr, "validate_bench: --cpu wants a CPU number\n");
        return 2;
      }
      opt.cpu = (int)cpu;
    } else if (strcmp(a, "--tsv") == 0) {
      opt.tsv = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (a[0] == '-' && strcmp(a, "--") != 0) {
      usage(stderr);
      return 2;
    } else {
      first_file = i + (strcmp(a, "--") == 0);
      break;
    }
  }
  if (first_file >= argc) {
    usage(stderr);
    return 2;
  }

  int cpu = pin_to_cpu(opt.cpu);
  if (!opt.tsv) {
    printf("wasmrt %s, wasmrt_validate, pinned to CPU %d, >= %.1f s per file\n",
           wasmrt_version_string(), cpu, opt.seconds);
    printf("%-40s %12s %10s %12s %12s\n", "file", "bytes", "calls", "best MB/s", "median MB/s");
  }
  int status = 0;
  for (int i = first_file; i < argc; i++) {
    uint8_t *bytes;
    size_t size;
    if (read_file(argv[i], &bytes, &size) != 0) {
      status = 2;
      continue;
    }
    wasmrt_error error;
    wasmrt_result r = wasmrt_validate(bytes, size, &error);
    if (r != WASMRT_OK) {
      fprintf(stderr, "validate_bench: %s: not valid: %s: %s\n", argv[i], wasmrt_errname(r),
              error.message);
      if (status == 0)
        status = 1;
      free(bytes);
      continue;
    }
    bench_result res;
    if (bench_module(argv[i], bytes, size, &opt, &res) != 0) {
      status = 2;
      free(bytes);
      continue;
    }
    double best = (double)size / res.best_ns * 1e3, median = (double)size / res.median_ns * 1e3;
    if (opt.tsv)
      printf("%s\t%zu\t%zu\t%.1f\t%.1f\n", argv[i], size, res.calls, best, median);
    else
      printf("%-40s %12zu %10zu %12.1f %12.1f\n", argv[i], size, res.calls, best, median);
    fflush(stdout);
    free(bytes);
  }
  return status;
}
