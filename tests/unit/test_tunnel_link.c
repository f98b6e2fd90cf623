// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tests of core/tunnel_link.c: the rtnetlink messages, decoded here by a
 * walk of their own (libmnl's mnl_attr_parse, not the production parser),
 * the parser against good, real and malformed input, and the comparison.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tunnel_link.h"

#define BUFSZ 8192

/* Message buffers, aligned for struct nlmsghdr. */
static uint32_t buf32[BUFSZ / 4];
#define BUF ((void *)buf32)

/* The attributes of one level, as decoded by the test's own walk. */
struct attrs {
	const struct nlattr *tb[128];
	int count[128];
	int n;
	size_t bytes; /* the attributes' padded sizes, summed */
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	uint16_t t = mnl_attr_get_type(attr);

	assert_true(t < 128);
	a->tb[t] = attr;
	a->count[t]++;
	a->n++;
	a->bytes += MNL_ALIGN(attr->nla_len);
	return MNL_CB_OK;
}

/* The message's attributes after a family header of hdr bytes; all of them. */
static void collect(const struct nlmsghdr *nlh, size_t hdr, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(mnl_attr_parse(nlh, hdr, collect_cb, a), MNL_CB_OK);
	assert_int_equal(a->bytes, nlh->nlmsg_len - MNL_NLMSG_HDRLEN - MNL_ALIGN(hdr));
	for (int i = 0; i < 128; i++)
		assert_true(a->count[i] <= 1);
}

static void collect_nested(const struct nlattr *nest, struct attrs *a)
{
	assert_non_null(nest);
	assert_true(nest->nla_type & NLA_F_NESTED);
	memset(a, 0, sizeof(*a));
	assert_int_equal(mnl_attr_parse_nested(nest, collect_cb, a), MNL_CB_OK);
	assert_int_equal(a->bytes, mnl_attr_get_payload_len(nest));
	for (int i = 0; i < 128; i++)
		assert_true(a->count[i] <= 1);
}

static void expect_bytes(const struct nlattr *a, const void *bytes, size_t n)
{
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), n);
	assert_memory_equal(mnl_attr_get_payload(a), bytes, n);
}

static void expect_u8(const struct nlattr *a, uint8_t v)
{
	expect_bytes(a, &v, 1);
}

static void expect_u32(const struct nlattr *a, uint32_t v)
{
	expect_bytes(a, &v, 4);
}

static void expect_str(const struct nlattr *a, const char *s)
{
	expect_bytes(a, s, strlen(s) + 1);
}

static struct tunnel_ip ip4(const char *s)
{
	struct tunnel_ip ip = { .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, s, &ip.u.v4), 1);
	return ip;
}

static struct tunnel_ip ip6(const char *s)
{
	struct tunnel_ip ip = { .family = AF_INET6 };

	assert_int_equal(inet_pton(AF_INET6, s, &ip.u.v6), 1);
	return ip;
}

/* A link of each kind with every setting away from its default. */
static struct tunnel_link sample(enum tunnel_kind kind)
{
	struct tunnel_link tl = {
		.kind = kind,
		.name = "tun-x",
		.mtu = 1400,
		.master_ifindex = 7,
		.up = true,
		.alias = "tunneld:x",
		.link_ifindex = 3,
	};

	switch (kind) {
	case TUNNEL_KIND_GRE:
		tl.local = ip4("192.0.2.1");
		tl.remote = ip4("198.51.100.2");
		tl.ttl = 64;
		tl.gre_key_set = true;
		tl.gre_key = 0x01020304;
		tl.gre_csum = true;
		break;
	case TUNNEL_KIND_IP6GRE:
		tl.local = ip6("2001:db8::1");
		tl.remote = ip6("2001:db8:1::2");
		tl.ttl = 32;
		tl.gre_key_set = true;
		tl.gre_key = 12345;
		tl.gre_csum = true;
		break;
	case TUNNEL_KIND_VTI:
		tl.local = ip4("192.0.2.1");
		tl.remote = ip4("198.51.100.2");
		tl.ikey = 0x0a0b0c0d;
		tl.okey = 42;
		break;
	case TUNNEL_KIND_VTI6:
		tl.local = ip6("2001:db8::1");
		tl.remote = ip6("2001:db8:1::2");
		tl.ikey = 0x0a0b0c0d;
		tl.okey = 42;
		break;
	case TUNNEL_KIND_XFRM:
		tl.local = ip4("192.0.2.1");
		tl.remote = ip4("198.51.100.2");
		tl.if_id = 0x01020304;
		break;
	case TUNNEL_KIND_WIREGUARD:
		tl.link_ifindex = 0;
		break;
	case TUNNEL_KIND_MAX:
		fail();
	}
	return tl;
}

static const struct tunnel_kind_ops *ops_of(enum tunnel_kind kind)
{
	const struct tunnel_kind_ops *ops = tunnel_kind_get(kind);

	assert_non_null(ops);
	return ops;
}

/* Checks the RTM_NEWLINK's generic part; returns IFLA_INFO_DATA or NULL. */
static const struct nlattr *check_newlink(const struct nlmsghdr *nlh, const struct tunnel_link *tl,
					  uint32_t seq, struct attrs *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	bool create = tl->ifindex == 0;
	struct attrs top, li;
	int expect_n = 0;

	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_flags,
			 NLM_F_REQUEST | NLM_F_ACK | (create ? NLM_F_CREATE | NLM_F_EXCL : 0));
	assert_int_equal(nlh->nlmsg_seq, seq);
	assert_int_equal(nlh->nlmsg_pid, 0);
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_index, (int)tl->ifindex);
	assert_int_equal(ifm->ifi_flags, tl->up ? IFF_UP : 0);
	assert_int_equal(ifm->ifi_change, IFF_UP);
	assert_int_equal(ifm->ifi_type, 0);

	collect(nlh, sizeof(*ifm), &top);
	if (tl->name[0]) {
		expect_str(top.tb[IFLA_IFNAME], tl->name);
		expect_n++;
	} else {
		assert_null(top.tb[IFLA_IFNAME]);
	}
	if (tl->mtu) {
		expect_u32(top.tb[IFLA_MTU], tl->mtu);
		expect_n++;
	} else {
		assert_null(top.tb[IFLA_MTU]);
	}
	if (tl->alias[0]) {
		expect_str(top.tb[IFLA_IFALIAS], tl->alias);
		expect_n++;
	} else {
		assert_null(top.tb[IFLA_IFALIAS]);
	}
	if (tl->master_ifindex || !create) {
		expect_u32(top.tb[IFLA_MASTER], tl->master_ifindex);
		expect_n++;
	} else {
		assert_null(top.tb[IFLA_MASTER]);
	}
	assert_non_null(top.tb[IFLA_LINKINFO]);
	expect_n++;
	assert_int_equal(top.n, expect_n);

	collect_nested(top.tb[IFLA_LINKINFO], &li);
	expect_str(li.tb[IFLA_INFO_KIND], ops_of(tl->kind)->info_kind);
	if (tl->kind == TUNNEL_KIND_WIREGUARD) {
		assert_int_equal(li.n, 1);
		return NULL;
	}
	assert_int_equal(li.n, 2);
	collect_nested(li.tb[IFLA_INFO_DATA], data);
	return li.tb[IFLA_INFO_DATA];
}

static struct nlmsghdr *build(const struct tunnel_link *tl, uint32_t seq)
{
	struct nlmsghdr *nlh = tunnel_link_build_newlink(BUF, BUFSZ, seq, tl);

	assert_non_null(nlh);
	assert_ptr_equal(nlh, BUF);
	return nlh;
}

static const uint8_t be_01020304[4] = { 1, 2, 3, 4 };

