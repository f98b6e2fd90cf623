// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_mtu.c: `mtu auto` arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "tunnel_kind.h"
#include "tunnel_mtu.h"

static const struct tunnel_kind_opts v4 = { .underlay_family = AF_INET };
static const struct tunnel_kind_opts v6 = { .underlay_family = AF_INET6 };

static int mtu(const char *name, const struct tunnel_kind_opts *opts, unsigned int underlay)
{
	const struct tunnel_kind_ops *ops = tunnel_kind_by_name(name);

	assert_non_null(ops);
	return tunnel_mtu_auto(ops, opts, underlay);
}

/* Every kind over every family it takes, with the options that matter. */
struct kind_case {
	const struct tunnel_kind_ops *ops;
	const struct tunnel_kind_opts *opts;
};

/* gre, ip6gre, vti, vti6: 2 each; xfrm, wireguard: 4 each */
#define KIND_CASES 16

static size_t kind_cases(struct kind_case *cases, size_t max)
{
	static const struct tunnel_kind_opts all_opts[] = {
		{ .underlay_family = AF_INET },
		{ .underlay_family = AF_INET6 },
		{ .underlay_family = AF_INET, .gre_key = true, .gre_csum = true, .gre_seq = true },
		{ .underlay_family = AF_INET6,
		  .gre_key = true,
		  .gre_csum = true,
		  .gre_seq = true,
		  .ip6_encap_limit = true },
	};
	size_t n = 0;

	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		const struct tunnel_kind_ops *ops = tunnel_kind_get((enum tunnel_kind)k);

		for (size_t o = 0; o < sizeof(all_opts) / sizeof(all_opts[0]); o++) {
			if (!tunnel_kind_accepts_family(ops, all_opts[o].underlay_family))
				continue;
			assert_true(n < max);
			cases[n].ops = ops;
			cases[n].opts = &all_opts[o];
			n++;
		}
	}
	assert_int_equal(n, KIND_CASES);
	return n;
}

/* An Ethernet underlay; the GRE figures match what Linux 6.12 sets itself. */
static void test_ethernet(void **state)
{
	struct tunnel_kind_opts gre_key = v4, gre_key_csum = v4, ip6gre_elim = v6;

	(void)state;
	gre_key.gre_key = true;
	gre_key_csum.gre_key = gre_key_csum.gre_csum = true;
	ip6gre_elim.ip6_encap_limit = true;

	assert_int_equal(mtu("gre", &v4, 1500), 1476);
	assert_int_equal(mtu("gre", &gre_key, 1500), 1472);
	assert_int_equal(mtu("gre", &gre_key_csum, 1500), 1468);
	assert_int_equal(mtu("ip6gre", &v6, 1500), 1456);
	/* The kernel's default ip6gre (encaplimit 4) gets 1448. */
	assert_int_equal(mtu("ip6gre", &ip6gre_elim, 1500), 1448);
	assert_int_equal(mtu("wireguard", &v4, 1500), 1440);
	assert_int_equal(mtu("wireguard", &v6, 1500), 1420);
	assert_int_equal(mtu("vti", &v4, 1500), 1423);
	assert_int_equal(mtu("vti6", &v6, 1500), 1403);
	assert_int_equal(mtu("xfrm", &v4, 1500), 1423);
	assert_int_equal(mtu("xfrm", &v6, 1500), 1403);
	/* PPPoE */
	assert_int_equal(mtu("gre", &v4, 1492), 1468);
	assert_int_equal(mtu("wireguard", &v4, 1492), 1432);
}

/* The smallest underlay is overhead + 68; one byte less is an error. */
static void test_smallest_underlay(void **state)
{
	struct kind_case cases[KIND_CASES];
	size_t n = kind_cases(cases, KIND_CASES);

	(void)state;
	assert_int_equal(mtu("gre", &v4, 92), 68);
	assert_int_equal(mtu("gre", &v4, 91), -ERANGE);
	assert_int_equal(mtu("wireguard", &v6, 148), 68);
	assert_int_equal(mtu("wireguard", &v6, 147), -ERANGE);
	assert_int_equal(mtu("vti6", &v6, 97 + 68), 68);
	assert_int_equal(mtu("vti6", &v6, 97 + 67), -ERANGE);

	for (size_t i = 0; i < n; i++) {
		const struct tunnel_kind_ops *ops = cases[i].ops;
		const struct tunnel_kind_opts *opts = cases[i].opts;

		unsigned int oh = (unsigned int)tunnel_kind_overhead(ops, opts);

		assert_int_equal(tunnel_mtu_auto(ops, opts, oh + TUNNEL_MTU_MIN_IPV4),
				 TUNNEL_MTU_MIN_IPV4);
		assert_int_equal(tunnel_mtu_auto(ops, opts, oh + TUNNEL_MTU_MIN_IPV4 - 1), -ERANGE);
		assert_int_equal(tunnel_mtu_auto(ops, opts, oh), -ERANGE);
		assert_int_equal(tunnel_mtu_auto(ops, opts, 68), -ERANGE);
		assert_int_equal(tunnel_mtu_auto(ops, opts, 0), -ERANGE);
	}
}

/*
 * The largest packet: 65535 bytes in all for IPv4, 65535 + the 40-byte
 * header for IPv6.  A larger underlay MTU (loopback: 65536) counts as that.
 */
