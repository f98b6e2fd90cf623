// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * ICMP and ICMPv6 echo probes for far ends with no STAMP reflector: build
 * the request, recognise our reply.  Standard C only: the caller owns the
 * raw sockets.
 *
 * The echo data is an 8-byte magic then the 64-bit send time in ns, both
 * big-endian, then zero padding.  A reply only counts when its identifier
 * and magic are ours; the caller then matches seq and send time against
 * the probes it has outstanding, which drops replies an off-path host forged.
 */
#ifndef _TUNNELD_TUNNEL_ICMP_H
#define _TUNNELD_TUNNEL_ICMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUNNEL_ICMP_HDR_LEN	 8  /* type, code, checksum, identifier, sequence */
#define TUNNEL_ICMP_DATA_LEN	 16 /* magic and send time */
#define TUNNEL_ICMP_MIN_LEN	 (TUNNEL_ICMP_HDR_LEN + TUNNEL_ICMP_DATA_LEN)
#define TUNNEL_ICMP_MAX_LEN	 65515 /* 65535 less a 20-byte IPv4 header */
/* "tunneldp"; a caller may use a random per-process value instead. */
#define TUNNEL_ICMP_MAGIC	 UINT64_C(0x74756e6e656c6470)

#define TUNNEL_ICMP_ECHO_REQUEST  8
#define TUNNEL_ICMP_ECHO_REPLY	  0
#define TUNNEL_ICMP6_ECHO_REQUEST 128
#define TUNNEL_ICMP6_ECHO_REPLY	  129

/*
 * Why a received packet is not a reply to our probe.  Bad calls give -EINVAL
 * and -EMSGSIZE instead; these are below -1100 so they never equal a
 * negative errno nor an enum tunnel_stamp_err.
 */
enum tunnel_icmp_err {
	TUNNEL_ICMP_ERR_SHORT = -1101,	   /* cut short: IP header, ICMP header or echo data */
	TUNNEL_ICMP_ERR_IP_HEADER = -1102, /* not IPv4, bad IHL or total length, a fragment */
	TUNNEL_ICMP_ERR_PROTO = -1103,	   /* IPv4 protocol is not ICMP */
	TUNNEL_ICMP_ERR_TYPE = -1104,	   /* not an echo reply (type, or code not 0) */
	TUNNEL_ICMP_ERR_ID = -1105,	   /* another process's identifier */
	TUNNEL_ICMP_ERR_CHECKSUM = -1106,  /* ICMPv4 checksum wrong */
	TUNNEL_ICMP_ERR_MAGIC = -1107,	   /* echo data not ours */
};

struct tunnel_icmp_echo {
	uint16_t id;
	uint16_t seq;
	uint64_t send_ns; /* any clock the caller likes; carried unchanged */
};

/*
 * The Internet checksum (RFC 1071) of len bytes: the ones' complement of the
 * ones' complement sum of the big-endian 16-bit words, an odd last byte
 * padded with zero.  Store the result big-endian; over a message holding a
 * correct checksum it is 0.  0xffff for len 0 or NULL buf.
 */
uint16_t tunnel_icmp_checksum(const uint8_t *buf, size_t len);

/*
 * An ICMP echo request (type 8, checksum filled in) of len bytes
 * (TUNNEL_ICMP_MIN_LEN..TUNNEL_ICMP_MAX_LEN, ICMP header included) into buf.
 * Returns len, -EINVAL for NULL or len out of range, -EMSGSIZE when size < len.
 */
int tunnel_icmp4_echo_build(const struct tunnel_icmp_echo *e, uint64_t magic, uint8_t *buf,
			    size_t size, size_t len);

/*
 * An ICMPv6 echo request (type 128) as above, checksum 0: the kernel fills
 * it in on raw ICMPv6 sockets (RFC 3542 section 3.1), which need the
 * pseudo-header we do not see.
 */
int tunnel_icmp6_echo_build(const struct tunnel_icmp_echo *e, uint64_t magic, uint8_t *buf,
			    size_t size, size_t len);

/*
 * An IPv4 packet as a raw IPPROTO_ICMP socket on Linux delivers it (IPv4
 * header first, total length in network order); bytes past the total length
 * are ignored.  The IPv4 header checksum is the kernel's job and is not
 * checked; the ICMP checksum is.  On an echo reply (type 0 code 0) with
 * identifier expect_id and our magic, fills *out and returns 0; otherwise
 * returns an enum tunnel_icmp_err and leaves *out alone, or -EINVAL for NULL.
 */
int tunnel_icmp4_reply_parse(const uint8_t *buf, size_t len, uint16_t expect_id, uint64_t magic,
			     struct tunnel_icmp_echo *out);

/*
 * An ICMPv6 message as a raw IPPROTO_ICMPV6 socket delivers it (no IPv6
 * header; the kernel has verified the checksum).  As above, for an echo
 * reply (type 129 code 0).
 */
int tunnel_icmp6_reply_parse(const uint8_t *buf, size_t len, uint16_t expect_id, uint64_t magic,
			     struct tunnel_icmp_echo *out);

/*
 * A short English text for any value a function here returns: 0, an enum
 * tunnel_icmp_err, -EINVAL, -EMSGSIZE.  Never NULL.
 */
const char *tunnel_icmp_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_ICMP_H */