/* GRE: addresses and keys big-endian, flags the GRE header's bits. */
static void check_gre_data(const struct attrs *d, const struct tunnel_link *tl)
{
	const uint8_t flags_be[2] = { (tl->gre_csum ? 0x80 : 0) | (tl->gre_key_set ? 0x20 : 0), 0 };
	uint32_t key_be = tl->gre_key_set ? htonl(tl->gre_key) : 0;

	assert_int_equal(d->n, 9);
	expect_bytes(d->tb[IFLA_GRE_LOCAL], &tl->local.u.v4, 4);
	expect_bytes(d->tb[IFLA_GRE_REMOTE], &tl->remote.u.v4, 4);
	expect_u32(d->tb[IFLA_GRE_LINK], tl->link_ifindex);
	expect_u8(d->tb[IFLA_GRE_TTL], tl->ttl);
	expect_bytes(d->tb[IFLA_GRE_IFLAGS], flags_be, 2);
	expect_bytes(d->tb[IFLA_GRE_OFLAGS], flags_be, 2);
	expect_bytes(d->tb[IFLA_GRE_IKEY], &key_be, 4);
	expect_bytes(d->tb[IFLA_GRE_OKEY], &key_be, 4);
	expect_u8(d->tb[IFLA_GRE_PMTUDISC], 1);
}

static void test_newlink_gre(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_GRE);
	const uint8_t flags_be[2] = { 0xa0, 0x00 };
	struct attrs d;

	(void)state;
	check_newlink(build(&tl, 11), &tl, 11, &d);
	check_gre_data(&d, &tl);
	/* The byte order, spelled out. */
	expect_bytes(d.tb[IFLA_GRE_IKEY], be_01020304, 4);
	expect_bytes(d.tb[IFLA_GRE_IFLAGS], flags_be, 2);
	expect_bytes(d.tb[IFLA_GRE_LOCAL], (const uint8_t[]){ 192, 0, 2, 1 }, 4);

	/* A change carries every attribute again. */
	tl.ifindex = 9;
	tl.gre_key_set = false;
	tl.gre_csum = false;
	tl.ttl = 0;
	tl.local.family = 0;
	check_newlink(build(&tl, 12), &tl, 12, &d);
	tl.local.u.v4.s_addr = 0;
	check_gre_data(&d, &tl);
	expect_bytes(d.tb[IFLA_GRE_IFLAGS], (const uint8_t[]){ 0, 0 }, 2);
}

static void test_newlink_ip6gre(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_IP6GRE);
	const uint8_t flags_be[2] = { 0xa0, 0x00 };
	const uint8_t key_be[4] = { 0, 0, 0x30, 0x39 };
	struct attrs d;

	(void)state;
	for (int change = 0; change <= 1; change++) {
		tl.ifindex = change ? 21 : 0;
		check_newlink(build(&tl, 5), &tl, 5, &d);
		assert_int_equal(d.n, 9);
		expect_bytes(d.tb[IFLA_GRE_LOCAL], &tl.local.u.v6, 16);
		expect_bytes(d.tb[IFLA_GRE_REMOTE], &tl.remote.u.v6, 16);
		expect_u32(d.tb[IFLA_GRE_LINK], 3);
		expect_u8(d.tb[IFLA_GRE_TTL], 32);
		expect_bytes(d.tb[IFLA_GRE_IFLAGS], flags_be, 2);
		expect_bytes(d.tb[IFLA_GRE_OFLAGS], flags_be, 2);
		expect_bytes(d.tb[IFLA_GRE_IKEY], key_be, 4);
		expect_bytes(d.tb[IFLA_GRE_OKEY], key_be, 4);
		/* No encapsulation limit option: the table's overhead of 44. */
		expect_u32(d.tb[IFLA_GRE_FLAGS], IP6_TNL_F_IGN_ENCAP_LIMIT);
		assert_null(d.tb[IFLA_GRE_PMTUDISC]);
	}
	/* An unset address is the any address. */
	tl.local.family = 0;
	check_newlink(build(&tl, 5), &tl, 5, &d);
	expect_bytes(d.tb[IFLA_GRE_LOCAL], &in6addr_any, 16);
}

static void test_newlink_vti(void **state)
{
	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		struct tunnel_link tl = sample(v6 ? TUNNEL_KIND_VTI6 : TUNNEL_KIND_VTI);
		size_t alen = v6 ? 16 : 4;
		struct attrs d;

		for (int change = 0; change <= 1; change++) {
			tl.ifindex = change ? 33 : 0;
			check_newlink(build(&tl, 1), &tl, 1, &d);
			assert_int_equal(d.n, 5);
			expect_bytes(d.tb[IFLA_VTI_LOCAL], &tl.local.u, alen);
			expect_bytes(d.tb[IFLA_VTI_REMOTE], &tl.remote.u, alen);
			expect_u32(d.tb[IFLA_VTI_LINK], 3);
			/* Keys (the SAs' marks) in network byte order, as iproute2 sends them. */
			expect_bytes(d.tb[IFLA_VTI_IKEY], (const uint8_t[]){ 10, 11, 12, 13 }, 4);
			expect_bytes(d.tb[IFLA_VTI_OKEY], (const uint8_t[]){ 0, 0, 0, 42 }, 4);
		}
	}
}

static void test_newlink_xfrm(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_XFRM);
	struct attrs d;

	(void)state;
	for (int change = 0; change <= 1; change++) {
		tl.ifindex = change ? 44 : 0;
		check_newlink(build(&tl, 2), &tl, 2, &d);
		/* Host order, and no addresses: they belong to the SAs. */
		assert_int_equal(d.n, 2);
		expect_u32(d.tb[IFLA_XFRM_LINK], 3);
		expect_u32(d.tb[IFLA_XFRM_IF_ID], 0x01020304);
	}
}

static void test_newlink_wireguard(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_WIREGUARD);
	struct attrs d;

	(void)state;
	for (int change = 0; change <= 1; change++) {
		tl.ifindex = change ? 55 : 0;
		assert_null(check_newlink(build(&tl, 3), &tl, 3, &d));
	}
}

/* What is optional is left out; a change releases the VRF with IFLA_MASTER 0. */
static void test_newlink_optional(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_GRE);
	struct attrs d;

	(void)state;
	tl.mtu = 0;
	tl.alias[0] = '\0';
	tl.master_ifindex = 0;
	tl.up = false;
	check_newlink(build(&tl, 1), &tl, 1, &d);
	tl.ifindex = 8;
	check_newlink(build(&tl, 1), &tl, 1, &d);
	/* A change may leave the name out (it would rename the link). */
	tl.name[0] = '\0';
	check_newlink(build(&tl, 1), &tl, 1, &d);
}

static void test_newlink_invalid(void **state)
{
	struct tunnel_link tl;

	(void)state;
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, NULL));
	assert_int_equal(errno, EINVAL);

	tl = sample(TUNNEL_KIND_GRE);
	tl.kind = TUNNEL_KIND_MAX;
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);

	/* A new link needs a name; the name must fit IFNAMSIZ with its NUL. */
	tl = sample(TUNNEL_KIND_GRE);
	tl.name[0] = '\0';
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);
	memset(tl.name, 'a', sizeof(tl.name));
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);

	tl = sample(TUNNEL_KIND_GRE);
	memset(tl.alias, 'a', sizeof(tl.alias));
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);

	tl = sample(TUNNEL_KIND_GRE);
	tl.ifindex = (uint32_t)INT_MAX + 1;
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);

	/* An address of the other family. */
	tl = sample(TUNNEL_KIND_GRE);
	tl.remote = ip6("2001:db8::2");
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);
	tl = sample(TUNNEL_KIND_IP6GRE);
	tl.local = ip4("192.0.2.1");
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);
	tl = sample(TUNNEL_KIND_VTI6);
	tl.remote = ip4("192.0.2.1");
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);
	tl = sample(TUNNEL_KIND_VTI);
	tl.local.family = AF_UNIX;
	assert_null(tunnel_link_build_newlink(BUF, BUFSZ, 1, &tl));
	assert_int_equal(errno, EINVAL);
}

