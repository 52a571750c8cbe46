/*
 * cmd_wast.c - `wasmrt wast [-v] FILE.json...`: run spec scripts converted by
 * wabt's wast2json.
 *
 * Every command of a script lands in exactly one of four counts: passed,
 * failed, not run (this version cannot execute it yet) or n/a (text) (it is
 * about the text format, which wasmrt does not read). Nothing is passed that
 * was not checked, and a command type this file does not know is a failure,
 * so new kinds of assertions in the suite cannot slip by unnoticed.
 *
 * A script that cannot be run as a whole (unreadable, not JSON, not shaped
 * like wast2json output, a module file missing) is abandoned with one line on
 * stderr saying what and where, and makes the exit status 2.
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/json.h"
#include "wasmrt.h"

typedef struct wast_counts {
  uint64_t passed;
  uint64_t failed;
  uint64_t not_run;
  uint64_t text;
  uint64_t known; /* failed as listed in a known-differences file */
} wast_counts;

/* One line of a known-differences file: "NAME.wast:LINE reason". */
typedef struct wast_known {
  char *file;
  uint64_t line;
  char *reason;
  bool file_run; /* a script converted from `file` was run */
  bool matched;  /* ...and this command failed as expected */
} wast_known;

typedef struct wast_known_list {
  wast_known *items;
  size_t count;
} wast_known_list;

/* What running a command means in this version. */
typedef enum wast_check {
  /* The module must validate. */
  WAST_CHECK_VALID,
  /* The module must be rejected as malformed. */
  WAST_CHECK_MALFORMED,
  /* The module must be rejected as invalid. */
  WAST_CHECK_INVALID,
  /* The module must validate; what the assertion says about linking or
   * instantiating it cannot be checked yet. */
  WAST_CHECK_VALID_THEN_NOT_RUN,
  /* Needs execution, which this version cannot do. */
  WAST_CHECK_NOT_RUN,
} wast_check;

typedef struct wast_command_kind {
  const char *type;
  wast_check check;
} wast_command_kind;

/* The command types of wast2json (wabt 1.0.32) and what each needs. */
static const wast_command_kind wast_command_kinds[] = {
    {"module", WAST_CHECK_VALID},
    {"assert_malformed", WAST_CHECK_MALFORMED},
    {"assert_invalid", WAST_CHECK_INVALID},
    {"assert_unlinkable", WAST_CHECK_VALID_THEN_NOT_RUN},
    {"assert_uninstantiable", WAST_CHECK_VALID_THEN_NOT_RUN},
    {"register", WAST_CHECK_NOT_RUN},
    {"action", WAST_CHECK_NOT_RUN},
    {"assert_return", WAST_CHECK_NOT_RUN},
    {"assert_trap", WAST_CHECK_NOT_RUN},
    {"assert_exhaustion", WAST_CHECK_NOT_RUN},
    {"assert_exception", WAST_CHECK_NOT_RUN},
};

#define WAST_COMMAND_KIND_COUNT (sizeof wast_command_kinds / sizeof wast_command_kinds[0])

/* One script being run. */
typedef struct wast_script {
  const char *json_path;
  /* Directory of json_path with a trailing '/', or "" for the current one;
   * module file names in the script are relative to it. */
  char *directory;
  /* The .wast file the script was converted from, for failure lines. */
  const char *source;
  bool verbose;
  wast_known_list *known;
  wast_counts counts;
} wast_script;

/* Count a failed command and, in verbose mode, say why. `spec_text`, the
 * message the suite expects from a reference engine, may be NULL. */
static const char *wast_base_name(const char *path);

static wast_known *wast_find_known(wast_script *script, uint64_t line)
{
  const char *name = wast_base_name(script->source);
  for (size_t i = 0; script->known && i < script->known->count; i++) {
    wast_known *k = &script->known->items[i];
    if (k->line == line && strcmp(k->file, name) == 0)
      return k;
  }
  return NULL;
}

