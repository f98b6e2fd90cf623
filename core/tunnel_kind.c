// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tunnel kinds and their encapsulation overheads.
 *
 * Which settings change in place (.inplace) is what Linux 6.12 does, checked
 * on Debian's 6.12.107+deb13-amd64 in the lab VM with `ip link set DEV type
 * KIND ...` on a live link, and read in the source: ipgre_changelink() and
 * vti_changelink() go through ip_tunnel_changelink()/ip_tunnel_update(),
 * which rewrite local, remote, keys, ttl and link; ipgre_changelink() then
 * copies the key/csum flags and recomputes the header length (the MTU went
 * 1476 -> 1468 on adding key and csum).  ip6gre_changelink() and
 * vti6_changelink() do the same for IPv6.  xfrmi_changelink() changes if_id
 * but xfrmi_change() returns -EINVAL when IFLA_XFRM_LINK differs, so a new
 * underlay device means a new link.  WireGuard keeps nothing in its
 * rtnetlink data; `wg set` changes key, port, fwmark and peers live.
 *
 * Two things the caller must know (same experiment): a changelink message
 * replaces the kind's whole parameter set, so attributes left out are reset
 * (sending only IFLA_GRE_REMOTE cleared local, ttl, key, csum and the
 * device); and without IFLA_MTU in the message the kernel recomputes the MTU.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "tunnel_kind.h"
#include "tunnel_link.h" /* the kinds' netlink codecs */

#define IPV4_HDR 20
#define IPV6_HDR 40
#define UDP_HDR	 8

/* GRE: flags and protocol; each of checksum, key and sequence adds a word. */
#define GRE_HDR	   4
#define GRE_OPTION 4
/* RFC 2473 destination option (4) padded to 8; ip6_tnl adds it by default. */
#define IP6_ENCAP_LIMIT_OPT 8

/*
 * WireGuard data message: type and reserved (4), receiver index (4),
 * counter (8), Poly1305 tag (16).  Its padding to 16 bytes stops at the
 * interface MTU, so a full-size packet has none.
 */
#define WG_HDR 32

/*
 * ESP in tunnel mode, worst case over the algorithms Linux and strongSwan
 * commonly use: SPI and sequence number (8), IV up to 16 (AES-CBC; GCM and
 * ChaCha20-Poly1305 use 8), padding up to 15 (to a 16-byte block), pad
 * length and next header (2), ICV up to 16 (AES-GCM-16, HMAC-SHA-256-128).
 * The SA is negotiated after the interface exists, so the interface cannot
 * know its algorithm: this is deliberately conservative.  Not covered:
 * NAT-T UDP encapsulation (+8) and HMAC-SHA-384/512 (ICV 24/32); set the MTU
 * by hand for those.
 */
#define ESP_HDR	    8
#define ESP_IV_MAX  16
#define ESP_PAD_MAX 15
#define ESP_TRAILER 2
#define ESP_ICV_MAX 16
#define ESP_MAX	    (ESP_HDR + ESP_IV_MAX + ESP_PAD_MAX + ESP_TRAILER + ESP_ICV_MAX)

#define SET_UNDERLAY (TUNNEL_SET_LOCAL | TUNNEL_SET_REMOTE | TUNNEL_SET_DEVICE)
#define SET_LINK     (TUNNEL_SET_MTU | TUNNEL_SET_VRF)
#define SET_GRE                                                                                    \
	(SET_UNDERLAY | SET_LINK | TUNNEL_SET_TTL | TUNNEL_SET_GRE_KEY | TUNNEL_SET_GRE_CSUM |     \
	 TUNNEL_SET_GRE_EXTRAS)
#define SET_VTI (SET_UNDERLAY | SET_LINK | TUNNEL_SET_VTI_KEYS)
/* XFRM endpoints live in the SAs; tunneld keeps them only for the family. */
#define SET_XFRM (SET_UNDERLAY | SET_LINK | TUNNEL_SET_XFRM_IF_ID)
/* WireGuard binds no address or device: its peers carry the endpoints. */
#define SET_WG                                                                                     \
	(SET_LINK | TUNNEL_SET_WG_PRIVATE_KEY | TUNNEL_SET_WG_LISTEN_PORT | TUNNEL_SET_WG_FWMARK | \
	 TUNNEL_SET_WG_PEERS)

static unsigned int ip_hdr_len(const struct tunnel_kind_opts *opts)
{
	return opts->underlay_family == AF_INET6 ? IPV6_HDR : IPV4_HDR;
}

static unsigned int gre_overhead(const struct tunnel_kind_opts *opts)
{
	return ip_hdr_len(opts) + GRE_HDR + (opts->gre_key ? GRE_OPTION : 0) +
	       (opts->gre_csum ? GRE_OPTION : 0) + (opts->gre_seq ? GRE_OPTION : 0);
}

static unsigned int ip6gre_overhead(const struct tunnel_kind_opts *opts)
{
	return gre_overhead(opts) + (opts->ip6_encap_limit ? IP6_ENCAP_LIMIT_OPT : 0);
}

static unsigned int esp_overhead(const struct tunnel_kind_opts *opts)
{
	return ip_hdr_len(opts) + ESP_MAX;
}

static unsigned int wireguard_overhead(const struct tunnel_kind_opts *opts)
{
	return ip_hdr_len(opts) + UDP_HDR + WG_HDR;
}

static const struct tunnel_kind_ops kinds[TUNNEL_KIND_MAX] = {
	[TUNNEL_KIND_GRE] = {
		.name = "gre",
		.kind = TUNNEL_KIND_GRE,
		.info_kind = "gre",
		.families = TUNNEL_AF_IPV4,
		.needs_destination = true,
		.settings = SET_GRE,
		.inplace = SET_GRE,
		.defaults = { .ttl = 0 },
		.overhead = gre_overhead,
		.put_info_data = tunnel_gre_put_info_data,
		.parse_info_data = tunnel_gre_parse_info_data,
		.diff = tunnel_gre_diff,
	},
	[TUNNEL_KIND_IP6GRE] = {
		.name = "ip6gre",
		.kind = TUNNEL_KIND_IP6GRE,
		.info_kind = "ip6gre",
		.families = TUNNEL_AF_IPV6,
		.needs_destination = true,
		.settings = SET_GRE,
		.inplace = SET_GRE,
		/* hoplimit 0 copies the inner hop limit, as ttl 0 does for gre */
		.defaults = { .ttl = 0 },
		.overhead = ip6gre_overhead,
		.put_info_data = tunnel_ip6gre_put_info_data,
		.parse_info_data = tunnel_ip6gre_parse_info_data,
		.diff = tunnel_gre_diff,
	},
	[TUNNEL_KIND_VTI] = {
		.name = "vti",
		.kind = TUNNEL_KIND_VTI,
		.info_kind = "vti",
		.families = TUNNEL_AF_IPV4,
		.needs_destination = true,
		.settings = SET_VTI,
		.inplace = SET_VTI,
		.overhead = esp_overhead,
		.put_info_data = tunnel_vti_put_info_data,
		.parse_info_data = tunnel_vti_parse_info_data,
		.diff = tunnel_vti_diff,
	},
	[TUNNEL_KIND_VTI6] = {
		.name = "vti6",
		.kind = TUNNEL_KIND_VTI6,
		.info_kind = "vti6",
		.families = TUNNEL_AF_IPV6,
		.needs_destination = true,
		.settings = SET_VTI,
		.inplace = SET_VTI,
		.overhead = esp_overhead,
		.put_info_data = tunnel_vti6_put_info_data,
		.parse_info_data = tunnel_vti6_parse_info_data,
		.diff = tunnel_vti_diff,
	},
	[TUNNEL_KIND_XFRM] = {
		.name = "xfrm",
		.kind = TUNNEL_KIND_XFRM,
		.info_kind = "xfrm",
		.families = TUNNEL_AF_IPV4 | TUNNEL_AF_IPV6,
		.needs_destination = true,
		.settings = SET_XFRM,
		.inplace = SET_XFRM & ~TUNNEL_SET_DEVICE,
		.overhead = esp_overhead,
		.put_info_data = tunnel_xfrm_put_info_data,
		.parse_info_data = tunnel_xfrm_parse_info_data,
		.diff = tunnel_xfrm_diff,
	},
	[TUNNEL_KIND_WIREGUARD] = {
		.name = "wireguard",
		.kind = TUNNEL_KIND_WIREGUARD,
		.info_kind = "wireguard",
		.families = TUNNEL_AF_IPV4 | TUNNEL_AF_IPV6,
		.needs_destination = false,
		.settings = SET_WG,
		.inplace = SET_WG,
		.defaults = { .listen_port = 0, .peer_port = 51820 },
		.overhead = wireguard_overhead,
		.diff = tunnel_wireguard_diff,
	},
};

const struct tunnel_kind_ops *tunnel_kind_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < TUNNEL_KIND_MAX; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const struct tunnel_kind_ops *tunnel_kind_by_info_kind(const char *info_kind)
{
	if (!info_kind)
		return NULL;
	for (size_t i = 0; i < TUNNEL_KIND_MAX; i++)
		if (strcmp(kinds[i].info_kind, info_kind) == 0)
			return &kinds[i];
	return NULL;
}

const struct tunnel_kind_ops *tunnel_kind_get(enum tunnel_kind kind)
{
	/* The enum may hold any int a caller cast into it. */
	if ((unsigned int)kind >= TUNNEL_KIND_MAX)
		return NULL;
	return &kinds[kind];
}

bool tunnel_kind_accepts_family(const struct tunnel_kind_ops *ops, int af)
{
	if (!ops)
		return false;
	switch (af) {
	case AF_INET:
		return ops->families & TUNNEL_AF_IPV4;
	case AF_INET6:
		return ops->families & TUNNEL_AF_IPV6;
	default:
		return false;
	}
}

int tunnel_kind_overhead(const struct tunnel_kind_ops *ops, const struct tunnel_kind_opts *opts)
{
	if (!ops || !opts)
		return -EINVAL;
	if (!tunnel_kind_accepts_family(ops, opts->underlay_family))
		return -EAFNOSUPPORT;
	return (int)ops->overhead(opts);
}

bool tunnel_kind_needs_recreate(const struct tunnel_kind_ops *ops, uint32_t changed)
{
	/* Without a kind there is no link to change: make a new one. */
	if (!ops)
		return true;
	return (changed & ops->settings & ~ops->inplace) != 0;
}