/* Every buffer too small fails cleanly, without writing past it (ASan). */
static void test_newlink_buffer_sizes(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		struct tunnel_link tl = sample((enum tunnel_kind)k);
		size_t need = build(&tl, 1)->nlmsg_len;

		for (size_t sz = 0; sz <= need; sz++) {
			void *b = malloc(sz ? sz : 1);
			struct nlmsghdr *nlh;

			assert_non_null(b);
			errno = 0;
			nlh = tunnel_link_build_newlink(b, sz, 1, &tl);
			if (sz < need) {
				assert_null(nlh);
				assert_int_equal(errno, EMSGSIZE);
			} else {
				assert_non_null(nlh);
				assert_int_equal(nlh->nlmsg_len, need);
			}
			free(b);
		}
	}
}

static void expect_ip_equal(const struct tunnel_ip *a, const struct tunnel_ip *b)
{
	assert_int_equal(a->family, b->family);
	if (a->family == AF_INET)
		assert_int_equal(a->u.v4.s_addr, b->u.v4.s_addr);
	else if (a->family == AF_INET6)
		assert_memory_equal(&a->u.v6, &b->u.v6, 16);
}

/* Build, parse back, and compare what the kind keeps. */
static void test_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		for (int variant = 0; variant < 2; variant++) {
			struct tunnel_link want = sample((enum tunnel_kind)k), have;

			want.ifindex = 77;
			if (variant) {
				want.up = false;
				want.mtu = 9000;
				want.ttl = want.ttl ? 1 : 0;
				want.gre_key_set = false;
				want.gre_key = 0;
				want.gre_csum = false;
				want.local.family = 0;
				memset(&want.local.u, 0, sizeof(want.local.u));
				want.alias[0] = '\0';
				want.master_ifindex = 0;
				want.ikey = 0xffffffff;
				want.okey = 0;
				want.if_id = 1;
			}
			assert_int_equal(tunnel_link_parse(build(&want, 1), &have), 1);
			assert_int_equal(have.kind, want.kind);
			assert_string_equal(have.name, want.name);
			assert_int_equal(have.ifindex, 77);
			assert_int_equal(have.mtu, want.mtu);
			assert_int_equal(have.master_ifindex, want.master_ifindex);
			assert_int_equal(have.up, want.up);
			assert_false(have.oper_up);
			assert_string_equal(have.alias, want.alias);
			assert_int_equal(have.link_ifindex, want.link_ifindex);
			if (k == TUNNEL_KIND_XFRM || k == TUNNEL_KIND_WIREGUARD) {
				assert_int_equal(have.local.family, 0);
				assert_int_equal(have.remote.family, 0);
			} else {
				expect_ip_equal(&have.local, &want.local);
				expect_ip_equal(&have.remote, &want.remote);
			}
			if (k == TUNNEL_KIND_GRE || k == TUNNEL_KIND_IP6GRE) {
				assert_int_equal(have.ttl, want.ttl);
				assert_int_equal(have.gre_key_set, want.gre_key_set);
				assert_int_equal(have.gre_key, want.gre_key);
				assert_int_equal(have.gre_csum, want.gre_csum);
			}
			if (k == TUNNEL_KIND_VTI || k == TUNNEL_KIND_VTI6) {
				assert_int_equal(have.ikey, want.ikey);
				assert_int_equal(have.okey, want.okey);
			}
			if (k == TUNNEL_KIND_XFRM)
				assert_int_equal(have.if_id, want.if_id);
			assert_false(have.gre_key_asym);
			assert_false(have.gre_csum_asym);
			assert_false(have.gre_seq);
			assert_false(have.ip6_encap_limit);
			assert_int_equal(tunnel_link_owned(&have), variant == 0);
			/* What tunneld sends, read back, is what it wants. */
			assert_int_equal(tunnel_link_diff(&want, &have), 0);
		}
	}
}

static void test_dellink_getlink(void **state)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct attrs a;

	(void)state;
	nlh = tunnel_link_build_dellink(BUF, BUFSZ, 99, 12);
	assert_non_null(nlh);
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_DELLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 99);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + sizeof(*ifm));
	assert_int_equal(ifm->ifi_index, 12);
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_flags, 0);
	assert_int_equal(ifm->ifi_change, 0);
	assert_null(tunnel_link_build_dellink(BUF, BUFSZ, 1, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_link_build_dellink(BUF, 31, 1, 12));
	assert_int_equal(errno, EMSGSIZE);

	for (uint32_t idx = 0; idx <= 5; idx += 5) {
		nlh = tunnel_link_build_getlink(BUF, BUFSZ, 7, idx);
		assert_non_null(nlh);
		ifm = mnl_nlmsg_get_payload(nlh);
		assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
		assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | (idx ? 0 : NLM_F_DUMP));
		assert_int_equal(nlh->nlmsg_seq, 7);
		assert_int_equal(ifm->ifi_index, (int)idx);
		assert_int_equal(ifm->ifi_family, AF_UNSPEC);
		collect(nlh, sizeof(*ifm), &a);
		assert_int_equal(a.n, 1);
		expect_u32(a.tb[IFLA_EXT_MASK], RTEXT_FILTER_SKIP_STATS);
	}
	assert_null(tunnel_link_build_getlink(NULL, BUFSZ, 1, 0));
	assert_int_equal(errno, EINVAL);

	/* With statistics: one link, no attribute that would filter them. */
	nlh = tunnel_link_build_getstats(BUF, BUFSZ, 8, 5);
	assert_non_null(nlh);
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(ifm->ifi_index, 5);
	collect(nlh, sizeof(*ifm), &a);
	assert_int_equal(a.n, 0);
	assert_null(tunnel_link_build_getstats(BUF, BUFSZ, 8, 0));
	assert_int_equal(errno, EINVAL);
}

static void check_addr(int cmd, const struct tunnel_ip *ip, uint8_t plen)
{
	struct nlmsghdr *nlh = tunnel_addr_build(BUF, BUFSZ, 31, cmd, 6, ip, plen);
	size_t alen = ip->family == AF_INET ? 4 : 16;
	struct ifaddrmsg *ifa;
	struct attrs a;

	assert_non_null(nlh);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, cmd);
	assert_int_equal(nlh->nlmsg_flags,
			 NLM_F_REQUEST | NLM_F_ACK |
				 (cmd == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0));
	assert_int_equal(nlh->nlmsg_seq, 31);
	assert_int_equal(ifa->ifa_family, ip->family);
	assert_int_equal(ifa->ifa_prefixlen, plen);
	assert_int_equal(ifa->ifa_flags, 0);
	assert_int_equal(ifa->ifa_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(ifa->ifa_index, 6);
	collect(nlh, sizeof(*ifa), &a);
	assert_int_equal(a.n, 2);
	expect_bytes(a.tb[IFA_LOCAL], &ip->u, alen);
	expect_bytes(a.tb[IFA_ADDRESS], &ip->u, alen);
}

static void test_addr(void **state)
{
	struct tunnel_ip v4 = ip4("10.0.0.1"), v6 = ip6("fd00::1"), bad = { 0 };

	(void)state;
	for (int cmd = RTM_NEWADDR; cmd <= RTM_DELADDR; cmd++) {
		check_addr(cmd, &v4, 30);
		check_addr(cmd, &v4, 31);
		check_addr(cmd, &v4, 32);
		check_addr(cmd, &v4, 0);
		check_addr(cmd, &v6, 64);
		check_addr(cmd, &v6, 127);
		check_addr(cmd, &v6, 128);
	}
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 6, &v4, 33));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 6, &v6, 129));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 6, &bad, 8));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 6, NULL, 8));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_GETADDR, 6, &v4, 8));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 0, &v4, 8));
	assert_int_equal(errno, EINVAL);
	for (size_t sz = 0; sz < 48; sz++) {
		void *b = malloc(sz ? sz : 1);

		assert_null(tunnel_addr_build(b, sz, 1, RTM_NEWADDR, 6, &v6, 64));
		assert_int_equal(errno, EMSGSIZE);
		free(b);
	}
}