static void test_largest_underlay(void **state)
{
	struct kind_case cases[KIND_CASES];
	size_t n = kind_cases(cases, KIND_CASES);

	(void)state;
	assert_int_equal(mtu("gre", &v4, 65535), 65511);
	assert_int_equal(mtu("gre", &v4, 65536), 65511);
	assert_int_equal(mtu("gre", &v4, UINT_MAX), 65511);
	assert_int_equal(mtu("wireguard", &v4, 65535), 65475);
	assert_int_equal(mtu("ip6gre", &v6, 65535), 65491);
	assert_int_equal(mtu("ip6gre", &v6, 65536), 65492);
	assert_int_equal(mtu("ip6gre", &v6, 65575), 65531);
	assert_int_equal(mtu("ip6gre", &v6, UINT_MAX), 65531);
	assert_int_equal(mtu("wireguard", &v6, UINT_MAX), 65495);

	for (size_t i = 0; i < n; i++) {
		const struct tunnel_kind_ops *ops = cases[i].ops;
		const struct tunnel_kind_opts *opts = cases[i].opts;

		int m = tunnel_mtu_auto(ops, opts, UINT_MAX);

		assert_in_range(m, TUNNEL_MTU_MIN_IPV6, TUNNEL_MTU_MAX);
		assert_int_equal(tunnel_mtu_auto(ops, opts, 65535),
				 65535 - tunnel_kind_overhead(ops, opts));
	}
}

/* IPv6 needs 1280 on the overlay; tunnel_mtu_ipv6_ok() says so. */
static void test_ipv6_minimum(void **state)
{
	struct kind_case cases[KIND_CASES];
	size_t n = kind_cases(cases, KIND_CASES);

	(void)state;
	assert_true(tunnel_mtu_ipv6_ok(1280));
	assert_false(tunnel_mtu_ipv6_ok(1279));
	assert_false(tunnel_mtu_ipv6_ok(68));
	assert_true(tunnel_mtu_ipv6_ok(65535));
	assert_false(tunnel_mtu_ipv6_ok(-ERANGE));
	assert_false(tunnel_mtu_ipv6_ok(-EINVAL));

	assert_true(tunnel_mtu_ipv6_ok(mtu("gre", &v4, 1304)));
	assert_false(tunnel_mtu_ipv6_ok(mtu("gre", &v4, 1303)));
	/* IPv6 over WireGuard over IPv6 needs an underlay of 1360. */
	assert_true(tunnel_mtu_ipv6_ok(mtu("wireguard", &v6, 1360)));
	assert_false(tunnel_mtu_ipv6_ok(mtu("wireguard", &v6, 1359)));

	for (size_t i = 0; i < n; i++) {
		const struct tunnel_kind_ops *ops = cases[i].ops;
		const struct tunnel_kind_opts *opts = cases[i].opts;

		unsigned int oh = (unsigned int)tunnel_kind_overhead(ops, opts);

		assert_true(tunnel_mtu_ipv6_ok(tunnel_mtu_auto(ops, opts, oh + 1280)));
		assert_false(tunnel_mtu_ipv6_ok(tunnel_mtu_auto(ops, opts, oh + 1279)));
	}
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(mtu("gre", &v6, 1500), -EAFNOSUPPORT);
	assert_int_equal(mtu("ip6gre", &v4, 1500), -EAFNOSUPPORT);
	assert_int_equal(mtu("vti", &v6, 1500), -EAFNOSUPPORT);
	assert_int_equal(mtu("vti6", &v4, 1500), -EAFNOSUPPORT);
	assert_int_equal(mtu("xfrm", &(struct tunnel_kind_opts){ 0 }, 1500), -EAFNOSUPPORT);
	assert_int_equal(tunnel_mtu_auto(NULL, &v4, 1500), -EINVAL);
	assert_int_equal(tunnel_mtu_auto(tunnel_kind_by_name("gre"), NULL, 1500), -EINVAL);
}

/*
 * GRE inside WireGuard (seed 004).  The seed adds 20 + 8 + 32 + 4 = 64 and
 * gets 1500 - 64 = 1436, but GRE between two WireGuard overlay addresses
 * carries its own delivery IP header too: the WireGuard interface has
 * 1500 - 60 = 1440, and GRE over IPv4 takes 24 of that, leaving 1416.  So
 * the nested case needs no formula: pass the WireGuard MTU as underlay.
 */
static void test_gre_inside_wireguard(void **state)
{
	int wg, gre;

	(void)state;
	wg = mtu("wireguard", &v4, 1500);
	assert_int_equal(wg, 1440);
	gre = mtu("gre", &v4, (unsigned int)wg);
	assert_int_equal(gre, 1416);
	/* The seed's figure is exactly one IPv4 header too generous. */
	assert_int_equal(1500 - (20 + 8 + 32 + 4), 1436);
	assert_int_equal(1436 - gre, 20);

	/* Seed's IPv6 outer case: 1416 claimed, 1396 correct. */
	wg = mtu("wireguard", &v6, 1500);
	assert_int_equal(wg, 1420);
	assert_int_equal(mtu("gre", &v4, (unsigned int)wg), 1396);
	/* ip6gre between IPv6 overlay addresses inside that WireGuard. */
	assert_int_equal(mtu("ip6gre", &v6, (unsigned int)wg), 1376);

	/* Seed's PPPoE case: 1428 claimed, 1408 correct. */
	assert_int_equal(mtu("gre", &v4, (unsigned int)mtu("wireguard", &v4, 1492)), 1408);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_smallest_underlay),
		cmocka_unit_test(test_largest_underlay),
		cmocka_unit_test(test_ipv6_minimum),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_gre_inside_wireguard),
	};

	return cmocka_run_group_tests_name("tunnel_mtu", tests, NULL, NULL);
}
