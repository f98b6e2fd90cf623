// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_name.c: Linux interface name checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "tunnel_name.h"

static void test_valid(void **state)
{
	static const char *const good[] = {
		"a",  "gre0", "wg-site_b.1", "TUN", "0", "abcdefghijklmno", "...",	   ".a",
		"a.", "..a",  "a..b",	     "-",   "_", "x\x01y",	    "caf\xc3\xa9",
	};

	(void)state;
	assert_int_equal(strlen("abcdefghijklmno"), 15);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *msg = "untouched";

		assert_true(tunnel_name_valid(good[i], &msg));
		/* A valid name leaves the message alone. */
		assert_string_equal(msg, "untouched");
		assert_true(tunnel_name_valid(good[i], NULL));
	}
}

static void test_invalid(void **state)
{
	static const struct {
		const char *name;
		const char *why;
	} bad[] = {
		{ "", "empty" },
		{ "abcdefghijklmnop", "1 to 15" },
		{ "a-name-much-longer-than-sixteen-characters", "1 to 15" },
		{ ".", "'.' or '..'" },
		{ "..", "'.' or '..'" },
		{ "a/b", "'/'" },
		{ "/", "'/'" },
		{ "../etc", "'/'" },
		{ "eth0:1", "':'" },
		{ "gre%d", "'%'" },
		{ " a", "white space" },
		{ "a b", "white space" },
		{ "a ", "white space" },
		{ "a\tb", "white space" },
		{ "a\nb", "white space" },
		{ "a\vb", "white space" },
		{ "a\fb", "white space" },
		{ "a\rb", "white space" },
		/* The kernel's isspace() counts Latin-1 NBSP. */
		{ "a\xa0", "white space" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *msg = NULL;

		assert_false(tunnel_name_valid(bad[i].name, &msg));
		assert_non_null(msg);
		assert_non_null(strstr(msg, bad[i].why));
		assert_false(tunnel_name_valid(bad[i].name, NULL));
	}
}

static void test_null(void **state)
{
	const char *msg = NULL;

	(void)state;
	assert_false(tunnel_name_valid(NULL, &msg));
	assert_string_equal(msg, "An interface name cannot be empty.");
	assert_false(tunnel_name_valid(NULL, NULL));
}

/* Exactly at and one past IFNAMSIZ - 1, in a buffer with nothing after it. */
static void test_length_edge(void **state)
{
	char name[17];

	(void)state;
	memset(name, 'x', sizeof(name));
	name[15] = '\0';
	assert_true(tunnel_name_valid(name, NULL));
	name[15] = 'x';
	name[16] = '\0';
	assert_false(tunnel_name_valid(name, NULL));
	/* Shares the YANG error message. */
	{
		const char *msg = NULL;

		assert_false(tunnel_name_valid(name, &msg));
		assert_string_equal(msg, "Linux interface names are 1 to 15 characters.");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_length_edge),
	};

	return cmocka_run_group_tests_name("tunnel_name", tests, NULL, NULL);
}