static void wast_report_failure(wast_script *script, uint64_t line, const char *type,
                                const char *what, const char *details, const char *spec_text)
{
  wast_known *known = wast_find_known(script, line);
  if (known) {
    known->matched = true;
    script->counts.known++;
    if (script->verbose)
      printf("%s:%llu: %s: known difference: %s\n", script->source, (unsigned long long)line,
             type, known->reason);
    return;
  }
  script->counts.failed++;
  if (!script->verbose)
    return;
  printf("%s:%llu: %s: %s", script->source, (unsigned long long)line, type, what);
  if (details && details[0] != '\0')
    printf(": %s", details);
  if (spec_text)
    printf(" (spec: \"%s\")", spec_text);
  putchar('\n');
}

static const wast_command_kind *wast_find_command_kind(const char *type)
{
  for (size_t i = 0; i < WAST_COMMAND_KIND_COUNT; i++)
    if (strcmp(wast_command_kinds[i].type, type) == 0)
      return &wast_command_kinds[i];
  return NULL;
}

/* Like cli_read_file, but an empty file is an empty module: the spec suite
 * has assertions about zero-byte binaries. */
static int wast_read_module(const char *path, uint8_t **bytes_out, size_t *size_out, char *why,
                            size_t why_size)
{
  if (cli_read_file(path, bytes_out, size_out, why, why_size) == 0)
    return 0;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
    *bytes_out = NULL;
    *size_out = 0;
    return 0;
  }
  return -1;
}

static const char *wast_expected_name(wast_check check)
{
  switch (check) {
  case WAST_CHECK_MALFORMED: return "expected malformed";
  case WAST_CHECK_INVALID: return "expected invalid";
  default: return "expected valid";
  }
}

static wasmrt_result wast_expected_result(wast_check check)
{
  switch (check) {
  case WAST_CHECK_MALFORMED: return WASMRT_ERROR_MALFORMED;
  case WAST_CHECK_INVALID: return WASMRT_ERROR_INVALID;
  default: return WASMRT_OK;
  }
}

/*
 * Validate the module of a command that carries one and count the outcome.
 * Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after printing why when the script
 * is broken (no file name, module file unreadable).
 */
static int wast_check_module(wast_script *script, const json_value *command, uint64_t line,
                             const char *type, wast_check check)
{
  uint8_t *bytes = NULL;
  char *path = NULL;
  int status = CLI_EXIT_USAGE;
  const json_value *module_type = json_object_get(command, "module_type");
  if (module_type) {
    const char *name = json_string(module_type);
    if (name && strcmp(name, "text") == 0) {
      script->counts.text++;
      return CLI_EXIT_OK;
    }
    if (!name || strcmp(name, "binary") != 0) {
      wast_report_failure(script, line, type, "unknown module_type", name, NULL);
      return CLI_EXIT_OK;
    }
  }
  const char *filename = json_string(json_object_get(command, "filename"));
  if (!filename) {
    fprintf(stderr, "%s:%zu:%zu: %s command without a \"filename\" string\n", script->json_path,
            command->line, command->column, type);
    goto fail;
  }
  const char *directory = filename[0] == '/' ? "" : script->directory;
  size_t path_size = strlen(directory) + strlen(filename) + 1;
  path = malloc(path_size);
  if (!path) {
    fprintf(stderr, "%s: out of memory\n", script->json_path);
    goto fail;
  }
  snprintf(path, path_size, "%s%s", directory, filename);
  size_t size;
  char why[256];
  if (wast_read_module(path, &bytes, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s:%zu:%zu: %s of line %llu: cannot read %s: %s\n", script->json_path,
            command->line, command->column, type, (unsigned long long)line, path, why);
    goto fail;
  }
  wasmrt_error error = {.code = WASMRT_OK};
  wasmrt_result result = wasmrt_validate(bytes, size, &error);
  if (result != wast_expected_result(check)) {
    char what[64];
    snprintf(what, sizeof what, "%s, got %s", wast_expected_name(check),
             result == WASMRT_OK ? "valid" : wasmrt_errname(result));
    wast_report_failure(script, line, type, what, result == WASMRT_OK ? NULL : error.message,
                        json_string(json_object_get(command, "text")));
  } else if (check == WAST_CHECK_VALID_THEN_NOT_RUN) {
    script->counts.not_run++;
  } else {
    script->counts.passed++;
  }
  status = CLI_EXIT_OK;
fail:
  free(bytes);
  free(path);
  return status;
}

