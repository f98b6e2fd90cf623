// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * ICMP/ICMPv6 echo probes: request builder and reply parser.  Raw sockets
 * see every ICMP packet the host receives, so the parser is the filter that
 * keeps only replies to our own probes; it checks the cheap fields first.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "tunnel_icmp.h"

#define IPV4_MIN_HDR   20
#define IPPROTO_ICMP_V 1 /* not IPPROTO_ICMP: that needs <netinet/in.h> */
#define IPV4_MF	       0x2000U
#define IPV4_OFFSET    0x1fffU

/* ICMP echo header offsets (RFC 792, RFC 4443 section 4.1). */
#define OFF_TYPE  0
#define OFF_CODE  1
#define OFF_CSUM  2
#define OFF_ID	  4
#define OFF_SEQ	  6
#define OFF_MAGIC 8
#define OFF_TIME  16

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned int)p[0] << 8 | p[1]);
}

static inline uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint16_t tunnel_icmp_checksum(const uint8_t *buf, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	if (!buf)
		return 0xffff;
	for (i = 0; i + 1 < len; i += 2)
		sum += get_be16(buf + i);
	if (len & 1)
		sum += (uint64_t)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int echo_build(uint8_t type, const struct tunnel_icmp_echo *e, uint64_t magic,
		      uint8_t *buf, size_t size, size_t len)
{
	if (!e || !buf || len < TUNNEL_ICMP_MIN_LEN || len > TUNNEL_ICMP_MAX_LEN)
		return -EINVAL;
	if (size < len)
		return -EMSGSIZE;

	memset(buf, 0, len);
	buf[OFF_TYPE] = type;
	put_be16(buf + OFF_ID, e->id);
	put_be16(buf + OFF_SEQ, e->seq);
	put_be64(buf + OFF_MAGIC, magic);
	put_be64(buf + OFF_TIME, e->send_ns);
	return (int)len;
}

int tunnel_icmp4_echo_build(const struct tunnel_icmp_echo *e, uint64_t magic, uint8_t *buf,
			    size_t size, size_t len)
{
	int ret = echo_build(TUNNEL_ICMP_ECHO_REQUEST, e, magic, buf, size, len);

	if (ret > 0)
		put_be16(buf + OFF_CSUM, tunnel_icmp_checksum(buf, len));
	return ret;
}

int tunnel_icmp6_echo_build(const struct tunnel_icmp_echo *e, uint64_t magic, uint8_t *buf,
			    size_t size, size_t len)
{
	return echo_build(TUNNEL_ICMP6_ECHO_REQUEST, e, magic, buf, size, len);
}

/* The ICMP part of a reply, len bytes from its header; checksum only for v4. */
static int echo_parse(const uint8_t *icmp, size_t len, uint8_t reply_type, bool csum,
		      uint16_t expect_id, uint64_t magic, struct tunnel_icmp_echo *out)
{
	if (len < TUNNEL_ICMP_HDR_LEN)
		return TUNNEL_ICMP_ERR_SHORT;
	if (icmp[OFF_TYPE] != reply_type || icmp[OFF_CODE] != 0)
		return TUNNEL_ICMP_ERR_TYPE;
	if (get_be16(icmp + OFF_ID) != expect_id)
		return TUNNEL_ICMP_ERR_ID;
	if (len < TUNNEL_ICMP_MIN_LEN)
		return TUNNEL_ICMP_ERR_SHORT;
	if (csum && tunnel_icmp_checksum(icmp, len) != 0)
		return TUNNEL_ICMP_ERR_CHECKSUM;
	if (get_be64(icmp + OFF_MAGIC) != magic)
		return TUNNEL_ICMP_ERR_MAGIC;

	out->id = expect_id;
	out->seq = get_be16(icmp + OFF_SEQ);
	out->send_ns = get_be64(icmp + OFF_TIME);
	return 0;
}

int tunnel_icmp4_reply_parse(const uint8_t *buf, size_t len, uint16_t expect_id, uint64_t magic,
			     struct tunnel_icmp_echo *out)
{
	size_t ihl, tot_len;

	if (!buf || !out)
		return -EINVAL;
	if (len < IPV4_MIN_HDR)
		return TUNNEL_ICMP_ERR_SHORT;
	if (buf[0] >> 4 != 4)
		return TUNNEL_ICMP_ERR_IP_HEADER;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	tot_len = get_be16(buf + 2);
	if (ihl < IPV4_MIN_HDR || tot_len < ihl)
		return TUNNEL_ICMP_ERR_IP_HEADER;
	if (ihl > len || tot_len > len)
		return TUNNEL_ICMP_ERR_SHORT;
	/* The kernel reassembles before raw delivery: a fragment here is malformed. */
	if (get_be16(buf + 6) & (IPV4_MF | IPV4_OFFSET))
		return TUNNEL_ICMP_ERR_IP_HEADER;
	if (buf[9] != IPPROTO_ICMP_V)
		return TUNNEL_ICMP_ERR_PROTO;

	return echo_parse(buf + ihl, tot_len - ihl, TUNNEL_ICMP_ECHO_REPLY, true, expect_id,
			  magic, out);
}

int tunnel_icmp6_reply_parse(const uint8_t *buf, size_t len, uint16_t expect_id, uint64_t magic,
			     struct tunnel_icmp_echo *out)
{
	if (!buf || !out)
		return -EINVAL;
	return echo_parse(buf, len, TUNNEL_ICMP6_ECHO_REPLY, false, expect_id, magic, out);
}

const char *tunnel_icmp_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case TUNNEL_ICMP_ERR_SHORT:
		return "truncated packet";
	case TUNNEL_ICMP_ERR_IP_HEADER:
		return "malformed IPv4 header";
	case TUNNEL_ICMP_ERR_PROTO:
		return "not an ICMP packet";
	case TUNNEL_ICMP_ERR_TYPE:
		return "not an echo reply";
	case TUNNEL_ICMP_ERR_ID:
		return "echo identifier not ours";
	case TUNNEL_ICMP_ERR_CHECKSUM:
		return "bad ICMP checksum";
	case TUNNEL_ICMP_ERR_MAGIC:
		return "echo data not from our probe";
	case -EINVAL:
		return "invalid argument";
	case -EMSGSIZE:
		return "buffer too small for the packet";
	default:
		return "unknown ICMP error";
	}
}
