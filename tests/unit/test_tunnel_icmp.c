// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_icmp.c: echo probe requests and reply filtering. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "tunnel_icmp.h"

#define ID	0x1234
#define SEND_NS UINT64_C(0x0102030405060708)

/* id 0x1234, seq 1, send time 0x0102030405060708, 8 bytes of padding. */
static const uint8_t request4[32] = {
	0x08, 0x00, 0x28, 0xf6, /* echo request, code 0, checksum */
	0x12, 0x34, 0x00, 0x01, /* identifier, sequence */
	0x74, 0x75, 0x6e, 0x6e, 0x65, 0x6c, 0x64, 0x70, /* magic "tunneldp" */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* send time, ns */
	/* padding */
};

/* The reply to it as a raw IPv4 socket reads it: 192.0.2.2 -> 192.0.2.1. */
static const uint8_t reply4[52] = {
	0x45, 0x00, 0x00, 0x34, /* v4, IHL 5, total length 52 */
	0x12, 0x34, 0x40, 0x00, /* IP id, DF */
	0x40, 0x01, 0xa4, 0x91, /* TTL 64, ICMP, header checksum */
	0xc0, 0x00, 0x02, 0x02, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x30, 0xf6, /* echo reply, code 0, checksum */
	0x12, 0x34, 0x00, 0x01,
	0x74, 0x75, 0x6e, 0x6e, 0x65, 0x6c, 0x64, 0x70,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	/* padding */
};

static const uint8_t reply6[32] = {
	0x81, 0x00, 0xab, 0xcd, /* echo reply, code 0, a checksum we cannot check */
	0x12, 0x34, 0x00, 0x01,
	0x74, 0x75, 0x6e, 0x6e, 0x65, 0x6c, 0x64, 0x70,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

static const struct tunnel_icmp_echo probe = { .id = ID, .seq = 1, .send_ns = SEND_NS };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Sets the ICMP checksum of the message at icmp (len bytes) right again. */
static void fix_csum(uint8_t *icmp, size_t len)
{
	put16(icmp + 2, 0);
	put16(icmp + 2, tunnel_icmp_checksum(icmp, len));
}

static void test_checksum(void **state)
{
	/* RFC 1071 section 3: the sum of these words is 0xddf2. */
	static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	/* A Windows ping (id 1, seq 1), checksum 0x4d5a as captured on the wire. */
	uint8_t win[40] = { 0x08, 0x00, 0x4d, 0x5a, 0x00, 0x01, 0x00, 0x01 };
	uint8_t odd[3] = { 0x12, 0x34, 0x56 };

	(void)state;
	memcpy(win + 8, "abcdefghijklmnopqrstuvwabcdefghi", 32);
	assert_int_equal(tunnel_icmp_checksum(rfc1071, sizeof(rfc1071)), 0x220d);
	assert_int_equal(tunnel_icmp_checksum(win, sizeof(win)), 0); /* a right one sums to 0 */
	put16(win + 2, 0);
	assert_int_equal(tunnel_icmp_checksum(win, sizeof(win)), 0x4d5a);
	/* An odd last byte is the high half of a zero-padded word. */
	assert_int_equal(tunnel_icmp_checksum(odd, 3), (uint16_t)~(0x1234 + 0x5600));
	assert_int_equal(tunnel_icmp_checksum(odd, 1), (uint16_t)~0x1200);
	assert_int_equal(tunnel_icmp_checksum(odd, 0), 0xffff);
	assert_int_equal(tunnel_icmp_checksum(NULL, 8), 0xffff);
	/* End-around carry: 0xffff + 0x0001 = 0x0001 after folding. */
	assert_int_equal(tunnel_icmp_checksum((const uint8_t[]){ 0xff, 0xff, 0x00, 0x01 }, 4),
			 0xfffe);
	assert_int_equal(tunnel_icmp_checksum(reply4, 20), 0); /* the IPv4 header too */
	assert_int_equal(tunnel_icmp_checksum(reply4 + 20, 32), 0);
}

static void test_build4(void **state)
{
	uint8_t buf[TUNNEL_ICMP_MAX_LEN + 1];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf), 32),
			 32);
	assert_memory_equal(buf, request4, 32);
	assert_int_equal(buf[32], 0xee);

	/* The smallest, and a padded one whose checksum covers the padding. */
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, 24, 24), 24);
	assert_memory_equal(buf + 4, request4 + 4, 20);
	assert_int_equal(tunnel_icmp_checksum(buf, 24), 0);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf),
						 1473),
			 1473);
	assert_int_equal(tunnel_icmp_checksum(buf, 1473), 0);
	for (int i = 24; i < 1473; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(tunnel_icmp4_echo_build(&probe, 1, buf, sizeof(buf),
						 TUNNEL_ICMP_MAX_LEN),
			 TUNNEL_ICMP_MAX_LEN);
	assert_int_equal(tunnel_icmp_checksum(buf, TUNNEL_ICMP_MAX_LEN), 0);
	assert_memory_equal(buf + 8, ((const uint8_t[]){ 0, 0, 0, 0, 0, 0, 0, 1 }), 8);

	memset(buf, 0xee, 64);
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf), 23),
			 -EINVAL);
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf),
						 TUNNEL_ICMP_MAX_LEN + 1),
			 -EINVAL);
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, 31, 32),
			 -EMSGSIZE);
	assert_int_equal(tunnel_icmp4_echo_build(NULL, TUNNEL_ICMP_MAGIC, buf, 32, 32), -EINVAL);
	assert_int_equal(tunnel_icmp4_echo_build(&probe, TUNNEL_ICMP_MAGIC, NULL, 32, 32),
			 -EINVAL);
	assert_int_equal(buf[0], 0xee);
}

