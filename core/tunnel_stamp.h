// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * STAMP (RFC 8762) test packets in unauthenticated mode, the NTP timestamps
 * and Error Estimates they carry, and the stateless Session-Reflector.
 * Standard C only: no sockets here, the caller sends and receives.
 */
#ifndef _TUNNELD_TUNNEL_STAMP_H
#define _TUNNELD_TUNNEL_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUNNEL_STAMP_PORT     862  /* RFC 8762 section 4: the well-known UDP port */
#define TUNNEL_STAMP_BASE_LEN 44   /* both unauthenticated packets, without padding */
#define TUNNEL_STAMP_MAX_LEN  9000 /* the largest packet tunnel_stamp_*_encode() writes */

/* Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (the Unix epoch). */
#define TUNNEL_NTP_UNIX_OFFSET 2208988800U

/*
 * Why a received packet is refused.  Bad calls (NULL, sizes) give -EINVAL
 * and -EMSGSIZE instead; the values here are below -1000 so they never equal
 * a negative errno, and tunnel_stamp_strerror() names both kinds.
 */
enum tunnel_stamp_err {
	TUNNEL_STAMP_ERR_SHORT = -1001, /* fewer than TUNNEL_STAMP_BASE_LEN bytes */
};

/*
 * A 64-bit NTP timestamp (RFC 5905): seconds since 1900-01-01 modulo 2^32,
 * and 2^-32 s fractions.  Era 0 ends 2036-02-07 06:28:16 UTC, when sec wraps.
 */
struct tunnel_ntp_ts {
	uint32_t sec;
	uint32_t frac;
};

/*
 * A CLOCK_REALTIME time to NTP.  tv_nsec is rounded to the nearest 2^-32 s
 * (error <= 0.117 ns, never carries into sec); sec is taken modulo 2^32, so
 * times from 2036-02-07 06:28:16 UTC on land in era 1 with small sec values.
 * tv_nsec outside [0, 1e9) is normalised into tv_sec first.
 */
struct tunnel_ntp_ts tunnel_ntp_from_timespec(struct timespec ts);

/*
 * NTP to a CLOCK_REALTIME time.  The era is chosen as RFC 4330 section 3
 * does: sec with the top bit set is era 0 (1968-01-20 .. 2036-02-07), clear
 * is era 1 (2036-02-07 .. 2104-02-26), so a 2036 wrap just keeps counting.
 * frac is rounded to the nearest ns, so tunnel_ntp_from_timespec() then this
 * gives back the very same timespec within that range.  Needs a 64-bit time_t
 * for times after 2038.
 */
struct timespec tunnel_ntp_to_timespec(struct tunnel_ntp_ts ts);

/*
 * a - b in nanoseconds, rounded to the nearest ns (halves away from zero).
 * Correct across the 2036 wrap of sec as long as |a - b| < 2^31 s (68 years):
 * the difference is taken modulo 2^64 in 32.32 fixed point.
 */
int64_t tunnel_ntp_diff_ns(struct tunnel_ntp_ts a, struct tunnel_ntp_ts b);

/*
 * An Error Estimate (RFC 4656 section 4.1.2, Z from RFC 8186):
 *   bit 15 S: the clock is synchronised to UTC by an external source;
 *   bit 14 Z: the timestamps are PTPv2 truncated (1), NTP 64-bit (0);
 *   bits 13..8 scale, 7..0 multiplier: error = multiplier * 2^(scale - 32) s.
 * RFC 4656 forbids multiplier 0.
 */
struct tunnel_stamp_errest {
	bool synced;
	bool ptp;
	uint8_t scale;	    /* 0..63; higher bits are ignored */
	uint8_t multiplier; /* 1..255 */
};

/* The 16 wire bits, in host order (store them big-endian). */
uint16_t tunnel_stamp_errest_encode(const struct tunnel_stamp_errest *e);
struct tunnel_stamp_errest tunnel_stamp_errest_decode(uint16_t raw);

/*
 * The error in ns, rounded up (it is a bound); UINT64_MAX when that is over
 * 2^64 - 1 ns (584 years: scale 59 and up only).  0 for the invalid
 * multiplier 0: treat as unknown.
 */
uint64_t tunnel_stamp_errest_ns(const struct tunnel_stamp_errest *e);