/* Run one command; CLI_EXIT_USAGE when the script is broken (already said). */
static int wast_run_command(wast_script *script, const json_value *command)
{
  const char *type = json_string(json_object_get(command, "type"));
  uint64_t line;
  if (!type || json_uint64(json_object_get(command, "line"), &line) != 0) {
    fprintf(stderr, "%s:%zu:%zu: a command must be an object with a \"type\" string and a "
                    "\"line\" number\n",
            script->json_path, command->line, command->column);
    return CLI_EXIT_USAGE;
  }
  const wast_command_kind *kind = wast_find_command_kind(type);
  if (!kind) {
    wast_report_failure(script, line, type, "unknown command type, not checked", NULL, NULL);
    return CLI_EXIT_OK;
  }
  if (kind->check == WAST_CHECK_NOT_RUN) {
    script->counts.not_run++;
    return CLI_EXIT_OK;
  }
  return wast_check_module(script, command, line, type, kind->check);
}

static const char *wast_base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static char *wast_directory_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  size_t length = slash ? (size_t)(slash - path) + 1 : 0;
  char *directory = malloc(length + 1);
  if (!directory)
    return NULL;
  memcpy(directory, path, length);
  directory[length] = '\0';
  return directory;
}

static void wast_print_counts(const char *name, const wast_counts *counts)
{
  printf("%s: %llu passed, %llu failed, %llu not run, %llu n/a (text), %llu known differences\n",
         name, (unsigned long long)counts->passed, (unsigned long long)counts->failed,
         (unsigned long long)counts->not_run, (unsigned long long)counts->text,
         (unsigned long long)counts->known);
}

/*
 * Run every command of one script, print its line and add its counts to
 * *total. Returns CLI_EXIT_OK when every command ran (failed or not), or
 * CLI_EXIT_USAGE when the script could not be run, after saying why.
 */
static int wast_run_script(const char *json_path, bool verbose, wast_known_list *known,
                           wast_counts *total)
{
  wast_script script = {.json_path = json_path, .verbose = verbose, .known = known};
  uint8_t *text = NULL;
  json_document *document = NULL;
  size_t size;
  char why[256];
  if (cli_read_file(json_path, &text, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", json_path, why);
    goto fail;
  }
  json_error error;
  if (json_parse((const char *)text, size, JSON_DEFAULT_MAX_DEPTH, &document, &error) !=
      JSON_OK) {
    fprintf(stderr, "%s:%zu:%zu: malformed JSON: %s\n", json_path, error.line, error.column,
            error.message);
    goto fail;
  }
  const json_value *root = json_document_root(document);
  script.source = json_string(json_object_get(root, "source_filename"));
  const json_value *commands = json_object_get(root, "commands");
  if (!script.source || !commands || commands->kind != JSON_ARRAY) {
    fprintf(stderr, "%s:%zu:%zu: not a wast2json script: expected an object with "
                    "\"source_filename\" and a \"commands\" array\n",
            json_path, root->line, root->column);
    goto fail;
  }
  script.directory = wast_directory_of(json_path);
  if (!script.directory) {
    fprintf(stderr, "%s: out of memory\n", json_path);
    goto fail;
  }
  for (size_t i = 0; i < known->count; i++)
    if (strcmp(known->items[i].file, wast_base_name(script.source)) == 0)
      known->items[i].file_run = true;
  for (size_t i = 0; i < commands->as.array.count; i++)
    if (wast_run_command(&script, &commands->as.array.items[i]) != CLI_EXIT_OK)
      goto fail;
  /* A listed difference that no longer happens is stale: fail, so the list
   * cannot hide anything. */
  for (size_t i = 0; i < known->count; i++) {
    wast_known *k = &known->items[i];
    if (k->file_run && !k->matched && strcmp(k->file, wast_base_name(script.source)) == 0) {
      script.counts.failed++;
      printf("%s:%llu: listed as a known difference but did not fail; remove it from the list\n",
             script.source, (unsigned long long)k->line);
      k->matched = true;
    }
  }
  wast_print_counts(wast_base_name(script.source), &script.counts);
  total->passed += script.counts.passed;
  total->failed += script.counts.failed;
  total->not_run += script.counts.not_run;
  total->text += script.counts.text;
  total->known += script.counts.known;
  free(script.directory);
  json_document_free(document);
  free(text);
  return CLI_EXIT_OK;
fail:
  free(script.directory);
  json_document_free(document);
  free(text);
  return CLI_EXIT_USAGE;
}

static void wast_known_free(wast_known_list *list)
{
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].file);
    free(list->items[i].reason);
  }
  free(list->items);
  list->items = NULL;
  list->count = 0;
}