static void test_build6(void **state)
{
	uint8_t buf[64], want[32];

	(void)state;
	memcpy(want, request4, sizeof(want));
	want[0] = 128;
	want[2] = want[3] = 0; /* the kernel's job */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_icmp6_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf), 32),
			 32);
	assert_memory_equal(buf, want, 32);
	assert_int_equal(buf[32], 0xee);

	assert_int_equal(tunnel_icmp6_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, sizeof(buf), 23),
			 -EINVAL);
	assert_int_equal(tunnel_icmp6_echo_build(&probe, TUNNEL_ICMP_MAGIC, buf, 63, 64),
			 -EMSGSIZE);
	assert_int_equal(tunnel_icmp6_echo_build(NULL, TUNNEL_ICMP_MAGIC, buf, 64, 64), -EINVAL);
}

static int parse4(const uint8_t *buf, size_t len, struct tunnel_icmp_echo *e)
{
	return tunnel_icmp4_reply_parse(buf, len, ID, TUNNEL_ICMP_MAGIC, e);
}

static void test_parse4(void **state)
{
	uint8_t buf[80];
	struct tunnel_icmp_echo e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(parse4(reply4, sizeof(reply4), &e), 0);
	assert_int_equal(e.id, ID);
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.send_ns, SEND_NS);

	/* Bytes past the total length are not the packet's. */
	memset(buf, 0x99, sizeof(buf));
	memcpy(buf, reply4, sizeof(reply4));
	assert_int_equal(parse4(buf, sizeof(buf), &e), 0);

	/* IPv4 options: IHL 6 moves the ICMP message 4 bytes on. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, reply4, 20);
	buf[0] = 0x46;
	put16(buf + 2, 56);
	memcpy(buf + 20, (const uint8_t[]){ 0x01, 0x01, 0x01, 0x00 }, 4); /* NOPs, EOL */
	memcpy(buf + 24, reply4 + 20, 32);
	memset(&e, 0, sizeof(e));
	assert_int_equal(parse4(buf, 56, &e), 0);
	assert_int_equal(e.send_ns, SEND_NS);

	/* The largest seq and send time, another magic. */
	memcpy(buf, reply4, sizeof(reply4));
	memset(buf + 26, 0xff, 2);
	memset(buf + 36, 0xff, 8);
	memcpy(buf + 28, (const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1 }, 8);
	fix_csum(buf + 20, 32);
	assert_int_equal(tunnel_icmp4_reply_parse(buf, 52, ID, UINT64_C(0xdeadbeef00000001), &e),
			 0);
	assert_int_equal(e.seq, 0xffff);
	assert_int_equal(e.send_ns, UINT64_MAX);
	assert_int_equal(parse4(buf, 52, &e), TUNNEL_ICMP_ERR_MAGIC);
}

/* Applies one change to a copy of reply4 and expects err from the parser. */
struct bad4 {
	size_t off;
	uint8_t val;
	bool fix; /* set the ICMP checksum right after the change */
	size_t len;
	int err;
};

