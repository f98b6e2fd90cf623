// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* Tests of core/tunnel_stamp.c: NTP time, Error Estimates, STAMP packets, the reflector. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tunnel_stamp.h"

#define ERA1_UNIX 2085978496 /* 2036-02-07 06:28:16 UTC: NTP seconds wrap to 0 */

static struct tunnel_ntp_ts ntp(uint32_t sec, uint32_t frac)
{
	struct tunnel_ntp_ts ts = { .sec = sec, .frac = frac };

	return ts;
}

static struct tunnel_ntp_ts from(time_t sec, long nsec)
{
	struct timespec ts = { .tv_sec = sec, .tv_nsec = nsec };

	return tunnel_ntp_from_timespec(ts);
}

#define assert_ntp(ts, s, f)                         \
	do {                                         \
		struct tunnel_ntp_ts _t = (ts);      \
		assert_int_equal(_t.sec, (s));       \
		assert_int_equal(_t.frac, (f));      \
	} while (0)

#define assert_timespec(ts, s, ns)                              \
	do {                                                    \
		struct timespec _t = (ts);                      \
		assert_int_equal((int64_t)_t.tv_sec, (int64_t)(s)); \
		assert_int_equal(_t.tv_nsec, (ns));             \
	} while (0)

/* Known dates; fractions round to the nearest 2^-32 s. */
static void test_ntp_from_timespec(void **state)
{
	(void)state;
	assert_ntp(from(0, 0), 2208988800U, 0);
	assert_ntp(from(1767225600, 0), 3976214400U, 0); /* 2026-01-01 */
	assert_ntp(from(0, 500000000), 2208988800U, 0x80000000U);
	assert_ntp(from(0, 250000000), 2208988800U, 0x40000000U);
	assert_ntp(from(0, 1), 2208988800U, 4);		   /* 4.29 */
	assert_ntp(from(0, 3), 2208988800U, 13);	   /* 12.88 */
	assert_ntp(from(0, 999999999), 2208988800U, 0xfffffffcU); /* 4294967291.7: no carry */
	/* Before 1970, and 1900 itself. */
	assert_ntp(from(-1, 0), 2208988799U, 0);
	assert_ntp(from(-2208988800, 0), 0, 0);
	/* The 2036 wrap: the last ns of era 0, then era 1 starts at 0. */
	assert_ntp(from(ERA1_UNIX - 1, 999999999), 0xffffffffU, 0xfffffffcU);
	assert_ntp(from(ERA1_UNIX, 0), 0, 0);
	assert_ntp(from(ERA1_UNIX + 100, 500000000), 100, 0x80000000U);
	/* tv_nsec out of range is normalised. */
	assert_ntp(from(0, -1), 2208988799U, 0xfffffffcU);
	assert_ntp(from(1, 1500000000), 2208988802U, 0x80000000U);
	assert_ntp(from(0, -1500000000), 2208988798U, 0x80000000U);
}

static void test_ntp_to_timespec(void **state)
{
	(void)state;
	assert_timespec(tunnel_ntp_to_timespec(ntp(2208988800U, 0)), 0, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(3976214400U, 0x80000000U)), 1767225600,
			500000000);
	assert_timespec(tunnel_ntp_to_timespec(ntp(2208988800U, 4)), 0, 1);
	/* Era boundaries of the RFC 4330 rule: 1968-01-20 .. 2104-02-26. */
	assert_timespec(tunnel_ntp_to_timespec(ntp(0x80000000U, 0)), -61505152, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(0x7fffffffU, 0)), 4233462143LL, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(0xffffffffU, 0)), ERA1_UNIX - 1, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(0, 0)), ERA1_UNIX, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(100, 0)), ERA1_UNIX + 100, 0);
	/* A fraction within half a ns of the next second carries into it. */
	assert_timespec(tunnel_ntp_to_timespec(ntp(2208988800U, 0xffffffffU)), 1, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(0xffffffffU, 0xffffffffU)), ERA1_UNIX, 0);
	assert_timespec(tunnel_ntp_to_timespec(ntp(2208988800U, 0xfffffffcU)), 0, 999999999);
}

