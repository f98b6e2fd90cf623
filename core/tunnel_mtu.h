// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * The overlay MTU that `mtu auto` gives a tunnel.  Standard C only.
 */
#ifndef _TUNNELD_TUNNEL_MTU_H
#define _TUNNELD_TUNNEL_MTU_H

#include <stdbool.h>

#include "tunnel_kind.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TUNNEL_MTU_MIN_IPV4 68	  /* RFC 791: every IPv4 link */
#define TUNNEL_MTU_MIN_IPV6 1280  /* RFC 8200: every IPv6 link */
#define TUNNEL_MTU_MAX	    65535 /* largest IPv4 packet; the YANG mtu range */

/*
 * Underlay MTU less the encapsulation overhead, at most TUNNEL_MTU_MAX.
 * Returns the MTU (>= TUNNEL_MTU_MIN_IPV4), or -EINVAL for NULL arguments,
 * -EAFNOSUPPORT when the kind cannot run over opts->underlay_family, and
 * -ERANGE when the underlay cannot carry even a 68-byte overlay packet.
 * Check IPv6 on the overlay with tunnel_mtu_ipv6_ok().
 */
int tunnel_mtu_auto(const struct tunnel_kind_ops *ops, const struct tunnel_kind_opts *opts,
		    unsigned int underlay_mtu);

/* Whether an overlay of this MTU can carry IPv6 (>= 1280). */
bool tunnel_mtu_ipv6_ok(int mtu);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_MTU_H */
