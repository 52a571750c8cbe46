/* test_json.c - the CLI's strict JSON parser: values, escapes, nesting, the
 * positions in its error messages, truncated input and the depth limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/json.h"

/* Parse a NUL-terminated text that must be valid; fails the test otherwise. */
static json_document *parse_ok(const char *text)
{
  json_document *document = NULL;
  json_error error;
  json_status status = json_parse(text, strlen(text), JSON_DEFAULT_MAX_DEPTH, &document, &error);
  if (status != JSON_OK)
    fail_msg("parse of %s failed at %zu:%zu: %s", text, error.line, error.column, error.message);
  assert_non_null(document);
  return document;
}

/* Parse a text that must be rejected; returns the error. */
static json_error parse_error_depth(const char *text, size_t size, size_t max_depth)
{
  json_document *document = (json_document *)&document; /* must be reset to NULL */
  json_error error;
  memset(&error, 0, sizeof error);
  json_status status = json_parse(text, size, max_depth, &document, &error);
  assert_int_not_equal(status, JSON_OK);
  assert_int_equal(error.status, status);
  assert_null(document);
  assert_true(error.message[0] != '\0');
  return error;
}

static json_error parse_error(const char *text)
{
  return parse_error_depth(text, strlen(text), JSON_DEFAULT_MAX_DEPTH);
}

static void assert_error_at(const char *text, size_t line, size_t column, const char *fragment)
{
  json_error error = parse_error(text);
  if (error.status != JSON_ERROR_SYNTAX || error.line != line || error.column != column ||
      strstr(error.message, fragment) == NULL)
    fail_msg("for %s expected syntax error at %zu:%zu containing \"%s\", got status %d at "
             "%zu:%zu: %s",
             text, line, column, fragment, (int)error.status, error.line, error.column,
             error.message);
}

static void assert_string_value(const json_value *value, const char *bytes, size_t size)
{
  assert_non_null(value);
  assert_int_equal(value->kind, JSON_STRING);
  assert_int_equal(value->as.text.size, size);
  assert_memory_equal(value->as.text.text, bytes, size);
  assert_int_equal(value->as.text.text[size], '\0');
}

static void test_scalars(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    json_kind kind;
  } cases[] = {
      {"null", JSON_NULL}, {"true", JSON_TRUE},       {" false ", JSON_FALSE},
      {"0", JSON_NUMBER},  {"\"\"", JSON_STRING},     {"[]", JSON_ARRAY},
      {"{}", JSON_OBJECT}, {"\t\r\n 1", JSON_NUMBER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_document *document = parse_ok(cases[i].text);
    assert_int_equal(json_document_root(document)->kind, cases[i].kind);
    json_document_free(document);
  }
  assert_string_equal(json_kind_name(JSON_OBJECT), "object");
  assert_string_equal(json_kind_name(JSON_NUMBER), "number");
}

static void test_numbers_keep_their_text(void **state)
{
  (void)state;
  const char *numbers[] = {"0",    "-0",        "42",
                           "-17",  "3.25",      "1e10",
                           "1E+2", "-0.5e-007", "123456789012345678901234567890"};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    json_document *document = parse_ok(numbers[i]);
    const json_value *root = json_document_root(document);
    assert_int_equal(root->kind, JSON_NUMBER);
    assert_string_equal(root->as.text.text, numbers[i]);
    assert_int_equal(root->as.text.size, strlen(numbers[i]));
    json_document_free(document);
  }
}

static void test_number_grammar_errors(void **state)
{
  (void)state;
  assert_error_at("01", 1, 1, "leading zeros");
  assert_error_at("-01", 1, 1, "leading zeros");
  assert_error_at("-", 1, 2, "digit after '-'");
  assert_error_at("-a", 1, 2, "digit after '-'");
  assert_error_at("1.", 1, 3, "digit after '.'");
  assert_error_at("1.e5", 1, 3, "digit after '.'");
  assert_error_at("1e", 1, 3, "exponent");
  assert_error_at("1e+", 1, 4, "exponent");
  assert_error_at("+1", 1, 1, "expected a value");
  assert_error_at(".5", 1, 1, "expected a value");
  assert_error_at("0x10", 1, 2, "end of input after the top-level value");
  assert_error_at("[1 2]", 1, 4, "',' or ']'");
}