/* Address dump request and the parser of the kernel's RTM_NEWADDR. */
static void test_addr_dump_and_parse(void **state)
{
	struct tunnel_ip v4 = ip4("10.0.0.1"), v6 = ip6("fd00::1"), got;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	uint32_t ifindex;
	uint8_t plen;

	(void)state;
	nlh = tunnel_addr_build_dump(BUF, BUFSZ, 9, AF_INET6);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_GETADDR);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, 9);
	assert_int_equal(nlh->nlmsg_len, mnl_nlmsg_size(sizeof(*ifa)));
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET6);
	assert_null(tunnel_addr_build_dump(BUF, BUFSZ, 9, AF_PACKET));
	assert_int_equal(errno, EINVAL);

	/* What tunneld sends is what it reads back. */
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v4, 30);
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), 0);
	assert_int_equal(ifindex, 7);
	assert_int_equal(plen, 30);
	assert_int_equal(got.family, AF_INET);
	assert_memory_equal(&got.u.v4, &v4.u.v4, sizeof(v4.u.v4));
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_DELADDR, 8, &v6, 127);
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), 0);
	assert_int_equal(ifindex, 8);
	assert_int_equal(plen, 127);
	assert_memory_equal(&got.u.v6, &v6.u.v6, sizeof(v6.u.v6));

	/* Lies: a v6-sized address on a v4 message, a prefix length past the
	 * family's, no address at all, a truncated header, another type. */
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v6, 64);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family = AF_INET;
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(ifindex, 0);
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v4, 30);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_prefixlen = 33;
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v4, 30);
	nlh->nlmsg_len = mnl_nlmsg_size(sizeof(struct ifaddrmsg));
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	nlh->nlmsg_len = mnl_nlmsg_size(sizeof(struct ifaddrmsg)) - 1;
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v4, 30);
	nlh->nlmsg_len += 4; /* an attribute header overrunning the message */
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	nlh = tunnel_addr_build(BUF, BUFSZ, 1, RTM_NEWADDR, 7, &v4, 30);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(tunnel_addr_parse(nlh, &ifindex, &got, &plen), -1);
	assert_int_equal(tunnel_addr_parse(NULL, &ifindex, &got, &plen), -1);
}

/* Parser. */

static struct nlattr *child(struct nlmsghdr *nlh, struct nlattr *parent, uint16_t type);
static struct nlattr *info_data(struct nlmsghdr *nlh);

/* An RTM_NEWLINK as the kernel sends it, built by hand in BUF. */
static struct nlmsghdr *kernel_link(int index, unsigned int flags, const char *name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(BUF);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = index;
	ifm->ifi_flags = flags;
	ifm->ifi_type = 778; /* ARPHRD_IPGRE */
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UNKNOWN);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1476);
	return nlh;
}

static void expect_malformed(const struct nlmsghdr *nlh)
{
	struct tunnel_link tl, zero;

	memset(&tl, 0x5a, sizeof(tl));
	errno = 0;
	assert_int_equal(tunnel_link_parse(nlh, &tl), -1);
	assert_int_equal(errno, EBADMSG);
	/* The output is left zeroed, of no kind. */
	memset(&zero, 0, sizeof(zero));
	zero.kind = TUNNEL_KIND_MAX;
	assert_memory_equal(&tl, &zero, sizeof(tl));
}

static void test_parse_kernel_gre(void **state)
{
	struct nlmsghdr *nlh = kernel_link(15, IFF_UP | IFF_RUNNING | IFF_POINTOPOINT | IFF_NOARP,
					   "gre1");
	struct nlattr *li, *data;
	struct in_addr local, remote;
	struct tunnel_link tl;

	(void)state;
	inet_pton(AF_INET, "192.0.2.1", &local);
	inet_pton(AF_INET, "198.51.100.2", &remote);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, "tunneld:gre1");
	mnl_attr_put_u32(nlh, IFLA_MASTER, 4);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "gre");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* Everything ipgre_fill_info() sends, in its order. */
	mnl_attr_put_u32(nlh, IFLA_GRE_LINK, 2);
	mnl_attr_put_u16(nlh, IFLA_GRE_IFLAGS, GRE_KEY);
	mnl_attr_put_u16(nlh, IFLA_GRE_OFLAGS, GRE_KEY);
	mnl_attr_put_u32(nlh, IFLA_GRE_IKEY, htonl(7));
	mnl_attr_put_u32(nlh, IFLA_GRE_OKEY, htonl(7));
	mnl_attr_put(nlh, IFLA_GRE_LOCAL, 4, &local);
	mnl_attr_put(nlh, IFLA_GRE_REMOTE, 4, &remote);
	mnl_attr_put_u8(nlh, IFLA_GRE_TTL, 0);
	mnl_attr_put_u8(nlh, IFLA_GRE_TOS, 0);
	mnl_attr_put_u8(nlh, IFLA_GRE_PMTUDISC, 1);
	mnl_attr_put_u8(nlh, IFLA_GRE_IGNORE_DF, 0);
	mnl_attr_put_u32(nlh, IFLA_GRE_FWMARK, 0);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_TYPE, 0);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_SPORT, 0);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_DPORT, 0);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_FLAGS, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	mnl_attr_put_u32(nlh, 999, 1); /* from a future kernel: ignored */

	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.kind, TUNNEL_KIND_GRE);
	assert_string_equal(tl.name, "gre1");
	assert_int_equal(tl.ifindex, 15);
	assert_int_equal(tl.mtu, 1476);
	assert_int_equal(tl.master_ifindex, 4);
	assert_true(tl.up);
	assert_true(tl.oper_up);
	assert_string_equal(tl.alias, "tunneld:gre1");
	assert_true(tunnel_link_owned(&tl));
	assert_int_equal(tl.local.family, AF_INET);
	assert_int_equal(tl.local.u.v4.s_addr, local.s_addr);
	assert_int_equal(tl.remote.u.v4.s_addr, remote.s_addr);
	assert_int_equal(tl.link_ifindex, 2);
	assert_int_equal(tl.ttl, 0);
	assert_true(tl.gre_key_set);
	assert_int_equal(tl.gre_key, 7);
	assert_false(tl.gre_csum);
	assert_false(tl.gre_key_asym || tl.gre_csum_asym || tl.gre_seq || tl.ip6_encap_limit);

	/* Keyed both ways, but with two keys: tunneld's single key cannot say that. */
	child(nlh, info_data(nlh), IFLA_GRE_OKEY)->nla_len = 8;
	memcpy(mnl_attr_get_payload(child(nlh, info_data(nlh), IFLA_GRE_OKEY)),
	       (const uint8_t[]){ 0, 0, 0, 8 }, 4);
	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_true(tl.gre_key_set);
	assert_int_equal(tl.gre_key, 7);
	assert_true(tl.gre_key_asym);
	assert_false(tl.gre_csum_asym);
}

/* An ip6gre link made by hand: one-way key and checksum, seq, encap limit. */
static void test_parse_kernel_ip6gre_odd(void **state)
{
	struct nlmsghdr *nlh = kernel_link(16, IFF_UP, "ip6gre1");
	struct nlattr *li, *data;
	struct tunnel_link tl;

	(void)state;
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "ip6gre");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_GRE_IFLAGS, GRE_KEY | GRE_SEQ);
	mnl_attr_put_u16(nlh, IFLA_GRE_OFLAGS, GRE_CSUM);
	mnl_attr_put_u32(nlh, IFLA_GRE_IKEY, htonl(9));
	mnl_attr_put(nlh, IFLA_GRE_LOCAL, 16, &in6addr_any);
	mnl_attr_put(nlh, IFLA_GRE_REMOTE, 16, &in6addr_loopback);
	mnl_attr_put_u8(nlh, IFLA_GRE_TTL, 64);
	mnl_attr_put_u8(nlh, IFLA_GRE_ENCAP_LIMIT, 4);
	/* The kernel adds its capability bits; IGN_ENCAP_LIMIT is not set. */
	mnl_attr_put_u32(nlh, IFLA_GRE_FLAGS, 0x30000);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);

	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.kind, TUNNEL_KIND_IP6GRE);
	assert_true(tl.up);
	assert_false(tl.oper_up); /* IFF_RUNNING not set */
	assert_int_equal(tl.local.family, 0);
	assert_int_equal(tl.remote.family, AF_INET6);
	assert_memory_equal(&tl.remote.u.v6, &in6addr_loopback, 16);
	assert_true(tl.gre_key_set);
	assert_int_equal(tl.gre_key, 9);
	assert_true(tl.gre_key_asym);
	assert_true(tl.gre_csum);
	assert_true(tl.gre_csum_asym);
	assert_true(tl.gre_seq);
	assert_true(tl.ip6_encap_limit);
	assert_false(tunnel_link_owned(&tl));
}