static void test_parse4_errors(void **state)
{
	static const struct bad4 cases[] = {
		{ 0, 0x45, false, 19, TUNNEL_ICMP_ERR_SHORT },	   /* no whole IPv4 header */
		{ 0, 0x45, false, 0, TUNNEL_ICMP_ERR_SHORT },
		{ 0, 0x65, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* version 6 */
		{ 0, 0x44, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* IHL 4 */
		{ 0, 0x4f, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* 60-byte header, total 52 */
		{ 0, 0x46, false, 23, TUNNEL_ICMP_ERR_SHORT },	   /* 24-byte header, 23 read */
		{ 0, 0x45, false, 51, TUNNEL_ICMP_ERR_SHORT },	   /* total length 52, 51 read */
		{ 3, 0x13, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* total 19 < header */
		{ 3, 0x35, false, 52, TUNNEL_ICMP_ERR_SHORT },	   /* total 53 > 52 read */
		{ 6, 0x20, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* more fragments */
		{ 7, 0x01, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* fragment offset */
		{ 6, 0x41, false, 52, TUNNEL_ICMP_ERR_IP_HEADER }, /* DF and offset 256 */
		{ 9, 17, false, 52, TUNNEL_ICMP_ERR_PROTO },	   /* UDP */
		{ 9, 58, false, 52, TUNNEL_ICMP_ERR_PROTO },	   /* ICMPv6 in IPv4 */
		{ 3, 27, false, 52, TUNNEL_ICMP_ERR_SHORT },	   /* 7-byte ICMP message */
		{ 20, 8, true, 52, TUNNEL_ICMP_ERR_TYPE },	   /* an echo request: our own */
		{ 20, 3, true, 52, TUNNEL_ICMP_ERR_TYPE },	   /* destination unreachable */
		{ 21, 1, true, 52, TUNNEL_ICMP_ERR_TYPE },	   /* code not 0 */
		{ 24, 0x13, true, 52, TUNNEL_ICMP_ERR_ID },
		{ 25, 0x35, true, 52, TUNNEL_ICMP_ERR_ID },
		{ 3, 43, true, 52, TUNNEL_ICMP_ERR_SHORT },	   /* ICMP 23 bytes: no send time */
		{ 3, 28, true, 52, TUNNEL_ICMP_ERR_SHORT },	   /* just the ICMP header */
		{ 51, 1, false, 52, TUNNEL_ICMP_ERR_CHECKSUM },	   /* padding changed */
		{ 22, 0x31, false, 52, TUNNEL_ICMP_ERR_CHECKSUM }, /* checksum changed */
		{ 27, 2, false, 52, TUNNEL_ICMP_ERR_CHECKSUM },	   /* seq changed */
		{ 28, 0x75, true, 52, TUNNEL_ICMP_ERR_MAGIC },
		{ 35, 0x71, true, 52, TUNNEL_ICMP_ERR_MAGIC },
		{ 10, 0, false, 52, 0 }, /* the IPv4 header checksum is the kernel's */
		{ 6, 0, false, 52, 0 },	 /* no DF */
	};
	uint8_t buf[64];
	struct tunnel_icmp_echo e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad4 *c = &cases[i];
		size_t tot;
		int ret;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, reply4, sizeof(reply4));
		buf[c->off] = c->val;
		tot = (size_t)buf[2] << 8 | buf[3];
		if (c->fix && tot >= 28)
			fix_csum(buf + 20, tot - 20);
		memset(&e, 0x55, sizeof(e));
		ret = parse4(buf, c->len, &e);
		if (ret != c->err)
			print_message("case %zu: %d\n", i, ret);
		assert_int_equal(ret, c->err);
		if (c->err)
			assert_int_equal(e.seq, 0x5555); /* untouched */
		else
			assert_int_equal(e.send_ns, SEND_NS);
	}
	assert_int_equal(tunnel_icmp4_reply_parse(reply4, 52, ID + 1, TUNNEL_ICMP_MAGIC, &e),
			 TUNNEL_ICMP_ERR_ID);
	assert_int_equal(tunnel_icmp4_reply_parse(reply4, 52, ID, TUNNEL_ICMP_MAGIC + 1, &e),
			 TUNNEL_ICMP_ERR_MAGIC);
	assert_int_equal(parse4(NULL, 52, &e), -EINVAL);
	assert_int_equal(parse4(reply4, 52, NULL), -EINVAL);
}

static void test_parse6(void **state)
{
	uint8_t buf[64];
	struct tunnel_icmp_echo e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(tunnel_icmp6_reply_parse(reply6, 24, ID, TUNNEL_ICMP_MAGIC, &e), 0);
	assert_int_equal(e.id, ID);
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.send_ns, SEND_NS);
	assert_int_equal(tunnel_icmp6_reply_parse(reply6, 32, ID, TUNNEL_ICMP_MAGIC, &e), 0);

#define PARSE6(b, l) tunnel_icmp6_reply_parse((b), (l), ID, TUNNEL_ICMP_MAGIC, &e)
	memset(&e, 0x55, sizeof(e));
	assert_int_equal(PARSE6(reply6, 23), TUNNEL_ICMP_ERR_SHORT);
	assert_int_equal(PARSE6(reply6, 8), TUNNEL_ICMP_ERR_SHORT);
	assert_int_equal(PARSE6(reply6, 7), TUNNEL_ICMP_ERR_SHORT);
	assert_int_equal(PARSE6(reply6, 0), TUNNEL_ICMP_ERR_SHORT);
	memcpy(buf, reply6, 32);
	buf[0] = 128; /* our own request */
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_TYPE);
	buf[0] = 0; /* an ICMPv4 reply's type */
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_TYPE);
	buf[0] = 1; /* destination unreachable */
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_TYPE);
	memcpy(buf, reply6, 32);
	buf[1] = 1;
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_TYPE);
	memcpy(buf, reply6, 32);
	buf[5] = 0x35;
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_ID);
	assert_int_equal(PARSE6(buf, 8), TUNNEL_ICMP_ERR_ID); /* id before length */
	memcpy(buf, reply6, 32);
	buf[15] = 0x71;
	assert_int_equal(PARSE6(buf, 32), TUNNEL_ICMP_ERR_MAGIC);
	assert_int_equal(e.seq, 0x5555);
	assert_int_equal(tunnel_icmp6_reply_parse(NULL, 32, ID, TUNNEL_ICMP_MAGIC, &e), -EINVAL);
	assert_int_equal(tunnel_icmp6_reply_parse(reply6, 32, ID, TUNNEL_ICMP_MAGIC, NULL),
			 -EINVAL);