/* Reads "NAME.wast:LINE reason" lines; '#' starts a comment line. A line
 * without a reason is an error: every difference must say why. */
static int wast_known_load(const char *path, wast_known_list *list)
{
  uint8_t *text = NULL;
  size_t size;
  char why[256];
  if (cli_read_file(path, &text, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", path, why);
    return CLI_EXIT_USAGE;
  }
  size_t line_number = 0;
  char *cursor = (char *)text;
  char *end = cursor + size;
  while (cursor < end) {
    char *newline = memchr(cursor, '\n', (size_t)(end - cursor));
    char *line_end = newline ? newline : end;
    line_number++;
    size_t length = (size_t)(line_end - cursor);
    char *line = cursor;
    cursor = newline ? newline + 1 : end;
    while (length && (line[length - 1] == ' ' || line[length - 1] == '\r'))
      length--;
    if (length == 0 || line[0] == '#')
      continue;
    char *colon = memchr(line, ':', length);
    char *space = memchr(line, ' ', length);
    char *number_end = NULL;
    unsigned long long number = 0;
    if (colon && space && colon < space) {
      number = strtoull(colon + 1, &number_end, 10);
    }
    if (!colon || !space || number_end != space || number == 0) {
      fprintf(stderr, "%s:%zu: expected \"NAME.wast:LINE reason\"\n", path, line_number);
      goto fail;
    }
    wast_known *grown = realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown)
      goto nomem;
    list->items = grown;
    wast_known *k = &list->items[list->count];
    memset(k, 0, sizeof *k);
    k->file = strndup(line, (size_t)(colon - line));
    k->reason = strndup(space + 1, length - (size_t)(space + 1 - line));
    list->count++;
    k->line = number;
    if (!k->file || !k->reason)
      goto nomem;
  }
  free(text);
  return CLI_EXIT_OK;
nomem:
  fprintf(stderr, "%s: out of memory\n", path);
fail:
  free(text);
  wast_known_free(list);
  return CLI_EXIT_USAGE;
}

int cli_cmd_wast(int argc, char **argv)
{
  bool verbose = false;
  bool options_done = false;
  int file_count = 0;
  const char *known_path = NULL;
  /* Options may come anywhere before "--"; collect them first so that -v
   * applies to files named before it too. */
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      file_count++;
    } else if (strcmp(arg, "--") == 0) {
      options_done = true;
    } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
      verbose = true;
    } else if (strcmp(arg, "--known-differences") == 0 && i + 1 < argc) {
      known_path = argv[++i];
    } else {
      fprintf(stderr, "wasmrt wast: unknown option '%s' (see 'wasmrt help wast')\n", arg);
      return CLI_EXIT_USAGE;
    }
  }
  if (file_count == 0) {
    fprintf(stderr, "wasmrt wast: no input files (see 'wasmrt help wast')\n");
    return CLI_EXIT_USAGE;
  }
  wast_known_list known = {NULL, 0};
  if (known_path && wast_known_load(known_path, &known) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  wast_counts total = {0, 0, 0, 0, 0};
  bool broken = false;
  options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!options_done && arg[0] == '-' && arg[1] != '\0') {
      if (strcmp(arg, "--known-differences") == 0)
        i++;
      options_done = strcmp(arg, "--") == 0;
      continue;
    }
    if (wast_run_script(arg, verbose, &known, &total) != CLI_EXIT_OK)
      broken = true;
  }
  wast_known_free(&known);
  if (file_count > 1)
    wast_print_counts("total", &total);
  if (broken)
    return CLI_EXIT_USAGE;
  return total.failed > 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
}
