// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/* The far end's overlay address on a point-to-point subnet. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "tunnel_peer.h"

int tunnel_peer_from_subnet(const struct tunnel_ip *addr, uint8_t plen, struct tunnel_ip *peer)
{
	uint32_t a, host;

	if (!addr || !peer)
		return -1;
	if (addr->family == AF_INET6) {
		if (plen != 127)
			return -1;
		*peer = *addr;
		peer->u.v6.s6_addr[15] ^= 1;
		return 0;
	}
	if (addr->family != AF_INET)
		return -1;
	a = ntohl(addr->u.v4.s_addr);
	if (plen == 31) {
		a ^= 1;
	} else if (plen == 30) {
		/* Hosts are .1 and .2 of the four: .0 and .3 name no far end. */
		host = a & 3;
		if (host == 0 || host == 3)
			return -1;
		a = (a & ~3U) | (3 - host);
	} else {
		return -1;
	}
	memset(peer, 0, sizeof(*peer));
	peer->family = AF_INET;
	peer->u.v4.s_addr = htonl(a);
	return 0;
}