static void test_parse_kernel_vti_xfrm_wg(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *li, *data;
	struct tunnel_link tl;
	struct in6_addr a6;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::9", &a6);
	nlh = kernel_link(17, IFF_UP | IFF_RUNNING, "vti6x");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vti6");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VTI_LINK, 0);
	mnl_attr_put(nlh, IFLA_VTI_LOCAL, 16, &a6);
	mnl_attr_put(nlh, IFLA_VTI_REMOTE, 16, &in6addr_loopback);
	mnl_attr_put_u32(nlh, IFLA_VTI_IKEY, htonl(0x11223344));
	mnl_attr_put_u32(nlh, IFLA_VTI_OKEY, htonl(5));
	mnl_attr_put_u32(nlh, IFLA_VTI_FWMARK, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.kind, TUNNEL_KIND_VTI6);
	assert_true(tl.oper_up);
	assert_memory_equal(&tl.local.u.v6, &a6, 16);
	assert_int_equal(tl.ikey, 0x11223344);
	assert_int_equal(tl.okey, 5);

	nlh = kernel_link(18, IFF_UP | IFF_RUNNING, "xfrm1");
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_DOWN); /* the last one counts */
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "xfrm");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_XFRM_LINK, 2);
	mnl_attr_put_u32(nlh, IFLA_XFRM_IF_ID, 0xdeadbeef);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.kind, TUNNEL_KIND_XFRM);
	assert_false(tl.oper_up);
	assert_int_equal(tl.link_ifindex, 2);
	assert_int_equal(tl.if_id, 0xdeadbeef);

	/* WireGuard's link info is its kind alone. */
	nlh = kernel_link(19, IFF_UP | IFF_RUNNING, "wg0");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "wireguard");
	mnl_attr_nest_end(nlh, li);
	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.kind, TUNNEL_KIND_WIREGUARD);
	assert_string_equal(tl.name, "wg0");

	/* An RTM_DELLINK notification reads the same. */
	nlh->nlmsg_type = RTM_DELLINK;
	assert_int_equal(tunnel_link_parse(nlh, &tl), 1);
	assert_int_equal(tl.ifindex, 19);
}

/*
 * RTM_NEWLINK for a veth, as Linux 6.18 sent it (ip link add v0 mtu 1400
 * type veth peer name v1; ip link set v0 alias "peer of v1" up), with its
 * statistics, AF_SPEC and all.
 */
static const uint8_t veth_msg[] = {
	0xe4, 0x05, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0xe7, 0x47, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x07, 0x00, 0x03, 0x00, 0x76, 0x30, 0x00, 0x00, 0x08, 0x00, 0x0d, 0x00, 0xe8,
	0x03, 0x00, 0x00, 0x05, 0x00, 0x10, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x11, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x04,
	0x00, 0x78, 0x05, 0x00, 0x00, 0x08, 0x00, 0x32, 0x00, 0x44, 0x00, 0x00, 0x00, 0x08, 0x00,
	0x33, 0x00, 0xff, 0xff, 0x00, 0x00, 0x08, 0x00, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x28, 0x00, 0xff, 0xff, 0x00,
	0x00, 0x08, 0x00, 0x29, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x3a, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x08, 0x00, 0x3f, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x40, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x3b, 0x00, 0xf8, 0xff, 0x07, 0x00, 0x08, 0x00, 0x3c, 0x00,
	0xff, 0xff, 0x00, 0x00, 0x08, 0x00, 0x42, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x20,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x00,
	0x14, 0x00, 0x70, 0x65, 0x65, 0x72, 0x20, 0x6f, 0x66, 0x20, 0x76, 0x31, 0x00, 0x00, 0x08,
	0x00, 0x23, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x30, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x06, 0x00, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x27, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x5a, 0xea, 0xb1, 0x4e, 0x00, 0x87, 0x00, 0x00, 0x0a,
	0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xcc, 0x00, 0x17, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x2b, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x12,
	0x00, 0x09, 0x00, 0x01, 0x00, 0x76, 0x65, 0x74, 0x68, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
	0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x06, 0x00, 0x6e, 0x6f, 0x71, 0x75, 0x65,
	0x75, 0x65, 0x00, 0x30, 0x03, 0x1a, 0x00, 0x8c, 0x00, 0x02, 0x00, 0x88, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x27, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0, 0x02, 0x0a,
	0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x00, 0xff, 0xff,
	0x00, 0x00, 0x5c, 0xa3, 0x03, 0x00, 0xe0, 0x45, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0xf4,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x78, 0x05, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0xff, 0xff, 0xff, 0xff, 0xa0, 0x0f, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x80, 0x3a, 0x09, 0x00, 0x80, 0x51, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x58,
	0x02, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x60, 0xea, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x10, 0x27, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xee, 0x36, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff,
	0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x34, 0x01, 0x03, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06, 0x00,
	0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x0e, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x00, 0x3e, 0x80, 0x04, 0x00, 0x41, 0x80,
};

static void test_parse_real_veth(void **state)
{
	static uint32_t aligned[sizeof(veth_msg) / 4 + 1];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)aligned;
	struct tunnel_link tl;

	(void)state;
	memcpy(aligned, veth_msg, sizeof(veth_msg));
	assert_int_equal(nlh->nlmsg_len, sizeof(veth_msg));
	assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
	assert_int_equal(tl.kind, TUNNEL_KIND_MAX);
	assert_string_equal(tl.name, "v0");
	assert_int_equal(tl.ifindex, 3);
	assert_int_equal(tl.mtu, 1400);
	assert_string_equal(tl.alias, "peer of v1");
	assert_true(tl.up);
	/* Its peer is down: IF_OPER_LOWERLAYERDOWN, no IFF_RUNNING. */
	assert_false(tl.oper_up);
	assert_int_equal(tl.master_ifindex, 0);
	assert_false(tunnel_link_owned(&tl));
}

/* IFLA_STATS64: the first eight counters, whatever the kernel appends. */
static void test_parse_stats64(void **state)
{
	const uint64_t v[10] = { 11, 22, 1100, 2200, 1, 2, 3, 4, 99, 98 };
	struct nlmsghdr *nlh;
	struct tunnel_link tl;

	(void)state;
	nlh = kernel_link(3, IFF_UP, "gre1");
	assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
	assert_false(tl.stats_valid);

	nlh = kernel_link(3, IFF_UP, "gre1");
	mnl_attr_put(nlh, IFLA_STATS64, sizeof(v), v);
	assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
	assert_true(tl.stats_valid);
	assert_int_equal(tl.stats.rx_packets, 11);
	assert_int_equal(tl.stats.tx_packets, 22);
	assert_int_equal(tl.stats.rx_bytes, 1100);
	assert_int_equal(tl.stats.tx_bytes, 2200);
	assert_int_equal(tl.stats.rx_errors, 1);
	assert_int_equal(tl.stats.tx_errors, 2);
	assert_int_equal(tl.stats.rx_dropped, 3);
	assert_int_equal(tl.stats.tx_dropped, 4);

	/* Shorter than the eight counters: malformed. */
	nlh = kernel_link(3, IFF_UP, "gre1");
	mnl_attr_put(nlh, IFLA_STATS64, 8 * 8 - 1, v);
	expect_malformed(nlh);
}

