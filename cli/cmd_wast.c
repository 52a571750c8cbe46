/* Placeholder: replaced by the spec-script runner. */
#include "cli/cli.h"
#include <stdio.h>
int cli_cmd_wast(int argc, char **argv)
{
  fprintf(stderr, "wasmrt wast: not built yet\n");
  return CLI_EXIT_USAGE;
}
