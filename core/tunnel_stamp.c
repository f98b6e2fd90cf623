// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * STAMP (RFC 8762) unauthenticated test packets: NTP timestamp arithmetic,
 * Error Estimates, the Session-Sender and Session-Reflector packet codecs,
 * and the stateless reflector.  All fields are big-endian on the wire.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "tunnel_stamp.h"

#define NSEC_PER_SEC 1000000000U

/* Field offsets, RFC 8762 sections 4.2.1 (sender) and 4.3.1 (reflector). */
#define OFF_SEQ		  0
#define OFF_TS		  4
#define OFF_ERREST	  12
#define OFF_RX_TS	  16
#define OFF_SENDER_SEQ	  24
#define OFF_SENDER_TS	  28
#define OFF_SENDER_ERREST 36
#define OFF_SENDER_TTL	  40

#define ERREST_S     0x8000U
#define ERREST_Z     0x4000U
#define ERREST_SCALE 0x3fU

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned int)p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline struct tunnel_ntp_ts get_ts(const uint8_t *p)
{
	struct tunnel_ntp_ts ts = { .sec = get_be32(p), .frac = get_be32(p + 4) };

	return ts;
}

static inline void put_ts(uint8_t *p, struct tunnel_ntp_ts ts)
{
	put_be32(p, ts.sec);
	put_be32(p + 4, ts.frac);
}

static bool any_set(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return true;
	return false;
}

struct tunnel_ntp_ts tunnel_ntp_from_timespec(struct timespec ts)
{
	struct tunnel_ntp_ts out;
	long q = ts.tv_nsec / (long)NSEC_PER_SEC, r = ts.tv_nsec % (long)NSEC_PER_SEC;
	uint64_t sec;

	if (r < 0) {
		r += (long)NSEC_PER_SEC;
		q--;
	}
	/* Unsigned, so negative times and the 2036 wrap are plain mod 2^32. */
	sec = (uint64_t)ts.tv_sec + (uint64_t)q + TUNNEL_NTP_UNIX_OFFSET;
	out.sec = (uint32_t)sec;
	/* r < 1e9, so the rounded fraction is at most 2^32 - 4: no carry. */
	out.frac = (uint32_t)((((uint64_t)r << 32) + NSEC_PER_SEC / 2) / NSEC_PER_SEC);
	return out;
}

struct timespec tunnel_ntp_to_timespec(struct tunnel_ntp_ts ts)
{
	struct timespec out;
	int64_t sec = ts.sec;
	uint64_t ns;

	if (!(ts.sec & 0x80000000U))
		sec += INT64_C(1) << 32; /* era 1: after 2036-02-07 06:28:16 UTC */
	sec -= TUNNEL_NTP_UNIX_OFFSET;

	ns = ((uint64_t)ts.frac * NSEC_PER_SEC + (UINT64_C(1) << 31)) >> 32;
	if (ns == NSEC_PER_SEC) { /* frac within 0.5 ns of the next second */
		sec++;
		ns = 0;
	}
	out.tv_sec = (time_t)sec;
	out.tv_nsec = (long)ns;
	return out;
}

int64_t tunnel_ntp_diff_ns(struct tunnel_ntp_ts a, struct tunnel_ntp_ts b)
{
	uint64_t ua = (uint64_t)a.sec << 32 | a.frac;
	uint64_t ub = (uint64_t)b.sec << 32 | b.frac;
	uint64_t d = ua - ub; /* mod 2^64: right across the wrap for |a - b| < 2^31 s */
	bool neg = d >> 63;
	uint64_t m = neg ? 0 - d : d;
	uint64_t ns;

	/* On the magnitude, so rounding is symmetric; m >> 32 <= 2^31 cannot overflow. */
	ns = (m >> 32) * NSEC_PER_SEC +
	     (((m & 0xffffffffU) * NSEC_PER_SEC + (UINT64_C(1) << 31)) >> 32);
	return neg ? -(int64_t)ns : (int64_t)ns;
}