/* Kinds not in the table: 0, their data only checked for form. */
static void test_parse_other_kinds(void **state)
{
	static const char *const kinds[] = { "gretap", "ip6gretap", "ipip", "erspan", "" };
	struct nlmsghdr *nlh;
	struct nlattr *li, *data;
	struct tunnel_link tl;

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		nlh = kernel_link(20, IFF_UP, "x");
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kinds[i]);
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_GRE_LINK, 2);
		mnl_attr_put(nlh, IFLA_GRE_LOCAL, 16, &in6addr_any); /* wrong for gre: not read */
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, li);
		assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
		assert_int_equal(tl.kind, TUNNEL_KIND_MAX);
		assert_int_equal(tl.link_ifindex, 0);
	}
	/* Even unread, another kind's data must be well-formed. */
	nlh = kernel_link(20, IFF_UP, "x");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "gretap");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_GRE_LINK, 2);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	((struct nlattr *)mnl_attr_get_payload(data))->nla_len = 12;
	expect_malformed(nlh);

	/* No link info at all: loopback, ethernet. */
	nlh = kernel_link(1, IFF_UP | IFF_RUNNING | IFF_LOOPBACK, "lo");
	assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
	assert_string_equal(tl.name, "lo");
	assert_true(tl.oper_up);
}

/* A GRE change message with ifindex set, for the malformed tests to break. */
static struct nlmsghdr *good_gre(void)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_GRE);
	struct tunnel_link out;
	struct nlmsghdr *nlh;

	tl.ifindex = 5;
	nlh = build(&tl, 1);
	assert_int_equal(tunnel_link_parse(nlh, &out), 1);
	return nlh;
}

#define IFM_END (MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg))

/* The attribute @type among the message's (parent NULL) or parent's. */
static struct nlattr *child(struct nlmsghdr *nlh, struct nlattr *parent, uint16_t type)
{
	char *p = parent ? (char *)mnl_attr_get_payload(parent) : (char *)nlh + IFM_END;
	char *end = parent ? (char *)parent + parent->nla_len : (char *)nlh + nlh->nlmsg_len;

	while (p + 4 <= end) {
		struct nlattr *a = (struct nlattr *)(void *)p;

		if (mnl_attr_get_type(a) == type)
			return a;
		p += MNL_ALIGN(a->nla_len);
	}
	fail();
	return NULL;
}

static struct nlattr *info_data(struct nlmsghdr *nlh)
{
	return child(nlh, child(nlh, NULL, IFLA_LINKINFO), IFLA_INFO_DATA);
}

static void test_parse_malformed(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct tunnel_link tl;
	uint32_t len;

	(void)state;
	/* Truncated headers. */
	for (len = 0; len < IFM_END; len++) {
		nlh = good_gre();
		nlh->nlmsg_len = len;
		expect_malformed(nlh);
	}
	/* The message ending inside an attribute. */
	nlh = good_gre();
	len = nlh->nlmsg_len;
	for (uint32_t cut = IFM_END + 1; cut < len; cut++) {
		nlh = good_gre();
		nlh->nlmsg_len = cut;
		/* A cut at an attribute's end leaves a shorter, valid message. */
		if (tunnel_link_parse(nlh, &tl) != -1)
			continue;
		assert_int_equal(errno, EBADMSG);
	}
	/* An attribute longer than the message. */
	nlh = good_gre();
	a = child(nlh, NULL, IFLA_IFNAME);
	a->nla_len = 0xfff0;
	expect_malformed(nlh);
	/* An attribute shorter than its header. */
	nlh = good_gre();
	a = child(nlh, NULL, IFLA_MTU);
	a->nla_len = 3;
	expect_malformed(nlh);
	/* Wrong sizes: IFLA_MTU of 2 and of 8 bytes, IFLA_MASTER of 1. */
	nlh = kernel_link(3, 0, "x");
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, "x");
	mnl_attr_put_u64(nlh, IFLA_MTU, 1500);
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, "x");
	mnl_attr_put_u8(nlh, IFLA_MASTER, 1);
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, "x");
	mnl_attr_put_u32(nlh, IFLA_OPERSTATE, 6);
	expect_malformed(nlh);
	/* Strings: not NUL-terminated, empty, too long for the field. */
	nlh = kernel_link(3, 0, NULL);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "abcd");
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, NULL);
	mnl_attr_put(nlh, IFLA_IFNAME, 0, NULL);
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, "sixteen-chars-xx");
	expect_malformed(nlh);
	nlh = kernel_link(3, 0, "x");
	{
		char alias[TUNNEL_LINK_ALIAS_MAX + 1];

		memset(alias, 'a', sizeof(alias) - 1);
		alias[sizeof(alias) - 1] = '\0';
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
		expect_malformed(nlh);
		alias[sizeof(alias) - 2] = '\0'; /* 255 characters: fits */
		nlh = kernel_link(3, 0, "x");
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
		assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
		assert_int_equal(strlen(tl.alias), TUNNEL_LINK_ALIAS_MAX - 1);
	}
	/* A nested INFO_DATA attribute running past its nest (still inside the message). */
	nlh = good_gre();
	a = child(nlh, info_data(nlh), IFLA_GRE_PMTUDISC);
	a->nla_len = 12;
	mnl_attr_put_u32(nlh, 999, 0); /* bytes for it to overrun into */
	expect_malformed(nlh);
	/* INFO_DATA running past LINKINFO, LINKINFO past the message. */
	nlh = good_gre();
	a = info_data(nlh);
	a->nla_len += 8;
	mnl_attr_put_u32(nlh, 999, 0);
	expect_malformed(nlh);
	nlh = good_gre();
	a = child(nlh, NULL, IFLA_LINKINFO);
	a->nla_len += 4;
	expect_malformed(nlh);
	/* Bytes after the last attribute, inside a nest and at the end. */
	nlh = good_gre();
	a = info_data(nlh);
	{
		struct nlattr *li = child(nlh, NULL, IFLA_LINKINFO);

		/* LINKINFO is last: grow it and INFO_DATA by a stray word. */
		memset((char *)nlh + nlh->nlmsg_len, 0, 4);
		a->nla_len += 4;
		li->nla_len += 4;
		nlh->nlmsg_len += 4;
		expect_malformed(nlh);
	}
	nlh = good_gre();
	memset((char *)nlh + nlh->nlmsg_len, 0, 3);
	nlh->nlmsg_len += 3;
	expect_malformed(nlh);
	/* Per-kind sizes: a gre address of 16 bytes, an ip6gre one of 4, a short key. */
	{
		static const struct {
			const char *kind;
			uint16_t type;
			size_t len;
		} bad[] = {
			{ "gre", IFLA_GRE_LOCAL, 16 },	 { "gre", IFLA_GRE_REMOTE, 3 },
			{ "ip6gre", IFLA_GRE_LOCAL, 4 }, { "gre", IFLA_GRE_IKEY, 2 },
			{ "gre", IFLA_GRE_IFLAGS, 4 },	 { "gre", IFLA_GRE_TTL, 4 },
			{ "ip6gre", IFLA_GRE_FLAGS, 1 }, { "vti", IFLA_VTI_LOCAL, 16 },
			{ "vti6", IFLA_VTI_REMOTE, 4 },	 { "vti", IFLA_VTI_OKEY, 8 },
			{ "vti", IFLA_VTI_LINK, 0 },	 { "xfrm", IFLA_XFRM_IF_ID, 2 },
			{ "xfrm", IFLA_XFRM_LINK, 5 },
		};
		static const uint8_t zeros[16];

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct nlattr *li, *data;

			nlh = kernel_link(4, 0, "t");
			li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
			mnl_attr_put_strz(nlh, IFLA_INFO_KIND, bad[i].kind);
			data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
			mnl_attr_put(nlh, bad[i].type, bad[i].len, zeros);
			mnl_attr_nest_end(nlh, data);
			mnl_attr_nest_end(nlh, li);
			expect_malformed(nlh);
		}
	}
	/* Not a link message; no ifindex. */
	nlh = good_gre();
	nlh->nlmsg_type = RTM_NEWADDR;
	expect_malformed(nlh);
	nlh = good_gre();
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index = 0;
	expect_malformed(nlh);
	nlh = good_gre();
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index = -3;
	expect_malformed(nlh);
	/* Garbage after a good header. */
	nlh = kernel_link(3, 0, NULL);
	nlh->nlmsg_len = IFM_END;
	memset((char *)nlh + IFM_END, 0xff, 7);
	nlh->nlmsg_len += 7;
	expect_malformed(nlh);
	/* NULL arguments. */
	assert_int_equal(tunnel_link_parse(NULL, &tl), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tunnel_link_parse(good_gre(), NULL), -1);
	assert_int_equal(errno, EINVAL);
}