/* ns -> NTP -> ns is exact; NTP -> ns -> NTP is within 3 units (1 ns is 4.29). */
static void test_ntp_round_trip(void **state)
{
	static const time_t secs[] = { 0, 1767225600, ERA1_UNIX - 1, ERA1_UNIX, 4000000000LL };

	(void)state;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		for (long ns = 0; ns < 1000000000L; ns += 999983) {
			for (long d = 0; d < 3; d++) {
				struct timespec in = { .tv_sec = secs[i], .tv_nsec = ns + d };
				struct timespec out = tunnel_ntp_to_timespec(
					tunnel_ntp_from_timespec(in));

				assert_int_equal((int64_t)out.tv_sec, (int64_t)in.tv_sec);
				assert_int_equal(out.tv_nsec, in.tv_nsec);
			}
		}
		assert_timespec(tunnel_ntp_to_timespec(from(secs[i], 999999999)), secs[i],
				999999999);
	}
	for (uint64_t f = 0; f <= 0xffffffffU; f += 65521) {
		struct tunnel_ntp_ts t = ntp(3976214400U, (uint32_t)f);
		struct tunnel_ntp_ts back = tunnel_ntp_from_timespec(tunnel_ntp_to_timespec(t));
		int64_t d = (int64_t)back.frac - (int64_t)t.frac;

		assert_int_equal(back.sec, t.sec);
		assert_true(d >= -3 && d <= 3);
	}
}

static void test_ntp_diff(void **state)
{
	(void)state;
	assert_int_equal(tunnel_ntp_diff_ns(ntp(5, 0), ntp(5, 0)), 0);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(6, 0), ntp(5, 0)), 1000000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(5, 0), ntp(6, 0)), -1000000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(5, 0x80000000U), ntp(5, 0)), 500000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(5, 0), ntp(4, 0x80000000U)), 500000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(4, 0x80000000U), ntp(5, 0)), -500000000);
	/* Across the 2036 wrap. */
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0, 0), ntp(0xffffffffU, 0)), 1000000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0xffffffffU, 0), ntp(0, 0)), -1000000000);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0x10, 0), ntp(0xfffffff0U, 0)), 32000000000LL);
	assert_int_equal(tunnel_ntp_diff_ns(from(ERA1_UNIX, 0), from(ERA1_UNIX - 1, 999999999)),
			 1);
	assert_int_equal(tunnel_ntp_diff_ns(from(ERA1_UNIX + 3, 250000000),
					    from(ERA1_UNIX - 2, 750000000)),
			 4500000000LL);
	/* The largest difference: just under 2^31 s either way. */
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0x7fffffffU, 0), ntp(0, 0)),
			 2147483647LL * 1000000000LL);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0, 0), ntp(0x7fffffffU, 0)),
			 -2147483647LL * 1000000000LL);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(0x80000000U, 0), ntp(0, 0)),
			 -2147483648LL * 1000000000LL);
	/* Rounding to the nearest ns, symmetric: 1, 2, 3 units are 0.23, 0.47, 0.70 ns. */
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 1), ntp(9, 0)), 0);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 2), ntp(9, 0)), 0);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 3), ntp(9, 0)), 1);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 0), ntp(9, 3)), -1);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 0), ntp(8, 0xfffffffdU)), 1);
	/* 2^22 units is exactly 976562.5 ns: halves go away from zero. */
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 1U << 22), ntp(9, 0)), 976563);
	assert_int_equal(tunnel_ntp_diff_ns(ntp(9, 0), ntp(9, 1U << 22)), -976563);
}

static struct tunnel_stamp_errest errest(bool s, bool z, uint8_t scale, uint8_t mult)
{
	struct tunnel_stamp_errest e = { .synced = s, .ptp = z, .scale = scale, .multiplier = mult };

	return e;
}

