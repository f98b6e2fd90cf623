// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * The far end's overlay address, when a point-to-point subnet names it:
 * probes and BFD need it, and on a /30, /31 or /127 it is the only other
 * address there is.  Standard C only.
 */
#ifndef _TUNNELD_TUNNEL_PEER_H
#define _TUNNELD_TUNNEL_PEER_H

#include <stdint.h>

#include "tunnel_link.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The other address of @addr's point-to-point subnet: on an IPv4 /31 or
 * IPv6 /127 the other of the two addresses; on an IPv4 /30 the other of the
 * two host addresses.  Returns 0 with *peer set, -1 when the prefix length
 * names no single far end (other lengths, or a /30 network or broadcast
 * address) or the family is not AF_INET/AF_INET6.
 */
int tunnel_peer_from_subnet(const struct tunnel_ip *addr, uint8_t plen, struct tunnel_ip *peer);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_PEER_H */
