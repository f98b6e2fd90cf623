// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_kind.c: the kind table, lookups and overheads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "tunnel_kind.h"

static const struct tunnel_kind_ops *kind(const char *name)
{
	const struct tunnel_kind_ops *ops = tunnel_kind_by_name(name);

	assert_non_null(ops);
	return ops;
}

static int overhead(const char *name, int af, bool key, bool csum, bool seq, bool elim)
{
	struct tunnel_kind_opts opts = {
		.underlay_family = af,
		.gre_key = key,
		.gre_csum = csum,
		.gre_seq = seq,
		.ip6_encap_limit = elim,
	};

	return tunnel_kind_overhead(kind(name), &opts);
}

/* Every entry sits at its own index, is complete, and names are unique. */
static void test_table_consistent(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		const struct tunnel_kind_ops *ops = tunnel_kind_get((enum tunnel_kind)k);

		assert_non_null(ops);
		assert_int_equal(ops->kind, k);
		assert_non_null(ops->name);
		assert_non_null(ops->info_kind);
		assert_non_null(ops->overhead);
		assert_int_not_equal(ops->families, 0);
		assert_int_equal(ops->families & ~(TUNNEL_AF_IPV4 | TUNNEL_AF_IPV6), 0);
		/* What changes in place must be a setting the kind takes. */
		assert_int_equal(ops->inplace & ~ops->settings, 0);
		assert_ptr_equal(tunnel_kind_by_name(ops->name), ops);
		for (int j = 0; j < k; j++)
			assert_string_not_equal(tunnel_kind_get((enum tunnel_kind)j)->name,
						ops->name);
	}
}

static void test_by_name(void **state)
{
	static const struct {
		const char *name;
		enum tunnel_kind kind;
		const char *info_kind;
	} want[] = {
		{ "gre", TUNNEL_KIND_GRE, "gre" },
		{ "ip6gre", TUNNEL_KIND_IP6GRE, "ip6gre" },
		{ "vti", TUNNEL_KIND_VTI, "vti" },
		{ "vti6", TUNNEL_KIND_VTI6, "vti6" },
		{ "xfrm", TUNNEL_KIND_XFRM, "xfrm" },
		{ "wireguard", TUNNEL_KIND_WIREGUARD, "wireguard" },
	};

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), TUNNEL_KIND_MAX);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct tunnel_kind_ops *ops = kind(want[i].name);

		assert_int_equal(ops->kind, want[i].kind);
		assert_string_equal(ops->name, want[i].name);
		assert_string_equal(ops->info_kind, want[i].info_kind);
		assert_ptr_equal(tunnel_kind_get(want[i].kind), ops);
	}
}

static void test_by_name_unknown(void **state)
{
	static const char *const unknown[] = {
		"",	"GRE", "Gre",	 "gre ", " gre", "gre0",   "gretap",	  "ip6gretap",
		"ipip", "sit", "ip6tnl", "wg",	 "vti4", "erspan", "wireguard\n",
	};

	(void)state;
	assert_null(tunnel_kind_by_name(NULL));
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_null(tunnel_kind_by_name(unknown[i]));
}

static void test_get_out_of_range(void **state)
{
	(void)state;
	assert_null(tunnel_kind_get(TUNNEL_KIND_MAX));
	assert_null(tunnel_kind_get((enum tunnel_kind)(TUNNEL_KIND_MAX + 1)));
	assert_null(tunnel_kind_get((enum tunnel_kind)(-1)));
}

