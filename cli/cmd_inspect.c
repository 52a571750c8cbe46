/* Placeholder: replaced by the module inspector. */
#include "cli/cli.h"
#include <stdio.h>
int cli_cmd_inspect(int argc, char **argv)
{
  fprintf(stderr, "wasmrt inspect: not built yet\n");
  return CLI_EXIT_USAGE;
}
