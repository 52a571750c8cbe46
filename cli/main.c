/*
 * main.c - the wasmrt command-line tool: subcommand dispatch and help.
 *
 * Help text follows wasmtime's conventions: `wasmrt --help`, `wasmrt help
 * COMMAND` and `wasmrt COMMAND --help` all work, usage errors exit 2.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "wasmrt.h"

typedef struct cli_command {
  const char *name;
  const char *summary;
  const char *help;
  int (*run)(int argc, char **argv);
} cli_command;

static const cli_command cli_commands[] = {
    {"validate", "Check that WebAssembly modules are valid",
     "Usage: wasmrt validate [OPTIONS] <FILE>...\n"
     "\n"
     "Decodes and validates each FILE as a WebAssembly 2.0 binary module in one pass.\n"
     "\n"
     "For every file that is not valid, prints one line to stdout:\n"
     "  FILE: KIND: SECTION, function N, offset 0xOFF: WHAT\n"
     "where KIND is 'malformed' (not a WebAssembly binary), 'invalid' (fails\n"
     "validation) or 'limit' (exceeds a documented limit of wasmrt).\n"
     "\n"
     "Exit status: 0 when every file is valid, 1 when any file is not,\n"
     "2 for usage or I/O errors (missing, unreadable or empty file).\n"
     "\n"
     "Arguments:\n"
     "  <FILE>...  WebAssembly binary modules (.wasm)\n"
     "\n"
     "Options:\n"
     "  -h, --help  Print help\n",
     cli_cmd_validate},
    {"inspect", "Show the structure of a WebAssembly module or object file",
     "Usage: wasmrt inspect [OPTIONS] <FILE>\n"
     "\n"
     "Prints the sections of a module with their offsets and sizes, its types,\n"
     "imports, exports, tables, memories, globals, custom sections and the\n"
     "function names of its name section. The module is validated first.\n"
     "\n"
     "Given an object file from 'wasmrt compile', prints its target, format\n"
     "version, module hash, code size, functions, trap sites and frame points.\n"
     "\n"
     "Exit status: 0 on success, 1 when the module is not valid, 2 for usage\n"
     "or I/O errors.\n"
     "\n"
     "Arguments:\n"
     "  <FILE>  A WebAssembly binary module (.wasm) or a wasmrt object (.wrtobj)\n"
     "\n"
     "Options:\n"
     "      --json  Print one JSON object instead of text\n"
     "  -h, --help  Print help\n",
     cli_cmd_inspect},
    {"compile", "Compile a WebAssembly module ahead of time to an object file",
     "Usage: wasmrt compile [OPTIONS] <FILE.wasm>\n"
     "\n"
     "Decodes, validates and compiles FILE to native code and writes it with its\n"
     "metadata as a wasmrt object file (docs/OBJECT.md), which `wasmrt run --object`\n"
     "loads instead of compiling again. The file is written atomically. An object\n"
     "records the module it was compiled from (by hash), the target and the wasmrt\n"
     "version; it is refused when any of them differs.\n"
     "\n"
     "On failure prints one line to stderr: wasmrt: FILE: KIND: MESSAGE.\n"
     "Exit status: 0 on success, 1 when the module cannot be compiled (malformed,\n"
     "invalid, beyond a limit, unsupported), 2 for usage or I/O errors.\n"
     "\n"
     "Arguments:\n"
     "  <FILE.wasm>  A WebAssembly binary module\n"
     "\n"
     "Options:\n"
     "  -o, --output <FILE.wrtobj>  Where to write (default: FILE with .wasm replaced\n"
     "                              by .wrtobj)\n"
     "      --target <TARGET>       x86_64, arm64 or host (default: host)\n"
     "  -h, --help                  Print help\n",
     cli_cmd_compile},
    {"run", "Run a WebAssembly module's function",
     "Usage: wasmrt run [OPTIONS] <FILE.wasm> [ARGS]...\n"
     "\n"
     "Compiles FILE (or loads its saved object), instantiates it and calls the\n"
     "function given by --invoke, or the \"_start\" export. Modules that import\n"
     "anything are refused in this version (WASI support comes later).\n"
     "\n"
     "ARGS are the function's arguments, read by its parameter types: i32 and i64\n"
     "in decimal or 0x hex, signed or unsigned; f32 and f64 as decimal or hex\n"
     "floats, nan, inf. Results are printed one per line: integers in signed\n"
     "decimal, floats in the shortest form that reads back exactly.\n"
     "\n"
     "Exit status: 0 on success; 1 when the module, object or call fails; 2 for\n"
     "usage or I/O errors; 134 when WebAssembly traps (after 'wasm trap: MESSAGE'\n"
     "on stderr).\n"
     "\n"
     "Arguments:\n"
     "  <FILE.wasm>  A WebAssembly binary module\n"
     "  [ARGS]...    Arguments of the function\n"
     "\n"
     "Options:\n"
     "      --invoke <FUNC>          Call the exported function FUNC\n"
     "      --object <FILE.wrtobj>   Use this object (from 'wasmrt compile') instead\n"
     "                               of compiling; refused when it is stale, for\n"
     "                               another target or corrupt\n"
     "  -h, --help                   Print help\n",
     cli_cmd_run},
    {"wast", "Run a WebAssembly spec script converted by wast2json",
     "Usage: wasmrt wast [OPTIONS] <FILE.json>...\n"
     "\n"
     "Runs spec scripts converted with wabt's wast2json the way `wasmtime wast`\n"
     "does: modules are compiled for this host and instantiated (imports from the\n"
     "spectest module and registered instances), and every assertion is executed.\n"
     "Commands this version cannot execute (SIMD) are counted as 'not run', never\n"
     "as passed; assertions about the text format are counted as 'n/a (text)'\n"
     "because wasmrt reads only the binary format. Each failed command prints one\n"
     "line \"FILE.wast:LINE: TYPE: expected ..., got ...\".\n"
     "\n"
     "Prints one line per file and a total: passed, failed, not run, n/a (text),\n"
     "known differences.\n"
     "Exit status: 0 when nothing failed, 1 when any assertion failed, 2 for\n"
     "usage or I/O errors.\n"
     "\n"
     "Options:\n"
     "  -v, --verbose  Print every command's outcome and spectest's prints\n"
     "      --known-differences <FILE>\n"
     "                 Lines \"NAME.wast:LINE reason\": commands expected to fail for\n"
     "                 the reason given; counted apart, and a listed command that\n"
     "                 does not fail is itself a failure\n"
     "      --far      Compile with the far-branch and far-call forms forced, which\n"
     "                 the AArch64 code generator otherwise uses only for functions\n"
     "                 and modules too large for its short branches (a test of those\n"
     "                 forms; no effect on x86-64)\n"
     "  -h, --help     Print help\n",
     cli_cmd_wast},
};

#define CLI_COMMAND_COUNT (sizeof cli_commands / sizeof cli_commands[0])

static void cli_print_main_help(FILE *out)
{
  fprintf(out,
          "wasmrt %s: ahead-of-time WebAssembly compiler and portable-snapshot runtime\n"
          "\n"
          "Usage: wasmrt <COMMAND>\n"
          "\n"
          "Commands:\n",
          wasmrt_version_string());
  for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
    fprintf(out, "  %-9s %s\n", cli_commands[i].name, cli_commands[i].summary);
  fprintf(out, "  %-9s %s\n", "help", "Print this message or the help of the given subcommand");
  fprintf(out, "\n"
               "Options:\n"
               "  -h, --help     Print help\n"
               "  -V, --version  Print version\n");
}

static const cli_command *cli_find_command(const char *name)
{
  for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
    if (strcmp(cli_commands[i].name, name) == 0)
      return &cli_commands[i];
  return NULL;
}

static int cli_is_help_flag(const char *arg)
{
  return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    cli_print_main_help(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (cli_is_help_flag(name)) {
    cli_print_main_help(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
    printf("wasmrt %s\n", wasmrt_version_string());
    return CLI_EXIT_OK;
  }
  if (strcmp(name, "help") == 0) {
    if (argc < 3) {
      cli_print_main_help(stdout);
      return CLI_EXIT_OK;
    }
    const cli_command *command = cli_find_command(argv[2]);
    if (!command) {
      fprintf(stderr, "wasmrt: no such command '%s' (see 'wasmrt --help')\n", argv[2]);
      return CLI_EXIT_USAGE;
    }
    fputs(command->help, stdout);
    return CLI_EXIT_OK;
  }
  const cli_command *command = cli_find_command(name);
  if (!command) {
    fprintf(stderr, "wasmrt: no such command '%s' (see 'wasmrt --help')\n", name);
    return CLI_EXIT_USAGE;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (cli_is_help_flag(argv[i])) {
      fputs(command->help, stdout);
      return CLI_EXIT_OK;
    }
  }
  return command->run(argc - 1, argv + 1);
}