static void test_errest_bits(void **state)
{
	struct tunnel_stamp_errest e;

	(void)state;
	e = errest(true, false, 15, 132);
	assert_int_equal(tunnel_stamp_errest_encode(&e), 0x8f84);
	e = errest(false, true, 0, 1);
	assert_int_equal(tunnel_stamp_errest_encode(&e), 0x4001);
	e = errest(true, true, 63, 255);
	assert_int_equal(tunnel_stamp_errest_encode(&e), 0xffff);
	e = errest(false, false, 0x40 | 5, 7); /* scale has 6 bits only */
	assert_int_equal(tunnel_stamp_errest_encode(&e), 0x0507);

	e = tunnel_stamp_errest_decode(0x8f84);
	assert_true(e.synced);
	assert_false(e.ptp);
	assert_int_equal(e.scale, 15);
	assert_int_equal(e.multiplier, 132);
	e = tunnel_stamp_errest_decode(0x7fff);
	assert_false(e.synced);
	assert_true(e.ptp);
	assert_int_equal(e.scale, 63);
	assert_int_equal(e.multiplier, 255);
	e = tunnel_stamp_errest_decode(0);
	assert_false(e.synced);
	assert_false(e.ptp);
	assert_int_equal(e.scale, 0);
	assert_int_equal(e.multiplier, 0);
	for (unsigned int raw = 0; raw <= 0xffff; raw++) {
		e = tunnel_stamp_errest_decode((uint16_t)raw);
		assert_int_equal(tunnel_stamp_errest_encode(&e), raw);
	}
}

static void test_errest_ns(void **state)
{
	struct tunnel_stamp_errest e;

	(void)state;
	e = errest(false, false, 32, 1);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 1000000000ULL);
	e = errest(false, false, 0, 1); /* 0.23 ns, rounded up */
	assert_int_equal(tunnel_stamp_errest_ns(&e), 1);
	e = errest(false, false, 0, 0);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 0);
	e = errest(true, false, 15, 132); /* 132 / 131072 s = 1007080.08 ns */
	assert_int_equal(tunnel_stamp_errest_ns(&e), 1007081);
	e = errest(false, false, 25, 128);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 1000000000ULL);
	e = errest(false, false, 31, 3);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 1500000000ULL);
	e = errest(false, false, 63, 1);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 2147483648000000000ULL);
	e = errest(false, false, 58, 255);
	assert_int_equal(tunnel_stamp_errest_ns(&e), 17112760320000000000ULL);
	e = errest(false, false, 59, 255); /* 3.4e19 ns does not fit */
	assert_int_equal(tunnel_stamp_errest_ns(&e), UINT64_MAX);
	e = errest(false, false, 63, 255);
	assert_int_equal(tunnel_stamp_errest_ns(&e), UINT64_MAX);
}

/* Whether mult * 2^(scale - 32) s >= bound ns, exactly: mult * 1e9 * 2^scale >= bound * 2^32. */
static bool errest_covers(unsigned int scale, unsigned int mult, uint64_t bound)
{
	uint64_t v = (uint64_t)mult * 1000000000U; /* < 2^38 */

	if (scale >= 32) /* v * 2^(scale - 32) >= bound */
		return v > UINT64_MAX >> (scale - 32) || v << (scale - 32) >= bound;
	/* v >= bound * 2^(32 - scale) */
	return bound <= UINT64_MAX >> (32 - scale) && v >= bound << (32 - scale);
}

static void check_from_ns(uint64_t bound)
{
	struct tunnel_stamp_errest e = tunnel_stamp_errest_from_ns(bound, true, false);

	assert_true(e.synced);
	assert_false(e.ptp);
	assert_true(e.multiplier >= 1);
	assert_true(e.scale <= 63);
	assert_true(tunnel_stamp_errest_ns(&e) >= bound);
	assert_true(errest_covers(e.scale, e.multiplier, bound));
	/* The smallest: one less at this scale, or anything at a finer scale, is short. */
	if (e.multiplier > 1 && bound)
		assert_false(errest_covers(e.scale, e.multiplier - 1U, bound));
	if (e.scale > 0)
		assert_false(errest_covers(e.scale - 1U, 255, bound));
}

