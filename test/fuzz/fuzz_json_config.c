/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the JSON parser and the walk the JSON config loader does
 * over a config file (lib/event/json_config.c): parse the whole text into
 * values, then find "subsystems", and in each element "subsystem" and
 * "config", and in each entry "method" and "params", decoding the strings
 * as the loader does. Any crash, leak or sanitizer report is a bug.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk_entry(struct spdk_json_val *entry)
{
	struct spdk_json_val *method = NULL, *params = NULL;
	char *name = NULL;

	if (entry->type == SPDK_JSON_VAL_ARRAY_BEGIN) {
		struct spdk_json_val *e;

		for (e = spdk_json_array_first(entry); e != NULL; e = spdk_json_next(e)) {
			walk_entry(e);
		}
		return;
	}
	if (entry->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		return;
	}
	if (spdk_json_find_string(entry, "method", NULL, &method) == 0) {
		name = spdk_json_strdup(method);
		free(name);
	}
	(void)spdk_json_find(entry, "params", NULL, &params, SPDK_JSON_VAL_ANY);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdk_json_val *values, *subsystems = NULL, *s, *config, *e, *name;
	char *copy, *str;
	ssize_t n;

	if (size > 1 << 20) {
		return 0;
	}
	/* The parser works in place: give it its own copy, as the loader does. */
	copy = malloc(size + 1);
	if (copy == NULL) {
		return 0;
	}
	memcpy(copy, data, size);
	copy[size] = '\0';
	n = spdk_json_parse(copy, size, NULL, 0, NULL, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS);
	if (n <= 0) {
		free(copy);
		return 0;
	}
	values = calloc((size_t)n, sizeof(*values));
	if (values == NULL) {
		free(copy);
		return 0;
	}
	if (spdk_json_parse(copy, size, values, (size_t)n, NULL,
			    SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS) != n ||
	    values[0].type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		goto out;
	}
	if (spdk_json_find_array(values, "subsystems", NULL, &subsystems) != 0) {
		goto out;
	}
	for (s = spdk_json_array_first(subsystems); s != NULL; s = spdk_json_next(s)) {
		if (s->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
			continue;
		}
		if (spdk_json_find_string(s, "subsystem", NULL, &name) == 0) {
			str = spdk_json_strdup(name);
			free(str);
		}
		if (spdk_json_find_array(s, "config", NULL, &config) != 0) {
			continue;
		}
		for (e = spdk_json_array_first(config); e != NULL; e = spdk_json_next(e)) {
			walk_entry(e);
		}
	}
out:
	free(values);
	free(copy);
	return 0;
}
