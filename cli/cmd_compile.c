/*
 * cmd_compile.c - `wasmrt compile [--target T] FILE.wasm [-o FILE.wrtobj]`:
 * decode, compile and save the object file (docs/OBJECT.md).
 *
 * Every failure is one line on stderr, "wasmrt: FILE: KIND: MESSAGE" (KIND
 * is wasmrt_errname's), and nothing is left at the output path: the library
 * writes it atomically.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmrt.h"

/* FILE with a final ".wasm" replaced by ".wrtobj", or ".wrtobj" appended. */
static char *compile_default_output(const char *input)
{
  size_t n = strlen(input);
  if (n > 5 && strcmp(input + n - 5, ".wasm") == 0)
    n -= 5;
  char *out = malloc(n + sizeof ".wrtobj");
  if (out) {
    memcpy(out, input, n);
    memcpy(out + n, ".wrtobj", sizeof ".wrtobj");
  }
  return out;
}

static int compile_parse_target(const char *name, wasmrt_target *out)
{
  if (strcmp(name, "x86_64") == 0 || strcmp(name, "x86-64") == 0)
    *out = WASMRT_TARGET_X86_64;
  else if (strcmp(name, "arm64") == 0 || strcmp(name, "aarch64") == 0)
    *out = WASMRT_TARGET_ARM64;
  else if (strcmp(name, "host") == 0)
    *out = WASMRT_TARGET_HOST;
  else
    return -1;
  return 0;
}

int cli_cmd_compile(int argc, char **argv)
{
  const char *input = NULL, *output = NULL;
  wasmrt_target target = WASMRT_TARGET_HOST;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = NULL;
    if (strcmp(arg, "--target") == 0 || strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "wasmrt compile: %s needs a value (see 'wasmrt help compile')\n", arg);
        return CLI_EXIT_USAGE;
      }
      value = argv[++i];
    } else if (strncmp(arg, "--target=", 9) == 0) {
      value = arg + 9;
      arg = "--target";
    } else if (strncmp(arg, "--output=", 9) == 0) {
      value = arg + 9;
      arg = "-o";
    }
    if (value && strcmp(arg, "--target") == 0) {
      if (compile_parse_target(value, &target) != 0) {
        fprintf(stderr, "wasmrt compile: unknown target '%s' (x86_64, arm64 or host)\n", value);
        return CLI_EXIT_USAGE;
      }
    } else if (value) {
      output = value;
    } else if (strcmp(arg, "--") == 0 && i + 1 < argc && !input) {
      input = argv[++i];
    } else if (arg[0] == '-' && arg[1] != '\0') {
      fprintf(stderr, "wasmrt compile: unknown option '%s' (see 'wasmrt help compile')\n", arg);
      return CLI_EXIT_USAGE;
    } else if (!input) {
      input = arg;
    } else {
      fprintf(stderr, "wasmrt compile: one file at a time (see 'wasmrt help compile')\n");
      return CLI_EXIT_USAGE;
    }
  }
  if (!input) {
    fprintf(stderr, "wasmrt compile: no input file (see 'wasmrt help compile')\n");
    return CLI_EXIT_USAGE;
  }
  if (output && !*output) {
    fprintf(stderr, "wasmrt compile: the output path is empty\n");
    return CLI_EXIT_USAGE;
  }

  int status = CLI_EXIT_REJECTED;
  uint8_t *bytes = NULL;
  size_t size;
  char why[256];
  char *default_output = NULL;
  wasmrt_module *module = NULL;
  wasmrt_compiled *compiled = NULL;
  wasmrt_error error;
  wasmrt_result r;
  if (cli_read_file(input, &bytes, &size, why, sizeof why) != 0) {
    fprintf(stderr, "wasmrt: %s: %s: %s\n", input, wasmrt_errname(WASMRT_ERROR_IO), why);
    return CLI_EXIT_USAGE;
  }
  r = wasmrt_module_decode(bytes, size, &module, &error);
  free(bytes);
  if (r != WASMRT_OK)
    goto fail;
  r = wasmrt_compile(module, target, &compiled, &error);
  if (r != WASMRT_OK)
    goto fail;
  if (!output) {
    output = default_output = compile_default_output(input);
    if (!output) {
      fprintf(stderr, "wasmrt: %s: out of memory\n", input);
      status = CLI_EXIT_USAGE;
      goto done;
    }
  }
  r = wasmrt_compiled_save(compiled, output, &error);
  if (r != WASMRT_OK)
    goto fail;
  status = CLI_EXIT_OK;
  goto done;
fail:
  fprintf(stderr, "wasmrt: %s: %s: %s\n", input, wasmrt_errname(r), error.message);
  status = (r == WASMRT_ERROR_IO || r == WASMRT_ERROR_NOMEM) ? CLI_EXIT_USAGE : CLI_EXIT_REJECTED;
done:
  free(default_output);
  wasmrt_compiled_free(compiled);
  wasmrt_module_free(module);
  return status;
}