static void test_errest_from_ns(void **state)
{
	struct tunnel_stamp_errest e;

	(void)state;
	e = tunnel_stamp_errest_from_ns(0, false, true);
	assert_false(e.synced);
	assert_true(e.ptp);
	assert_int_equal(e.scale, 0);
	assert_int_equal(e.multiplier, 1);
	e = tunnel_stamp_errest_from_ns(1, false, false);
	assert_int_equal(e.scale, 0);
	assert_int_equal(e.multiplier, 5); /* 1 ns = 4.29 units */
	e = tunnel_stamp_errest_from_ns(1000000, true, false);
	assert_int_equal(e.scale, 15);
	assert_int_equal(e.multiplier, 132);
	assert_int_equal(tunnel_stamp_errest_encode(&e), 0x8f84);
	e = tunnel_stamp_errest_from_ns(1000000000, false, false);
	assert_int_equal(e.scale, 25);
	assert_int_equal(e.multiplier, 128);
	e = tunnel_stamp_errest_from_ns(1000000001, false, false);
	assert_int_equal(e.scale, 25);
	assert_int_equal(e.multiplier, 129);
	e = tunnel_stamp_errest_from_ns(UINT64_MAX, false, false);
	assert_int_equal(e.scale, 59);
	assert_int_equal(e.multiplier, 138);
	assert_int_equal(tunnel_stamp_errest_ns(&e), UINT64_MAX);

	check_from_ns(0);
	for (uint64_t b = 1; b < 100000; b++)
		check_from_ns(b);
	for (uint64_t b = 100000; b < UINT64_MAX / 3; b = b * 3 + 7)
		check_from_ns(b);
	for (int sh = 0; sh < 64; sh++) {
		check_from_ns(UINT64_C(1) << sh);
		check_from_ns((UINT64_C(1) << sh) - 1);
		check_from_ns((UINT64_C(1) << sh) + 1);
	}
	check_from_ns(UINT64_MAX);
}

/* RFC 8762 4.2.1: seq 0..3, timestamp 4..11, error estimate 12..13, MBZ 14..43. */
static const uint8_t sender_pkt[TUNNEL_STAMP_BASE_LEN] = {
	0x01, 0x02, 0x03, 0x04,				/* sequence number */
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, /* timestamp */
	0x0d, 0x0e,					/* error estimate */
	/* MBZ, 30 octets */
};

static const struct tunnel_stamp_test sender_fields = {
	.seq = 0x01020304,
	.ts = { .sec = 0x05060708, .frac = 0x090a0b0c },
	.errest = 0x0d0e,
};

static void test_sender_encode(void **state)
{
	uint8_t buf[TUNNEL_STAMP_MAX_LEN + 8];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, sizeof(buf), 44), 44);
	assert_memory_equal(buf, sender_pkt, 44);
	assert_int_equal(buf[44], 0xee);

	/* Padding is zero. */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, 100, 100), 100);
	assert_memory_equal(buf, sender_pkt, 44);
	for (int i = 44; i < 100; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[100], 0xee);

	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, sizeof(buf),
						  TUNNEL_STAMP_MAX_LEN),
			 TUNNEL_STAMP_MAX_LEN);
	assert_int_equal(buf[TUNNEL_STAMP_MAX_LEN - 1], 0);

	/* Errors leave the buffer alone. */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, sizeof(buf), 43), -EINVAL);
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, sizeof(buf), 0), -EINVAL);
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, sizeof(buf),
						  TUNNEL_STAMP_MAX_LEN + 1),
			 -EINVAL);
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, 99, 100), -EMSGSIZE);
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, buf, 0, 44), -EMSGSIZE);
	assert_int_equal(tunnel_stamp_test_encode(NULL, buf, sizeof(buf), 44), -EINVAL);
	assert_int_equal(tunnel_stamp_test_encode(&sender_fields, NULL, sizeof(buf), 44),
			 -EINVAL);
	assert_int_equal(buf[0], 0xee);
}

static void test_sender_decode(void **state)
{
	uint8_t buf[200];
	struct tunnel_stamp_test t;
	bool mbz = true;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(tunnel_stamp_test_decode(sender_pkt, 44, &t, &mbz), 0);
	assert_int_equal(t.seq, 0x01020304);
	assert_int_equal(t.ts.sec, 0x05060708);
	assert_int_equal(t.ts.frac, 0x090a0b0c);
	assert_int_equal(t.errest, 0x0d0e);
	assert_false(mbz);
	assert_int_equal(tunnel_stamp_test_decode(sender_pkt, 44, &t, NULL), 0);

	/* Any length >= 44; padding content does not matter, MBZ is flagged only. */
	memset(buf, 0xaa, sizeof(buf));
	memcpy(buf, sender_pkt, 44);
	assert_int_equal(tunnel_stamp_test_decode(buf, sizeof(buf), &t, &mbz), 0);
	assert_false(mbz);
	for (int i = 14; i < 44; i++) {
		memcpy(buf, sender_pkt, 44);
		buf[i] = 0x01;
		mbz = false;
		memset(&t, 0, sizeof(t));
		assert_int_equal(tunnel_stamp_test_decode(buf, 45, &t, &mbz), 0);
		assert_true(mbz);
		assert_int_equal(t.seq, 0x01020304);
		assert_int_equal(t.errest, 0x0d0e);
	}

	/* Too short, NULL; *t untouched. */
	memset(&t, 0x55, sizeof(t));
	mbz = false;
	assert_int_equal(tunnel_stamp_test_decode(sender_pkt, 43, &t, &mbz),
			 TUNNEL_STAMP_ERR_SHORT);
	assert_int_equal(tunnel_stamp_test_decode(sender_pkt, 0, &t, &mbz),
			 TUNNEL_STAMP_ERR_SHORT);
	assert_int_equal(t.seq, 0x55555555);
	assert_false(mbz);
	assert_int_equal(tunnel_stamp_test_decode(NULL, 44, &t, &mbz), -EINVAL);
	assert_int_equal(tunnel_stamp_test_decode(sender_pkt, 44, NULL, &mbz), -EINVAL);
}