/* The last attribute may lack its padding: the kernel's own parser accepts that. */
static void test_parse_unpadded_end(void **state)
{
	struct nlmsghdr *nlh = kernel_link(3, 0, NULL);
	struct tunnel_link tl;

	(void)state;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "abcd"); /* 4 + 5 bytes, padded to 12 */
	nlh->nlmsg_len -= 3;
	assert_int_equal(tunnel_link_parse(nlh, &tl), 0);
	assert_string_equal(tl.name, "abcd");
}

static uint32_t prng_state = 2463534242u;

static uint32_t prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 17;
	prng_state ^= prng_state << 5;
	return prng_state;
}

static void check_any_result(const struct nlmsghdr *nlh)
{
	struct tunnel_link tl;
	int ret;

	errno = 0;
	ret = tunnel_link_parse(nlh, &tl);
	assert_true(ret >= -1 && ret <= 1);
	if (ret < 0)
		assert_int_equal(errno, EBADMSG);
	/* Whatever was read stayed within its field. */
	assert_true(strnlen(tl.name, sizeof(tl.name)) < sizeof(tl.name));
	assert_true(strnlen(tl.alias, sizeof(tl.alias)) < sizeof(tl.alias));
	assert_true(ret != 1 || tl.kind < TUNNEL_KIND_MAX);
	assert_true(ret == 1 || tl.kind == TUNNEL_KIND_MAX);
}

/*
 * Random damage to good messages and random bytes, parsed from heap
 * buffers of exactly the message's size so ASan sees any read past it.
 */
static void test_parse_fuzz(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		struct tunnel_link tl = sample((enum tunnel_kind)k);
		struct nlmsghdr *good;

		tl.ifindex = 9;
		good = build(&tl, 1);
		for (int round = 0; round < 3000; round++) {
			uint32_t len = good->nlmsg_len;
			struct nlmsghdr *nlh = malloc(len);

			assert_non_null(nlh);
			memcpy(nlh, good, len);
			for (int flips = 1 + (int)(prng() % 4); flips > 0; flips--) {
				uint32_t at = IFM_END + prng() % (len - IFM_END);

				((uint8_t *)nlh)[at] = (uint8_t)prng();
			}
			if (round % 5 == 0)
				nlh->nlmsg_len = IFM_END + prng() % (len - IFM_END + 1);
			check_any_result(nlh);
			free(nlh);
		}
	}
	for (int round = 0; round < 3000; round++) {
		uint32_t len = IFM_END + prng() % 200;
		struct nlmsghdr *nlh = malloc(len);

		assert_non_null(nlh);
		for (uint32_t i = 0; i < len; i++)
			((uint8_t *)nlh)[i] = (uint8_t)prng();
		nlh->nlmsg_len = len;
		nlh->nlmsg_type = RTM_NEWLINK;
		((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index = 1;
		check_any_result(nlh);
		free(nlh);
	}
}

/* Comparison. */

static void expect_diff(const struct tunnel_link *want, const struct tunnel_link *have,
			uint32_t bits)
{
	assert_int_equal(tunnel_link_diff(want, have), bits);
}

static void test_diff_each_setting(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		const struct tunnel_link want = sample((enum tunnel_kind)k);
		const uint32_t settings = ops_of((enum tunnel_kind)k)->settings;
		struct tunnel_link have = want;
		bool v6 = k == TUNNEL_KIND_IP6GRE || k == TUNNEL_KIND_VTI6;
		bool addrs = k != TUNNEL_KIND_XFRM && k != TUNNEL_KIND_WIREGUARD;
		bool gre = k == TUNNEL_KIND_GRE || k == TUNNEL_KIND_IP6GRE;
		bool vti = k == TUNNEL_KIND_VTI || k == TUNNEL_KIND_VTI6;

		expect_diff(&want, &have, 0);

		/* What every kind compares. */
		have.mtu = 1500;
		expect_diff(&want, &have, TUNNEL_SET_MTU);
		have = want;
		have.master_ifindex = 0;
		expect_diff(&want, &have, TUNNEL_SET_VRF);
		have = want;
		have.link_ifindex = 99;
		expect_diff(&want, &have, k == TUNNEL_KIND_WIREGUARD ? 0 : TUNNEL_SET_DEVICE);

		/* Addresses: gre and vti compare them, xfrm's are not the link's. */
		have = want;
		have.local = v6 ? ip6("2001:db8::77") : ip4("192.0.2.77");
		expect_diff(&want, &have, addrs ? TUNNEL_SET_LOCAL : 0);
		have = want;
		have.local.family = 0;
		expect_diff(&want, &have, addrs ? TUNNEL_SET_LOCAL : 0);
		have = want;
		have.remote = v6 ? ip6("2001:db8::78") : ip4("192.0.2.78");
		expect_diff(&want, &have, addrs ? TUNNEL_SET_REMOTE : 0);

		have = want;
		have.ttl++;
		expect_diff(&want, &have, gre ? TUNNEL_SET_TTL : 0);
		have = want;
		have.gre_key++;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_KEY : 0);
		have = want;
		have.gre_key_set = false;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_KEY : 0);
		have = want;
		have.gre_key_asym = true;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_KEY : 0);
		have = want;
		have.gre_csum = false;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_CSUM : 0);
		have = want;
		have.gre_csum_asym = true;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_CSUM : 0);
		have = want;
		have.gre_seq = true;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_EXTRAS : 0);
		have = want;
		have.ip6_encap_limit = true;
		expect_diff(&want, &have, gre ? TUNNEL_SET_GRE_EXTRAS : 0);

		have = want;
		have.ikey++;
		expect_diff(&want, &have, vti ? TUNNEL_SET_VTI_KEYS : 0);
		have = want;
		have.okey = 0;
		expect_diff(&want, &have, vti ? TUNNEL_SET_VTI_KEYS : 0);
		have = want;
		have.if_id = 0;
		expect_diff(&want, &have, k == TUNNEL_KIND_XFRM ? TUNNEL_SET_XFRM_IF_ID : 0);

		/* Never a difference: the alias, the name, up/down, the index. */
		have = want;
		strcpy(have.alias, "someone else's");
		have.up = !want.up;
		have.oper_up = true;
		have.ifindex = 1234;
		strcpy(have.name, "other");
		expect_diff(&want, &have, 0);

		/* Every bit reported is a setting of the kind. */
		have = want;
		have.mtu = 1;
		have.master_ifindex = 1;
		have.link_ifindex = 1;
		have.local.family = 0;
		have.remote.family = 0;
		have.ttl = 1;
		have.gre_key_set = false;
		have.gre_csum = false;
		have.gre_seq = true;
		have.ikey = have.okey = have.if_id = 9;
		assert_int_equal(tunnel_link_diff(&want, &have) & ~settings, 0);
	}
}

static void test_diff_mtu_zero(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		struct tunnel_link want = sample((enum tunnel_kind)k), have = want;

		want.mtu = 0;
		for (uint32_t mtu = 0; mtu < 70000; mtu += 1400) {
			have.mtu = mtu;
			expect_diff(&want, &have, 0);
		}
	}
}