uint16_t tunnel_stamp_errest_encode(const struct tunnel_stamp_errest *e)
{
	return (uint16_t)((e->synced ? ERREST_S : 0) | (e->ptp ? ERREST_Z : 0) |
			  (e->scale & ERREST_SCALE) << 8 | e->multiplier);
}

struct tunnel_stamp_errest tunnel_stamp_errest_decode(uint16_t raw)
{
	struct tunnel_stamp_errest e = {
		.synced = raw & ERREST_S,
		.ptp = raw & ERREST_Z,
		.scale = (uint8_t)(raw >> 8 & ERREST_SCALE),
		.multiplier = (uint8_t)raw,
	};

	return e;
}

uint64_t tunnel_stamp_errest_ns(const struct tunnel_stamp_errest *e)
{
	uint64_t v = (uint64_t)e->multiplier * NSEC_PER_SEC; /* < 2^38 */
	unsigned int scale = e->scale & ERREST_SCALE, sh;

	if (scale >= 32) {
		sh = scale - 32;
		if (v > UINT64_MAX >> sh)
			return UINT64_MAX;
		return v << sh;
	}
	sh = 32 - scale;
	return (v + (UINT64_C(1) << sh) - 1) >> sh;
}

/*
 * At scale s the smallest estimate >= the bound is ceil(x / 2^s) * 2^s, x the
 * bound in 2^-32 s.  A coarser grid never beats a finer one, so the first
 * scale whose multiplier fits in 8 bits gives the smallest estimate.
 */
struct tunnel_stamp_errest tunnel_stamp_errest_from_ns(uint64_t bound_ns, bool synced, bool ptp)
{
	struct tunnel_stamp_errest e = { .synced = synced, .ptp = ptp };
	uint64_t m = 0;
	unsigned int s;

	for (s = 0; s < 64; s++) {
		if (s <= 32) {
			unsigned int sh = 32 - s;
			uint64_t a;

			if (bound_ns > UINT64_MAX >> sh)
				continue; /* the multiplier would be >= 2^64 / 1e9 */
			a = bound_ns << sh;
			m = a / NSEC_PER_SEC + (a % NSEC_PER_SEC != 0);
		} else {
			uint64_t d = (uint64_t)NSEC_PER_SEC << (s - 32); /* <= 2^61 */

			m = bound_ns / d + (bound_ns % d != 0);
		}
		if (m <= UINT8_MAX)
			break;
	}
	/* Scale 63 always fits: 255 * 2^31 s is more than 2^64 ns. */
	e.scale = (uint8_t)s;
	e.multiplier = m ? (uint8_t)m : 1;
	return e;
}

int tunnel_stamp_test_encode(const struct tunnel_stamp_test *t, uint8_t *buf, size_t size,
			     size_t len)
{
	if (!t || !buf || len < TUNNEL_STAMP_BASE_LEN || len > TUNNEL_STAMP_MAX_LEN)
		return -EINVAL;
	if (size < len)
		return -EMSGSIZE;

	memset(buf, 0, len);
	put_be32(buf + OFF_SEQ, t->seq);
	put_ts(buf + OFF_TS, t->ts);
	put_be16(buf + OFF_ERREST, t->errest);
	return (int)len;
}

int tunnel_stamp_test_decode(const uint8_t *buf, size_t len, struct tunnel_stamp_test *t,
			     bool *mbz_nonzero)
{
	if (!buf || !t)
		return -EINVAL;
	if (len < TUNNEL_STAMP_BASE_LEN)
		return TUNNEL_STAMP_ERR_SHORT;

	t->seq = get_be32(buf + OFF_SEQ);
	t->ts = get_ts(buf + OFF_TS);
	t->errest = get_be16(buf + OFF_ERREST);
	if (mbz_nonzero)
		*mbz_nonzero = any_set(buf + 14, TUNNEL_STAMP_BASE_LEN - 14);
	return 0;
}