/* RFC 8762 4.3.1, every field distinct so a misplaced one shows. */
static const uint8_t reflector_pkt[TUNNEL_STAMP_BASE_LEN] = {
	0x11, 0x12, 0x13, 0x14,				/*  0 sequence number */
	0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, /*  4 timestamp */
	0x1d, 0x1e,					/* 12 error estimate */
	0x00, 0x00,					/* 14 MBZ */
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, /* 16 receive timestamp */
	0x29, 0x2a, 0x2b, 0x2c,				/* 24 sender sequence number */
	0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, /* 28 sender timestamp */
	0x35, 0x36,					/* 36 sender error estimate */
	0x00, 0x00,					/* 38 MBZ */
	0x37,						/* 40 sender TTL */
	0x00, 0x00, 0x00,				/* 41 MBZ */
};

static const struct tunnel_stamp_reply reflector_fields = {
	.seq = 0x11121314,
	.ts = { .sec = 0x15161718, .frac = 0x191a1b1c },
	.errest = 0x1d1e,
	.rx_ts = { .sec = 0x21222324, .frac = 0x25262728 },
	.sender_seq = 0x292a2b2c,
	.sender_ts = { .sec = 0x2d2e2f30, .frac = 0x31323334 },
	.sender_errest = 0x3536,
	.sender_ttl = 0x37,
};

static void assert_reply_equal(const struct tunnel_stamp_reply *a,
			       const struct tunnel_stamp_reply *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ts.sec, b->ts.sec);
	assert_int_equal(a->ts.frac, b->ts.frac);
	assert_int_equal(a->errest, b->errest);
	assert_int_equal(a->rx_ts.sec, b->rx_ts.sec);
	assert_int_equal(a->rx_ts.frac, b->rx_ts.frac);
	assert_int_equal(a->sender_seq, b->sender_seq);
	assert_int_equal(a->sender_ts.sec, b->sender_ts.sec);
	assert_int_equal(a->sender_ts.frac, b->sender_ts.frac);
	assert_int_equal(a->sender_errest, b->sender_errest);
	assert_int_equal(a->sender_ttl, b->sender_ttl);
}

static void test_reflector_encode(void **state)
{
	uint8_t buf[128];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, buf, sizeof(buf), 44), 44);
	assert_memory_equal(buf, reflector_pkt, 44);
	assert_int_equal(buf[44], 0xee);

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, buf, sizeof(buf), 128), 128);
	assert_memory_equal(buf, reflector_pkt, 44);
	for (int i = 44; i < 128; i++)
		assert_int_equal(buf[i], 0);

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, buf, sizeof(buf), 43),
			 -EINVAL);
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, buf, sizeof(buf),
						   TUNNEL_STAMP_MAX_LEN + 1),
			 -EINVAL);
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, buf, 127, 128), -EMSGSIZE);
	assert_int_equal(tunnel_stamp_reply_encode(NULL, buf, sizeof(buf), 44), -EINVAL);
	assert_int_equal(tunnel_stamp_reply_encode(&reflector_fields, NULL, sizeof(buf), 44),
			 -EINVAL);
	assert_int_equal(buf[0], 0xee);
}