static void test_families(void **state)
{
	static const struct {
		const char *name;
		bool v4, v6;
	} want[] = {
		{ "gre", true, false },	 { "ip6gre", false, true }, { "vti", true, false },
		{ "vti6", false, true }, { "xfrm", true, true },    { "wireguard", true, true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct tunnel_kind_ops *ops = kind(want[i].name);

		assert_int_equal(tunnel_kind_accepts_family(ops, AF_INET), want[i].v4);
		assert_int_equal(tunnel_kind_accepts_family(ops, AF_INET6), want[i].v6);
		assert_false(tunnel_kind_accepts_family(ops, AF_UNSPEC));
		assert_false(tunnel_kind_accepts_family(ops, AF_UNIX));
		assert_false(tunnel_kind_accepts_family(ops, -1));
	}
	assert_false(tunnel_kind_accepts_family(NULL, AF_INET));
}

static void test_needs_destination(void **state)
{
	(void)state;
	assert_true(kind("gre")->needs_destination);
	assert_true(kind("ip6gre")->needs_destination);
	assert_true(kind("vti")->needs_destination);
	assert_true(kind("vti6")->needs_destination);
	assert_true(kind("xfrm")->needs_destination);
	/* Its peers' endpoints replace the destination. */
	assert_false(kind("wireguard")->needs_destination);
}

/* GRE over IPv4: 20 IP + 4 GRE, and 4 more for each of key, checksum, seq. */
static void test_overhead_gre(void **state)
{
	static const struct {
		bool key, csum, seq;
		int bytes;
	} want[] = {
		{ false, false, false, 24 }, { true, false, false, 28 }, { false, true, false, 28 },
		{ true, true, false, 32 },   { false, false, true, 28 }, { true, false, true, 32 },
		{ false, true, true, 32 },   { true, true, true, 36 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		/* The encapsulation limit is an IPv6 option: no effect on gre. */
		for (int elim = 0; elim <= 1; elim++)
			assert_int_equal(overhead("gre", AF_INET, want[i].key, want[i].csum,
						  want[i].seq, elim),
					 want[i].bytes);
	}
}

/* ip6gre: 40 IPv6 + 4 GRE, the same GRE options, +8 for the encap limit. */
static void test_overhead_ip6gre(void **state)
{
	static const struct {
		bool key, csum, seq, elim;
		int bytes;
	} want[] = {
		{ false, false, false, false, 44 }, { true, false, false, false, 48 },
		{ false, true, false, false, 48 },  { true, true, false, false, 52 },
		{ false, false, true, false, 48 },  { true, false, true, false, 52 },
		{ false, true, true, false, 52 },   { true, true, true, false, 56 },
		{ false, false, false, true, 52 },  { true, false, false, true, 56 },
		{ false, true, false, true, 56 },   { true, true, false, true, 60 },
		{ false, false, true, true, 56 },   { true, false, true, true, 60 },
		{ false, true, true, true, 60 },    { true, true, true, true, 64 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(overhead("ip6gre", AF_INET6, want[i].key, want[i].csum,
					  want[i].seq, want[i].elim),
				 want[i].bytes);
}

/*
 * ESP in tunnel mode, worst case: outer IP (20/40) + ESP header 8 + IV 16 +
 * padding 15 + trailer 2 + ICV 16.  GRE options must not change it.
 */
static void test_overhead_esp(void **state)
{
	static const struct {
		const char *name;
		int af, bytes;
	} want[] = {
		{ "vti", AF_INET, 20 + 8 + 16 + 15 + 2 + 16 },
		{ "vti6", AF_INET6, 40 + 8 + 16 + 15 + 2 + 16 },
		{ "xfrm", AF_INET, 77 },
		{ "xfrm", AF_INET6, 97 },
	};

	(void)state;
	assert_int_equal(want[0].bytes, 77);
	assert_int_equal(want[1].bytes, 97);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (int bits = 0; bits < 16; bits++)
			assert_int_equal(overhead(want[i].name, want[i].af, bits & 1, bits & 2,
						  bits & 4, bits & 8),
					 want[i].bytes);
}

/* WireGuard: outer IP + 8 UDP + 32 WireGuard; GRE options do not apply. */
static void test_overhead_wireguard(void **state)
{
	(void)state;
	for (int bits = 0; bits < 16; bits++) {
		assert_int_equal(overhead("wireguard", AF_INET, bits & 1, bits & 2, bits & 4,
					  bits & 8),
				 60);
		assert_int_equal(overhead("wireguard", AF_INET6, bits & 1, bits & 2, bits & 4,
					  bits & 8),
				 80);
	}
}

static void test_overhead_rejects_family(void **state)
{
	static const struct {
		const char *name;
		int af;
	} bad[] = {
		{ "gre", AF_INET6 },	    { "ip6gre", AF_INET }, { "vti", AF_INET6 },
		{ "vti6", AF_INET },	    { "gre", AF_UNSPEC },  { "ip6gre", AF_UNSPEC },
		{ "vti", AF_UNSPEC },	    { "vti6", AF_UNSPEC }, { "xfrm", AF_UNSPEC },
		{ "wireguard", AF_UNSPEC }, { "xfrm", AF_UNIX },   { "wireguard", 12345 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(overhead(bad[i].name, bad[i].af, false, false, false, false),
				 -EAFNOSUPPORT);
}

static void test_overhead_null(void **state)
{
	struct tunnel_kind_opts opts = { .underlay_family = AF_INET };

	(void)state;
	assert_int_equal(tunnel_kind_overhead(NULL, &opts), -EINVAL);
	assert_int_equal(tunnel_kind_overhead(kind("gre"), NULL), -EINVAL);
	assert_int_equal(tunnel_kind_overhead(NULL, NULL), -EINVAL);
}

static void test_defaults(void **state)
{
	(void)state;
	/* TTL / hop limit 0: the kernel copies the inner packet's. */
	assert_int_equal(kind("gre")->defaults.ttl, 0);
	assert_int_equal(kind("ip6gre")->defaults.ttl, 0);
	/* Listen port 0: the kernel picks one. */
	assert_int_equal(kind("wireguard")->defaults.listen_port, 0);
	assert_int_equal(kind("wireguard")->defaults.peer_port, 51820);
}

static void test_settings(void **state)
{
	const uint32_t underlay = TUNNEL_SET_LOCAL | TUNNEL_SET_REMOTE | TUNNEL_SET_DEVICE;
	const uint32_t gre = TUNNEL_SET_TTL | TUNNEL_SET_GRE_KEY | TUNNEL_SET_GRE_CSUM;
	const uint32_t wg = TUNNEL_SET_WG_PRIVATE_KEY | TUNNEL_SET_WG_LISTEN_PORT |
			    TUNNEL_SET_WG_FWMARK | TUNNEL_SET_WG_PEERS;

	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		const struct tunnel_kind_ops *ops = tunnel_kind_get((enum tunnel_kind)k);

		/* Every link has an MTU and can be moved into a VRF. */
		assert_int_equal(ops->settings & (TUNNEL_SET_MTU | TUNNEL_SET_VRF),
				 TUNNEL_SET_MTU | TUNNEL_SET_VRF);
		assert_int_equal(ops->inplace & (TUNNEL_SET_MTU | TUNNEL_SET_VRF),
				 TUNNEL_SET_MTU | TUNNEL_SET_VRF);
	}
	assert_int_equal(kind("gre")->settings & (underlay | gre), underlay | gre);
	assert_int_equal(kind("ip6gre")->settings & (underlay | gre), underlay | gre);
	assert_int_equal(kind("gre")->settings & (TUNNEL_SET_VTI_KEYS | wg), 0);
	assert_true(kind("vti")->settings & TUNNEL_SET_VTI_KEYS);
	assert_true(kind("vti6")->settings & TUNNEL_SET_VTI_KEYS);
	assert_int_equal(kind("vti")->settings & gre, 0);
	assert_true(kind("xfrm")->settings & TUNNEL_SET_XFRM_IF_ID);
	assert_true(kind("xfrm")->settings & TUNNEL_SET_DEVICE);
	assert_int_equal(kind("wireguard")->settings & wg, wg);
	/* WireGuard binds no address or device. */
	assert_int_equal(kind("wireguard")->settings & underlay, 0);
}

/* What Linux 6.12 changes on a live link (see the comment in tunnel_kind.c). */
static void test_needs_recreate(void **state)
{
	const uint32_t all = ~0U;

	(void)state;
	/* ip_tunnel/ip6_tunnel changelink take everything, keys and csum too. */
	assert_false(tunnel_kind_needs_recreate(kind("gre"), all));
	assert_false(
		tunnel_kind_needs_recreate(kind("gre"), TUNNEL_SET_GRE_KEY | TUNNEL_SET_GRE_CSUM));
	assert_false(tunnel_kind_needs_recreate(kind("gre"), TUNNEL_SET_LOCAL | TUNNEL_SET_REMOTE |
								     TUNNEL_SET_TTL));
	assert_false(tunnel_kind_needs_recreate(kind("ip6gre"), all));
	assert_false(tunnel_kind_needs_recreate(kind("vti"), all));
	assert_false(tunnel_kind_needs_recreate(kind("vti6"), all));
	assert_false(tunnel_kind_needs_recreate(kind("wireguard"), all));
	/* xfrmi_change() refuses a new IFLA_XFRM_LINK. */
	assert_true(tunnel_kind_needs_recreate(kind("xfrm"), TUNNEL_SET_DEVICE));
	assert_true(tunnel_kind_needs_recreate(kind("xfrm"), all));
	assert_false(tunnel_kind_needs_recreate(kind("xfrm"),
						TUNNEL_SET_XFRM_IF_ID | TUNNEL_SET_LOCAL |
							TUNNEL_SET_REMOTE | TUNNEL_SET_MTU));
	/* Nothing changed, nothing to do. */
	for (int k = 0; k < TUNNEL_KIND_MAX; k++)
		assert_false(tunnel_kind_needs_recreate(tunnel_kind_get((enum tunnel_kind)k), 0));
	assert_true(tunnel_kind_needs_recreate(NULL, TUNNEL_SET_MTU));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_by_name),
		cmocka_unit_test(test_by_name_unknown),
		cmocka_unit_test(test_get_out_of_range),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_needs_destination),
		cmocka_unit_test(test_overhead_gre),
		cmocka_unit_test(test_overhead_ip6gre),
		cmocka_unit_test(test_overhead_esp),
		cmocka_unit_test(test_overhead_wireguard),
		cmocka_unit_test(test_overhead_rejects_family),
		cmocka_unit_test(test_overhead_null),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_needs_recreate),
	};

	return cmocka_run_group_tests_name("tunnel_kind", tests, NULL, NULL);
}