#undef PARSE6
}

/* A request we build, answered as a peer's kernel does, is accepted. */
static void test_round_trip(void **state)
{
	struct tunnel_icmp_echo sent = { .id = 0xbeef, .seq = 0xfffe, .send_ns = 123456789 };
	struct tunnel_icmp_echo got;
	uint8_t pkt[20 + 1000];

	(void)state;
	memcpy(pkt, reply4, 20);
	put16(pkt + 2, sizeof(pkt));
	assert_int_equal(tunnel_icmp4_echo_build(&sent, 42, pkt + 20, 1000, 1000), 1000);
	pkt[20] = TUNNEL_ICMP_ECHO_REPLY;
	fix_csum(pkt + 20, 1000);
	memset(&got, 0, sizeof(got));
	assert_int_equal(tunnel_icmp4_reply_parse(pkt, sizeof(pkt), 0xbeef, 42, &got), 0);
	assert_int_equal(got.id, 0xbeef);
	assert_int_equal(got.seq, 0xfffe);
	assert_int_equal(got.send_ns, 123456789);

	assert_int_equal(tunnel_icmp6_echo_build(&sent, 42, pkt, sizeof(pkt), 100), 100);
	pkt[0] = TUNNEL_ICMP6_ECHO_REPLY;
	memset(&got, 0, sizeof(got));
	assert_int_equal(tunnel_icmp6_reply_parse(pkt, 100, 0xbeef, 42, &got), 0);
	assert_int_equal(got.seq, 0xfffe);
	assert_int_equal(got.send_ns, 123456789);
}

static void test_strerror(void **state)
{
	static const int codes[] = {
		0,
		TUNNEL_ICMP_ERR_SHORT,
		TUNNEL_ICMP_ERR_IP_HEADER,
		TUNNEL_ICMP_ERR_PROTO,
		TUNNEL_ICMP_ERR_TYPE,
		TUNNEL_ICMP_ERR_ID,
		TUNNEL_ICMP_ERR_CHECKSUM,
		TUNNEL_ICMP_ERR_MAGIC,
		-EINVAL,
		-EMSGSIZE,
	};
	const char *unknown = tunnel_icmp_strerror(-1);

	(void)state;
	assert_non_null(unknown);
	assert_string_equal(tunnel_icmp_strerror(-1001), unknown);
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *s = tunnel_icmp_strerror(codes[i]);

		assert_non_null(s);
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, tunnel_icmp_strerror(codes[j]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_build4),
		cmocka_unit_test(test_build6),
		cmocka_unit_test(test_parse4),
		cmocka_unit_test(test_parse4_errors),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("tunnel_icmp", tests, NULL, NULL);
}