static void test_reflector_decode(void **state)
{
	static const int mbz_at[] = { 14, 15, 38, 39, 41, 42, 43 };
	uint8_t buf[64];
	struct tunnel_stamp_reply r;
	bool mbz = true;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tunnel_stamp_reply_decode(reflector_pkt, 44, &r, &mbz), 0);
	assert_reply_equal(&r, &reflector_fields);
	assert_false(mbz);

	memset(buf, 0xaa, sizeof(buf));
	memcpy(buf, reflector_pkt, 44);
	assert_int_equal(tunnel_stamp_reply_decode(buf, sizeof(buf), &r, &mbz), 0);
	assert_false(mbz);
	for (size_t i = 0; i < sizeof(mbz_at) / sizeof(mbz_at[0]); i++) {
		memcpy(buf, reflector_pkt, 44);
		buf[mbz_at[i]] = 0x80;
		mbz = false;
		memset(&r, 0, sizeof(r));
		assert_int_equal(tunnel_stamp_reply_decode(buf, 44, &r, &mbz), 0);
		assert_true(mbz);
		assert_reply_equal(&r, &reflector_fields);
	}

	memset(&r, 0x55, sizeof(r));
	assert_int_equal(tunnel_stamp_reply_decode(reflector_pkt, 43, &r, &mbz),
			 TUNNEL_STAMP_ERR_SHORT);
	assert_int_equal(r.seq, 0x55555555);
	assert_int_equal(tunnel_stamp_reply_decode(NULL, 44, &r, NULL), -EINVAL);
	assert_int_equal(tunnel_stamp_reply_decode(reflector_pkt, 44, NULL, NULL), -EINVAL);
}