static void test_diff_kind(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		for (int j = 0; j < TUNNEL_KIND_MAX; j++) {
			struct tunnel_link want = sample((enum tunnel_kind)k);
			struct tunnel_link have = sample((enum tunnel_kind)j);

			have.kind = (enum tunnel_kind)j;
			want.mtu = have.mtu;
			expect_diff(&want, &have,
				    k == j ? (uint32_t)0 : ops_of((enum tunnel_kind)k)->settings);
		}
		/* Not a tunnel at all (what the parser returns 0 for). */
		struct tunnel_link want = sample((enum tunnel_kind)k), have = want;

		have.kind = TUNNEL_KIND_MAX;
		expect_diff(&want, &have, ops_of((enum tunnel_kind)k)->settings);
	}
	{
		struct tunnel_link want = sample(TUNNEL_KIND_GRE);

		assert_int_equal(tunnel_link_diff(NULL, &want), 0);
		assert_int_equal(tunnel_link_diff(&want, NULL), 0);
		want.kind = TUNNEL_KIND_MAX;
		assert_int_equal(tunnel_link_diff(&want, &want), 0);
	}
}

static void test_owned(void **state)
{
	struct tunnel_link tl = sample(TUNNEL_KIND_GRE);

	(void)state;
	strcpy(tl.alias, "tunneld:");
	assert_true(tunnel_link_owned(&tl));
	strcpy(tl.alias, "tunneld:gre1");
	assert_true(tunnel_link_owned(&tl));
	strcpy(tl.alias, "tunneld");
	assert_false(tunnel_link_owned(&tl));
	strcpy(tl.alias, " tunneld:");
	assert_false(tunnel_link_owned(&tl));
	strcpy(tl.alias, "Tunneld:");
	assert_false(tunnel_link_owned(&tl));
	tl.alias[0] = '\0';
	assert_false(tunnel_link_owned(&tl));
	assert_false(tunnel_link_owned(NULL));
}

/* Error replies. */

static struct nlmsghdr *error_reply(int error, uint16_t flags, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(BUF);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = flags;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	if (req) {
		e->msg = *req;
		if (!(flags & NLM_F_CAPPED)) {
			/* The whole request follows the error. */
			memcpy((char *)nlh + nlh->nlmsg_len, (const char *)req + MNL_NLMSG_HDRLEN,
			       req->nlmsg_len - MNL_NLMSG_HDRLEN);
			nlh->nlmsg_len += MNL_ALIGN(req->nlmsg_len - MNL_NLMSG_HDRLEN);
		}
	}
	return nlh;
}

static void test_strerror(void **state)
{
	static uint32_t reqbuf[512];
	struct tunnel_link tl = sample(TUNNEL_KIND_GRE);
	struct nlmsghdr *req, *nlh;
	char out[128];

	(void)state;
	req = tunnel_link_build_newlink(reqbuf, sizeof(reqbuf), 5, &tl);
	assert_non_null(req);

	/* Plain error, with and without the request echoed. */
	nlh = error_reply(-EINVAL, NLM_F_CAPPED, req);
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), "Invalid argument");
	nlh = error_reply(-EEXIST, 0, req);
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), "File exists");

	/* Extended ack after a capped and after a whole request. */
	for (int capped = 0; capped <= 1; capped++) {
		nlh = error_reply(-EOPNOTSUPP, NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0), req);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown device type");
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		assert_ptr_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), out);
		assert_string_equal(out, "Operation not supported: Unknown device type");
	}
	/* Ack TLVs without a message. */
	nlh = error_reply(-ENODEV, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), "No such device");
	/* The kernel's text is kept printable. */
	nlh = error_reply(-EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "bad\n\x1b[31mthing\x7f");
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "Invalid argument: bad??[31mthing?");
	/* A small buffer gets a cut, terminated text. */
	nlh = error_reply(-EOPNOTSUPP, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown device type");
	assert_string_equal(tunnel_nl_strerror(nlh, out, 10), "Operation");
	/* Odd codes. */
	nlh = error_reply(0, 0, NULL);
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), "Success");
	nlh = error_reply(INT_MIN, 0, NULL);
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)), "Unknown error 2147483648");

	/* Malformed replies. */
	nlh = error_reply(-EINVAL, 0, NULL);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "malformed netlink error reply");
	nlh = error_reply(-EINVAL, 0, NULL);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "malformed netlink error reply");
	assert_string_equal(tunnel_nl_strerror(NULL, out, sizeof(out)),
			    "malformed netlink error reply");
	/* An echoed request longer than the reply. */
	nlh = error_reply(-EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_CAPPED;
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "Invalid argument (malformed extended ack)");
	nlh = error_reply(-EINVAL, NLM_F_ACK_TLVS, req);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 3;
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "Invalid argument (malformed extended ack)");
	/* A TLV running past the reply; a message without its NUL. */
	nlh = error_reply(-EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "abc");
	nlh->nlmsg_len -= 4;
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "Invalid argument (malformed extended ack)");
	nlh = error_reply(-EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, req);
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");
	assert_string_equal(tunnel_nl_strerror(nlh, out, sizeof(out)),
			    "Invalid argument (malformed extended ack)");
	assert_null(tunnel_nl_strerror(nlh, NULL, 10));
}

/* The kind table's netlink entries. */
static void test_kind_table_netlink(void **state)
{
	(void)state;
	for (int k = 0; k < TUNNEL_KIND_MAX; k++) {
		const struct tunnel_kind_ops *ops = ops_of((enum tunnel_kind)k);

		assert_non_null(ops->diff);
		assert_ptr_equal(tunnel_kind_by_info_kind(ops->info_kind), ops);
		/* Only WireGuard has no rtnetlink data of its own. */
		assert_int_equal(ops->put_info_data == NULL, k == TUNNEL_KIND_WIREGUARD);
		assert_int_equal(ops->parse_info_data == NULL, k == TUNNEL_KIND_WIREGUARD);
	}
	assert_null(tunnel_kind_by_info_kind(NULL));
	assert_null(tunnel_kind_by_info_kind("gretap"));
	assert_null(tunnel_kind_by_info_kind("ip6gretap"));
	assert_null(tunnel_kind_by_info_kind("ip6tnl"));
	assert_null(tunnel_kind_by_info_kind("GRE"));
	assert_null(tunnel_kind_by_info_kind(""));
	assert_true(ops_of(TUNNEL_KIND_GRE)->settings & TUNNEL_SET_GRE_EXTRAS);
	assert_true(ops_of(TUNNEL_KIND_IP6GRE)->inplace & TUNNEL_SET_GRE_EXTRAS);
	assert_false(ops_of(TUNNEL_KIND_VTI)->settings & TUNNEL_SET_GRE_EXTRAS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newlink_gre),
		cmocka_unit_test(test_newlink_ip6gre),
		cmocka_unit_test(test_newlink_vti),
		cmocka_unit_test(test_newlink_xfrm),
		cmocka_unit_test(test_newlink_wireguard),
		cmocka_unit_test(test_newlink_optional),
		cmocka_unit_test(test_newlink_invalid),
		cmocka_unit_test(test_newlink_buffer_sizes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_dellink_getlink),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_dump_and_parse),
		cmocka_unit_test(test_parse_kernel_gre),
		cmocka_unit_test(test_parse_kernel_ip6gre_odd),
		cmocka_unit_test(test_parse_kernel_vti_xfrm_wg),
		cmocka_unit_test(test_parse_real_veth),
		cmocka_unit_test(test_parse_other_kinds),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_stats64),
		cmocka_unit_test(test_parse_unpadded_end),
		cmocka_unit_test(test_parse_fuzz),
		cmocka_unit_test(test_diff_each_setting),
		cmocka_unit_test(test_diff_mtu_zero),
		cmocka_unit_test(test_diff_kind),
		cmocka_unit_test(test_owned),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_kind_table_netlink),
	};

	return cmocka_run_group_tests_name("tunnel_link", tests, NULL, NULL);
}