/*
 * The smallest Error Estimate >= bound_ns, with the smallest scale that
 * gives it.  Every bound fits (the largest estimate is 255 * 2^31 s); a bound
 * of 0 gives the smallest valid one, multiplier 1 scale 0 (0.23 ns).
 */
struct tunnel_stamp_errest tunnel_stamp_errest_from_ns(uint64_t bound_ns, bool synced, bool ptp);

/*
 * Session-Sender test packet, unauthenticated (RFC 8762 section 4.2.1):
 *   0 seq(4)  4 timestamp(8)  12 error estimate(2)  14 MBZ(30)  44 padding
 */
struct tunnel_stamp_test {
	uint32_t seq;
	struct tunnel_ntp_ts ts;
	uint16_t errest; /* raw; see tunnel_stamp_errest_decode() */
};

/*
 * Writes a test packet of len bytes (TUNNEL_STAMP_BASE_LEN..TUNNEL_STAMP_MAX_LEN)
 * into buf; MBZ and padding are zero.  Returns len, -EINVAL for NULL or len
 * out of range, -EMSGSIZE when size < len.
 */
int tunnel_stamp_test_encode(const struct tunnel_stamp_test *t, uint8_t *buf, size_t size,
			     size_t len);

/*
 * Reads a test packet of any len >= TUNNEL_STAMP_BASE_LEN (the rest is
 * padding).  MBZ is ignored as RFC 8762 says; *mbz_nonzero (if not NULL)
 * tells whether it had bits set.  Returns 0, -EINVAL for NULL buf or t, or
 * TUNNEL_STAMP_ERR_SHORT.  *t and *mbz_nonzero are untouched on error.
 */
int tunnel_stamp_test_decode(const uint8_t *buf, size_t len, struct tunnel_stamp_test *t,
			     bool *mbz_nonzero);

/*
 * Session-Reflector test packet, unauthenticated (RFC 8762 section 4.3.1):
 *   0 seq(4)  4 timestamp(8)  12 error estimate(2)  14 MBZ(2)
 *   16 receive timestamp(8)  24 sender seq(4)  28 sender timestamp(8)
 *   36 sender error estimate(2)  38 MBZ(2)  40 sender TTL(1)  41 MBZ(3)  44 padding
 */
struct tunnel_stamp_reply {
	uint32_t seq;
	struct tunnel_ntp_ts ts; /* when the reflector sent it */
	uint16_t errest;	 /* the reflector's, raw */
	struct tunnel_ntp_ts rx_ts; /* when the reflector received the test packet */
	uint32_t sender_seq;
	struct tunnel_ntp_ts sender_ts;
	uint16_t sender_errest;
	uint8_t sender_ttl; /* IPv4 TTL or IPv6 hop limit of the test packet on arrival */
};

/* As tunnel_stamp_test_encode(), for a reflector packet. */
int tunnel_stamp_reply_encode(const struct tunnel_stamp_reply *r, uint8_t *buf, size_t size,
			      size_t len);

/* As tunnel_stamp_test_decode(), for a reflector packet (both MBZ fields count). */
int tunnel_stamp_reply_decode(const uint8_t *buf, size_t len, struct tunnel_stamp_reply *r,
			      bool *mbz_nonzero);

/*
 * The stateless Session-Reflector (RFC 8762 section 4.3): answers the test
 * packet req (req_len bytes, as received) with a reply of the same length in
 * out.  The reply's seq is the sender's; rx_ts is when req arrived, tx_ts
 * the transmit time to put in it, errest the reflector's raw Error Estimate,
 * ttl the received IPv4 TTL or IPv6 hop limit.  MBZ and padding are zero.
 * Reads only req[0..req_len), writes only out[0..req_len); out may be req
 * (reflect in place).  Returns req_len, -EINVAL for NULL pointers,
 * TUNNEL_STAMP_ERR_SHORT when req_len < TUNNEL_STAMP_BASE_LEN, -EMSGSIZE
 * when out_size < req_len or req_len > INT_MAX.
 */
int tunnel_stamp_reflect(const uint8_t *req, size_t req_len, struct tunnel_ntp_ts rx_ts,
			 struct tunnel_ntp_ts tx_ts, uint16_t errest, uint8_t ttl, uint8_t *out,
			 size_t out_size);

/*
 * A short English text for any value a function here returns: 0, an enum
 * tunnel_stamp_err, -EINVAL, -EMSGSIZE.  Never NULL.
 */
const char *tunnel_stamp_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_STAMP_H */