/* Writes the reflector fields over the first TUNNEL_STAMP_BASE_LEN (zeroed) bytes. */
static void put_reply(uint8_t *buf, const struct tunnel_stamp_reply *r)
{
	put_be32(buf + OFF_SEQ, r->seq);
	put_ts(buf + OFF_TS, r->ts);
	put_be16(buf + OFF_ERREST, r->errest);
	put_ts(buf + OFF_RX_TS, r->rx_ts);
	put_be32(buf + OFF_SENDER_SEQ, r->sender_seq);
	put_ts(buf + OFF_SENDER_TS, r->sender_ts);
	put_be16(buf + OFF_SENDER_ERREST, r->sender_errest);
	buf[OFF_SENDER_TTL] = r->sender_ttl;
}

int tunnel_stamp_reply_encode(const struct tunnel_stamp_reply *r, uint8_t *buf, size_t size,
			      size_t len)
{
	if (!r || !buf || len < TUNNEL_STAMP_BASE_LEN || len > TUNNEL_STAMP_MAX_LEN)
		return -EINVAL;
	if (size < len)
		return -EMSGSIZE;

	memset(buf, 0, len);
	put_reply(buf, r);
	return (int)len;
}

int tunnel_stamp_reply_decode(const uint8_t *buf, size_t len, struct tunnel_stamp_reply *r,
			      bool *mbz_nonzero)
{
	if (!buf || !r)
		return -EINVAL;
	if (len < TUNNEL_STAMP_BASE_LEN)
		return TUNNEL_STAMP_ERR_SHORT;

	r->seq = get_be32(buf + OFF_SEQ);
	r->ts = get_ts(buf + OFF_TS);
	r->errest = get_be16(buf + OFF_ERREST);
	r->rx_ts = get_ts(buf + OFF_RX_TS);
	r->sender_seq = get_be32(buf + OFF_SENDER_SEQ);
	r->sender_ts = get_ts(buf + OFF_SENDER_TS);
	r->sender_errest = get_be16(buf + OFF_SENDER_ERREST);
	r->sender_ttl = buf[OFF_SENDER_TTL];
	if (mbz_nonzero)
		*mbz_nonzero = any_set(buf + 14, 2) || any_set(buf + 38, 2) ||
			       any_set(buf + 41, 3);
	return 0;
}

int tunnel_stamp_reflect(const uint8_t *req, size_t req_len, struct tunnel_ntp_ts rx_ts,
			 struct tunnel_ntp_ts tx_ts, uint16_t errest, uint8_t ttl, uint8_t *out,
			 size_t out_size)
{
	struct tunnel_stamp_test t;
	struct tunnel_stamp_reply r;
	int ret;

	if (!req || !out)
		return -EINVAL;
	ret = tunnel_stamp_test_decode(req, req_len, &t, NULL);
	if (ret < 0)
		return ret;
	/* RFC 8762 section 4.3: the reply is as long as the test packet. */
	if (out_size < req_len || req_len > INT_MAX)
		return -EMSGSIZE;

	r = (struct tunnel_stamp_reply){
		.seq = t.seq, /* stateless: the sender's sequence number */
		.ts = tx_ts,
		.errest = errest,
		.rx_ts = rx_ts,
		.sender_seq = t.seq,
		.sender_ts = t.ts,
		.sender_errest = t.errest,
		.sender_ttl = ttl,
	};
	/* req is fully read by now, so out may be the same buffer. */
	memset(out, 0, req_len);
	put_reply(out, &r);
	return (int)req_len;
}

const char *tunnel_stamp_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case TUNNEL_STAMP_ERR_SHORT:
		return "shorter than a 44-byte STAMP test packet";
	case -EINVAL:
		return "invalid argument";
	case -EMSGSIZE:
		return "buffer too small for the packet";
	default:
		return "unknown STAMP error";
	}
}
