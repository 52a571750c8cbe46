/* cmd_validate.c - `wasmrt validate FILE...`: decode and validate modules. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmrt.h"

int cli_cmd_validate(int argc, char **argv)
{
  int first_file = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0)
    first_file = 2;
  else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
    fprintf(stderr, "wasmrt validate: unknown option '%s' (see 'wasmrt help validate')\n", argv[1]);
    return CLI_EXIT_USAGE;
  }
  if (first_file >= argc) {
    fprintf(stderr, "wasmrt validate: no input files (see 'wasmrt help validate')\n");
    return CLI_EXIT_USAGE;
  }
  int status = CLI_EXIT_OK;
  for (int i = first_file; i < argc; i++) {
    uint8_t *bytes;
    size_t size;
    char why[256];
    if (cli_read_file(argv[i], &bytes, &size, why, sizeof why) != 0) {
      fprintf(stderr, "%s: %s\n", argv[i], why);
      status = CLI_EXIT_USAGE;
      continue;
    }
    wasmrt_error error;
    wasmrt_result result = wasmrt_validate(bytes, size, &error);
    free(bytes);
    if (result == WASMRT_ERROR_NOMEM) {
      fprintf(stderr, "%s: %s\n", argv[i], error.message);
      status = CLI_EXIT_USAGE;
    } else if (result != WASMRT_OK) {
      printf("%s: %s: %s\n", argv[i], wasmrt_errname(result), error.message);
      if (status == CLI_EXIT_OK)
        status = CLI_EXIT_REJECTED;
    }
  }
  return status;
}