/* A 60-byte test packet with junk in MBZ and padding, and the reply to it. */
static void test_reflect(void **state)
{
	static const uint8_t want[60] = {
		0x00, 0x00, 0x00, 0x07,				/* seq = sender's */
		0xed, 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x00, /* transmit timestamp */
		0x80, 0x84,					/* reflector errest */
		0x00, 0x00,					/* MBZ */
		0xed, 0x00, 0x00, 0x01, 0x40, 0x00, 0x00, 0x00, /* receive timestamp */
		0x00, 0x00, 0x00, 0x07,				/* sender seq */
		0xec, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x10, /* sender timestamp */
		0x01, 0x20,					/* sender errest */
		0x00, 0x00,					/* MBZ */
		0x3f,						/* TTL 63 */
		0x00, 0x00, 0x00,				/* MBZ, then 16 bytes of padding */
	};
	const struct tunnel_ntp_ts rx = ntp(0xed000001U, 0x40000000U);
	const struct tunnel_ntp_ts tx = ntp(0xed000002U, 0x80000000U);
	uint8_t req[60], out[64];
	struct tunnel_stamp_reply r;

	(void)state;
	memset(req, 0xaa, sizeof(req));
	memcpy(req, (const uint8_t[]){ 0x00, 0x00, 0x00, 0x07, 0xec, 0xff, 0xff, 0xff, 0x00,
				       0x00, 0x00, 0x10, 0x01, 0x20 },
	       14);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(tunnel_stamp_reflect(req, 60, rx, tx, 0x8084, 63, out, sizeof(out)), 60);
	assert_memory_equal(out, want, 60);
	for (size_t i = 60; i < sizeof(out); i++)
		assert_int_equal(out[i], 0xee); /* nothing past the request's length */
	assert_int_equal(tunnel_stamp_reply_decode(out, 60, &r, NULL), 0);
	assert_int_equal(r.seq, 7);
	assert_int_equal(r.sender_seq, 7);
	assert_int_equal(tunnel_ntp_diff_ns(r.ts, r.rx_ts), 1250000000);

	/* An output exactly the request's size is enough; one byte less is not. */
	memset(out, 0xee, sizeof(out));
	assert_int_equal(tunnel_stamp_reflect(req, 60, rx, tx, 0x8084, 63, out, 60), 60);
	assert_memory_equal(out, want, 60);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(tunnel_stamp_reflect(req, 60, rx, tx, 0x8084, 63, out, 59), -EMSGSIZE);
	assert_int_equal(tunnel_stamp_reflect(req, 44, rx, tx, 0x8084, 63, out, 43), -EMSGSIZE);
	assert_int_equal(out[0], 0xee);

	/* A 44-byte request gets a 44-byte reply. */
	assert_int_equal(tunnel_stamp_reflect(req, 44, rx, tx, 0x8084, 63, out, sizeof(out)), 44);
	assert_memory_equal(out, want, 44);
	assert_int_equal(out[44], 0xee);

	/* Short request, NULL. */
	memset(out, 0xee, sizeof(out));
	assert_int_equal(tunnel_stamp_reflect(req, 43, rx, tx, 0x8084, 63, out, sizeof(out)),
			 TUNNEL_STAMP_ERR_SHORT);
	assert_int_equal(tunnel_stamp_reflect(req, 0, rx, tx, 0x8084, 63, out, sizeof(out)),
			 TUNNEL_STAMP_ERR_SHORT);
	assert_int_equal(tunnel_stamp_reflect(NULL, 60, rx, tx, 0x8084, 63, out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(tunnel_stamp_reflect(req, 60, rx, tx, 0x8084, 63, NULL, sizeof(out)),
			 -EINVAL);
	assert_int_equal(out[0], 0xee);

	/* In place. */
	assert_int_equal(tunnel_stamp_reflect(req, 60, rx, tx, 0x8084, 63, req, sizeof(req)), 60);
	assert_memory_equal(req, want, 60);
}

/* What a sender encodes, a reflector answers, and the sender reads back. */
static void test_round_trip(void **state)
{
	struct tunnel_stamp_errest e = tunnel_stamp_errest_from_ns(50000, true, false);
	struct tunnel_stamp_test t = {
		.seq = 0xfffffffe,
		.ts = from(ERA1_UNIX - 1, 999000000),
		.errest = tunnel_stamp_errest_encode(&e),
	};
	uint8_t pkt[TUNNEL_STAMP_MAX_LEN], reply[TUNNEL_STAMP_MAX_LEN];
	struct tunnel_stamp_reply r;
	bool mbz = true;

	(void)state;
	assert_int_equal(tunnel_stamp_test_encode(&t, pkt, sizeof(pkt), 1400), 1400);
	assert_int_equal(tunnel_stamp_reflect(pkt, 1400, from(ERA1_UNIX, 1000000),
					      from(ERA1_UNIX, 1500000), 0x0001, 255, reply,
					      sizeof(reply)),
			 1400);
	assert_int_equal(tunnel_stamp_reply_decode(reply, 1400, &r, &mbz), 0);
	assert_false(mbz);
	assert_int_equal(r.seq, 0xfffffffe);
	assert_int_equal(r.sender_seq, 0xfffffffe);
	assert_int_equal(r.sender_errest, t.errest);
	assert_int_equal(r.errest, 0x0001);
	assert_int_equal(r.sender_ttl, 255);
	/* Back at 2.5 ms: a round trip of 3.5 ms less 0.5 ms in the reflector, across the wrap. */
	assert_int_equal(tunnel_ntp_diff_ns(from(ERA1_UNIX, 2500000), r.sender_ts) -
				 tunnel_ntp_diff_ns(r.ts, r.rx_ts),
			 3000000);
	assert_int_equal(tunnel_ntp_diff_ns(r.rx_ts, r.sender_ts), 2000000);
}

static void test_strerror(void **state)
{
	static const int codes[] = { 0, TUNNEL_STAMP_ERR_SHORT, -EINVAL, -EMSGSIZE };
	const char *unknown = tunnel_stamp_strerror(-12345);

	(void)state;
	assert_non_null(unknown);
	assert_string_equal(tunnel_stamp_strerror(1), unknown);
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *s = tunnel_stamp_strerror(codes[i]);

		assert_non_null(s);
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, tunnel_stamp_strerror(codes[j]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ntp_from_timespec),
		cmocka_unit_test(test_ntp_to_timespec),
		cmocka_unit_test(test_ntp_round_trip),
		cmocka_unit_test(test_ntp_diff),
		cmocka_unit_test(test_errest_bits),
		cmocka_unit_test(test_errest_ns),
		cmocka_unit_test(test_errest_from_ns),
		cmocka_unit_test(test_sender_encode),
		cmocka_unit_test(test_sender_decode),
		cmocka_unit_test(test_reflector_encode),
		cmocka_unit_test(test_reflector_decode),
		cmocka_unit_test(test_reflect),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("tunnel_stamp", tests, NULL, NULL);
}
