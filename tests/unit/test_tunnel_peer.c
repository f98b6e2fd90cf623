// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_peer.c: the far end of a point-to-point subnet. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "tunnel_peer.h"

static struct tunnel_ip ip(const char *s)
{
	struct tunnel_ip a = {};

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.u), 1);
	return a;
}

static void expect_peer(const char *addr, uint8_t plen, const char *want)
{
	struct tunnel_ip a = ip(addr), p, w = ip(want);

	memset(&p, 0x5a, sizeof(p));
	assert_int_equal(tunnel_peer_from_subnet(&a, plen, &p), 0);
	assert_int_equal(p.family, w.family);
	assert_memory_equal(&p.u, &w.u, w.family == AF_INET ? 4 : 16);
}

static void expect_none(const char *addr, uint8_t plen)
{
	struct tunnel_ip a = ip(addr), p;

	assert_int_equal(tunnel_peer_from_subnet(&a, plen, &p), -1);
}

static void test_peers(void **state)
{
	(void)state;
	expect_peer("10.0.0.1", 30, "10.0.0.2");
	expect_peer("10.0.0.2", 30, "10.0.0.1");
	expect_peer("172.31.12.5", 30, "172.31.12.6");
	expect_peer("10.0.0.0", 31, "10.0.0.1");
	expect_peer("10.0.0.1", 31, "10.0.0.0");
	expect_peer("255.255.255.255", 31, "255.255.255.254");
	expect_peer("fd00::", 127, "fd00::1");
	expect_peer("fd00::ff", 127, "fd00::fe");
}

static void test_no_peer(void **state)
{
	struct tunnel_ip a = ip("10.0.0.1"), p, none = {};

	(void)state;
	expect_none("10.0.0.0", 30); /* network */
	expect_none("10.0.0.3", 30); /* broadcast */
	expect_none("10.0.0.1", 29);
	expect_none("10.0.0.1", 32);
	expect_none("10.0.0.1", 24);
	expect_none("fd00::1", 126);
	expect_none("fd00::1", 128);
	expect_none("fd00::1", 64);
	assert_int_equal(tunnel_peer_from_subnet(&none, 31, &p), -1);
	assert_int_equal(tunnel_peer_from_subnet(NULL, 31, &p), -1);
	assert_int_equal(tunnel_peer_from_subnet(&a, 31, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peers),
		cmocka_unit_test(test_no_peer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
