// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * `mtu auto`: the underlay MTU less the kind's encapsulation overhead.
 *
 * Nested tunnels need no special case: the underlay of a GRE tunnel that
 * runs inside WireGuard is the WireGuard interface, so its MTU is what is
 * passed here (see test_tunnel_mtu.c for the numbers).
 */
#include <errno.h>
#include <sys/socket.h>

#include "tunnel_mtu.h"

/*
 * The largest packet the underlay can send: the 16-bit IPv4 total length
 * includes the header, the IPv6 payload length does not (no jumbograms).
 * An underlay MTU above it (loopback has 65536) counts as this.
 */
#define IPV4_MAX_PACKET 65535U
#define IPV6_MAX_PACKET (65535U + 40U)

int tunnel_mtu_auto(const struct tunnel_kind_ops *ops, const struct tunnel_kind_opts *opts,
		    unsigned int underlay_mtu)
{
	unsigned int max_packet;
	int overhead;

	overhead = tunnel_kind_overhead(ops, opts);
	if (overhead < 0)
		return overhead;

	max_packet = opts->underlay_family == AF_INET6 ? IPV6_MAX_PACKET : IPV4_MAX_PACKET;
	if (underlay_mtu > max_packet)
		underlay_mtu = max_packet;
	if (underlay_mtu < (unsigned int)overhead + TUNNEL_MTU_MIN_IPV4)
		return -ERANGE;

	/* At most TUNNEL_MTU_MAX: an IPv6 underlay's overhead is at least its 40-byte header. */
	return (int)(underlay_mtu - (unsigned int)overhead);
}

bool tunnel_mtu_ipv6_ok(int mtu)
{
	return mtu >= TUNNEL_MTU_MIN_IPV6;
}