static void test_uint64(void **state)
{
  (void)state;
  json_document *document =
      parse_ok("[42, 0, 18446744073709551615, 18446744073709551616, -1, 1.0, 1e3, \"7\"]");
  const json_value *items = json_document_root(document)->as.array.items;
  uint64_t value = 99;
  assert_int_equal(json_uint64(&items[0], &value), 0);
  assert_int_equal(value, 42);
  assert_int_equal(json_uint64(&items[1], &value), 0);
  assert_int_equal(value, 0);
  assert_int_equal(json_uint64(&items[2], &value), 0);
  assert_true(value == UINT64_MAX);
  value = 5;
  for (size_t i = 3; i < 8; i++)
    assert_int_equal(json_uint64(&items[i], &value), -1);
  assert_int_equal(value, 5); /* untouched on failure */
  assert_int_equal(json_uint64(NULL, &value), -1);
  json_document_free(document);
}

static void test_simple_escapes(void **state)
{
  (void)state;
  json_document *document = parse_ok("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"");
  assert_string_value(json_document_root(document), "a\"b\\c/d\be\ff\ng\rh\ti", 17);
  json_document_free(document);
}

static void test_unicode_escapes(void **state)
{
  (void)state;
  /* One, two, three and four UTF-8 bytes; hex digits in either case. */
  json_document *document = parse_ok("[\"\\u0041\", \"\\u00e9\", \"\\u20AC\", \"\\ud83d\\uDE00\","
                                     " \"x\\u0000y\", \"\\u005c\\u0022\", \"\\uffff\"]");
  const json_value *items = json_document_root(document)->as.array.items;
  assert_int_equal(json_document_root(document)->as.array.count, 7);
  assert_string_value(&items[0], "A", 1);
  assert_string_value(&items[1], "\xc3\xa9", 2);
  assert_string_value(&items[2], "\xe2\x82\xac", 3);
  assert_string_value(&items[3], "\xf0\x9f\x98\x80", 4);
  assert_string_value(&items[4], "x\0y", 3); /* size tells where the string ends */
  assert_string_value(&items[5], "\\\"", 2); /* how wast2json writes \ and " */
  assert_string_value(&items[6], "\xef\xbf\xbf", 3);
  json_document_free(document);
}

static void test_raw_utf8_passes_through(void **state)
{
  (void)state;
  json_document *document = parse_ok("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"");
  assert_string_value(json_document_root(document),
                      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", 13);
  json_document_free(document);
}

static void test_string_errors(void **state)
{
  (void)state;
  assert_error_at("\"abc", 1, 5, "end of input in a string");
  assert_error_at("\"abc\\", 1, 6, "end of input in a string");
  assert_error_at("\"a\nb\"", 1, 3, "control character 0x0a");
  assert_error_at("\"a\tb\"", 1, 3, "control character 0x09");
  assert_error_at("\"\\x\"", 1, 2, "invalid escape");
  assert_error_at("\"\\u12\"", 1, 6, "4 hex digits");
  assert_error_at("\"\\u12g4\"", 1, 6, "4 hex digits");
  assert_error_at("\"ab\\ud800\"", 1, 4, "high surrogate");
  assert_error_at("\"\\ud800\\u0041\"", 1, 2, "high surrogate");
  assert_error_at("\"\\ud800\\n\"", 1, 2, "high surrogate");
  assert_error_at("\"\\udc00\"", 1, 2, "low surrogate");
  /* Overlong, surrogate, beyond U+10FFFF, stray continuation, truncated. */
  assert_error_at("\"\xc0\x80\"", 1, 2, "invalid UTF-8");
  assert_error_at("\"\xe0\x80\x80\"", 1, 2, "invalid UTF-8");
  assert_error_at("\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8");
  assert_error_at("\"\xf4\x90\x80\x80\"", 1, 2, "invalid UTF-8");
  assert_error_at("\"\xf5\x80\x80\x80\"", 1, 2, "invalid UTF-8");
  assert_error_at("\"a\x80\"", 1, 3, "invalid UTF-8");
  assert_error_at("\"\xe2\x82\"", 1, 2, "invalid UTF-8");
}

static void test_nesting_and_lookup(void **state)
{
  (void)state;
  json_document *document = parse_ok("{\"source_filename\": \"a.wast\",\n"
                                     " \"commands\": [\n"
                                     "  {\"type\": \"module\", \"line\": 1, \"filename\": "
                                     "\"a.0.wasm\"},\n"
                                     "  {\"type\": \"assert_return\", \"line\": 3, \"action\": "
                                     "{\"type\": \"invoke\", \"field\": \"f\", \"args\": []},"
                                     " \"expected\": [{\"type\": \"i32\", \"value\": \"6\"}]}]}");
  const json_value *root = json_document_root(document);
  assert_int_equal(root->kind, JSON_OBJECT);
  assert_int_equal(root->as.object.count, 2);
  assert_string_equal(root->as.object.members[0].key.text, "source_filename");
  assert_string_equal(json_string(json_object_get(root, "source_filename")), "a.wast");
  assert_null(json_object_get(root, "missing"));
  assert_null(json_object_get(root, "source"));                /* no prefix matches */
  assert_null(json_string(json_object_get(root, "commands"))); /* not a string */

  const json_value *commands = json_object_get(root, "commands");
  assert_int_equal(commands->kind, JSON_ARRAY);
  assert_int_equal(commands->as.array.count, 2);
  assert_int_equal(commands->line, 2);
  assert_int_equal(commands->column, 14);

  const json_value *second = &commands->as.array.items[1];
  assert_int_equal(second->line, 4);
  assert_int_equal(second->column, 3);
  uint64_t line;
  assert_int_equal(json_uint64(json_object_get(second, "line"), &line), 0);
  assert_int_equal(line, 3);
  const json_value *action = json_object_get(second, "action");
  assert_string_equal(json_string(json_object_get(action, "field")), "f");
  const json_value *args = json_object_get(action, "args");
  assert_int_equal(args->kind, JSON_ARRAY);
  assert_int_equal(args->as.array.count, 0);
  const json_value *expected = json_object_get(second, "expected");
  assert_string_equal(json_string(json_object_get(&expected->as.array.items[0], "value")), "6");
  /* Lookups on things that are not objects give NULL rather than crash. */
  assert_null(json_object_get(commands, "type"));
  assert_null(json_object_get(NULL, "type"));
  json_document_free(document);
}

static void test_many_items_stay_in_order(void **state)
{
  (void)state;
  /* Enough children and nested containers to grow the scratch stack and fill
   * several arena chunks. */
  size_t count = 20000;
  size_t capacity = count * 32 + 16;
  char *text = malloc(capacity);
  assert_non_null(text);
  size_t length = 0;
  text[length++] = '[';
  for (size_t i = 0; i < count; i++)
    length += (size_t)snprintf(text + length, capacity - length, "%s[%zu,{\"k\":%zu}]",
                               i ? "," : "", i, i * 2);
  text[length++] = ']';
  text[length] = '\0';
  json_document *document = parse_ok(text);
  const json_value *root = json_document_root(document);
  assert_int_equal(root->as.array.count, count);
  for (size_t i = 0; i < count; i++) {
    const json_value *pair = &root->as.array.items[i];
    assert_int_equal(pair->as.array.count, 2);
    uint64_t first, second;
    assert_int_equal(json_uint64(&pair->as.array.items[0], &first), 0);
    assert_int_equal(json_uint64(json_object_get(&pair->as.array.items[1], "k"), &second), 0);
    assert_int_equal(first, i);
    assert_int_equal(second, i * 2);
  }
  json_document_free(document);
  free(text);
}

static void test_structure_errors_with_positions(void **state)
{
  (void)state;
  assert_error_at("", 1, 1, "expected a value, found end of input");
  assert_error_at("   \n  ", 2, 3, "expected a value, found end of input");
  assert_error_at("[1,]", 1, 4, "expected a value, found ']'");
  assert_error_at("{\"a\":1,}", 1, 8, "a string key");
  assert_error_at("{\"a\" 1}", 1, 6, "':'");
  assert_error_at("{a:1}", 1, 2, "a string key");
  assert_error_at("{\n  \"a\": tru\n}", 2, 8, "invalid literal");
  assert_error_at("{\n  \"a\": 1,\n  \"b\": nul }", 3, 8, "invalid literal");
  assert_error_at("[true false]", 1, 7, "',' or ']'");
  assert_error_at("{\"a\":1 \"b\":2}", 1, 8, "',' or '}'");
  assert_error_at("[1] [2]", 1, 5, "end of input after the top-level value");
  assert_error_at("nullx", 1, 5, "end of input after the top-level value");
  assert_error_at("/* c */ 1", 1, 1, "expected a value, found '/'");
  assert_error_at("[1]\n\x01", 2, 1, "byte 0x01");
  assert_error_at("{\"a\":1,\n \"a\":2}", 2, 2, "duplicate key \"a\"");
  assert_error_at("\xef\xbb\xbf{}", 1, 1, "byte 0xef"); /* no byte order mark */
}

static void test_truncated_input_is_always_an_error(void **state)
{
  (void)state;
  const char *text =
      "{\"commands\": [{\"type\": \"module\", \"line\": 12, \"x\": -1.5e3,"
      " \"ok\": true, \"no\": false, \"n\": null, \"s\": \"\\u00e9\\ud83d\\ude00\"}]}";
  size_t size = strlen(text);
  json_document *whole = parse_ok(text);
  json_document_free(whole);
  /* Every proper prefix is rejected, at or before its end; sizes are exact,
   * so the parser never looks past them. */
  for (size_t cut = 0; cut < size; cut++) {
    char *prefix = malloc(cut ? cut : 1);
    assert_non_null(prefix);
    memcpy(prefix, text, cut);
    json_error error = parse_error_depth(prefix, cut, JSON_DEFAULT_MAX_DEPTH);
    assert_int_equal(error.status, JSON_ERROR_SYNTAX);
    assert_int_equal(error.line, 1);
    assert_true(error.offset <= cut);
    assert_int_equal(error.column, error.offset + 1);
    free(prefix);
  }
  /* The end of a truncated document is where the error is found. */
  json_error error = parse_error("{\"a\": [1, 2");
  assert_int_equal(error.column, 12);
  assert_non_null(strstr(error.message, "found end of input"));
  json_document *document = NULL;
  assert_int_equal(json_parse(NULL, 0, 1, &document, &error), JSON_ERROR_SYNTAX);
  assert_null(document);
  /* The error report is optional. */
  assert_int_equal(json_parse("[", 1, 1, &document, NULL), JSON_ERROR_SYNTAX);
  assert_null(document);
}

/* "[[[...1...]]]" with `depth` brackets each side, NUL-terminated. */
static char *nested_arrays(size_t depth)
{
  char *text = malloc(2 * depth + 2);
  assert_non_null(text);
  memset(text, '[', depth);
  text[depth] = '1';
  memset(text + depth + 1, ']', depth);
  text[2 * depth + 1] = '\0';
  return text;
}

static void test_depth_limit(void **state)
{
  (void)state;
  json_document *document = NULL;
  json_error error;
  char *text = nested_arrays(5);
  assert_int_equal(json_parse(text, strlen(text), 5, &document, &error), JSON_OK);
  const json_value *value = json_document_root(document);
  for (int level = 0; level < 5; level++) {
    assert_int_equal(value->kind, JSON_ARRAY);
    assert_int_equal(value->as.array.count, 1);
    value = &value->as.array.items[0];
  }
  assert_int_equal(value->kind, JSON_NUMBER);
  json_document_free(document);

  error = parse_error_depth(text, strlen(text), 4);
  assert_int_equal(error.status, JSON_ERROR_DEPTH);
  assert_int_equal(error.line, 1);
  assert_int_equal(error.column, 5); /* the fifth '[' is one too many */
  assert_non_null(strstr(error.message, "deeper than 4"));
  free(text);

  /* Objects count as levels too; scalars at the top need none. */
  error = parse_error_depth("{\"a\":{\"b\":[]}}", 14, 2);
  assert_int_equal(error.status, JSON_ERROR_DEPTH);
  assert_int_equal(error.column, 11);
  assert_int_equal(json_parse("7", 1, 0, &document, &error), JSON_OK);
  json_document_free(document);
  error = parse_error_depth("[]", 2, 0);
  assert_int_equal(error.status, JSON_ERROR_DEPTH);

  /* Far deeper than the default limit: rejected cleanly, no stack overflow. */
  text = nested_arrays(100000);
  error = parse_error_depth(text, strlen(text), JSON_DEFAULT_MAX_DEPTH);
  assert_int_equal(error.status, JSON_ERROR_DEPTH);
  assert_int_equal(error.column, JSON_DEFAULT_MAX_DEPTH + 1);
  free(text);
}

static void test_free_accepts_null(void **state)
{
  (void)state;
  json_document_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scalars),
      cmocka_unit_test(test_numbers_keep_their_text),
      cmocka_unit_test(test_number_grammar_errors),
      cmocka_unit_test(test_uint64),
      cmocka_unit_test(test_simple_escapes),
      cmocka_unit_test(test_unicode_escapes),
      cmocka_unit_test(test_raw_utf8_passes_through),
      cmocka_unit_test(test_string_errors),
      cmocka_unit_test(test_nesting_and_lookup),
      cmocka_unit_test(test_many_items_stay_in_order),
      cmocka_unit_test(test_structure_errors_with_positions),
      cmocka_unit_test(test_truncated_input_is_always_an_error),
      cmocka_unit_test(test_depth_limit),
      cmocka_unit_test(test_free_accepts_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
