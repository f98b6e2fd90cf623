// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld northbound: the callback table of the frr-tunneld YANG module.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * A tunnel, a profile and the global settings are each re-read as a whole
 * in their apply_finish callback, so the many leaves below them share
 * generic callbacks that only acknowledge the change.
 */
#include <zebra.h>

#include "tunneld/tunnel_nb.h"

#define XP "/frr-tunneld:tunneld"
#define XP_PROF XP "/profile"
#define XP_TUN XP "/tunnel"

/* A leaf with a default or a mandatory leaf: it can only be modified. */
#define LEAF(path)                                                             \
	{                                                                      \
		.xpath = path, .cbs = {.modify = tunnel_nb_leaf_modify },      \
	}
/* An optional leaf: it can be modified and removed. */
#define OPT_LEAF(path)                                                         \
	{                                                                      \
		.xpath = path, .cbs = {                                        \
			.modify = tunnel_nb_leaf_modify,                       \
			.destroy = tunnel_nb_leaf_destroy,                     \
		},                                                             \
	}
/* A list inside a tunnel, a leaf-list or a presence container. */
#define NODE(path)                                                             \
	{                                                                      \
		.xpath = path, .cbs = {                                        \
			.create = tunnel_nb_node_create,                       \
			.destroy = tunnel_nb_node_destroy,                     \
		},                                                             \
	}
#define STATE(path, fn)                                                        \
	{                                                                      \
		.xpath = path, .cbs = {.get_elem = fn },                       \
	}

/* clang-format off */
const struct frr_yang_module_info frr_tunneld_info = {
	.name = "frr-tunneld",
	.nodes = {
		{
			.xpath = XP,
			.cbs = { .apply_finish = tunneld_nb_apply_finish },
		},
		LEAF(XP "/dry-run"),
		LEAF(XP "/change-budget"),
		LEAF(XP "/stamp-reflector/enable"),
		LEAF(XP "/stamp-reflector/port"),
		LEAF(XP "/stamp-reflector/scope"),

		{
			.xpath = XP_PROF,
			.cbs = {
				.create = tunnel_nb_profile_create,
				.destroy = tunnel_nb_profile_destroy,
				.apply_finish = tunnel_nb_profile_apply_finish,
			},
		},
		LEAF(XP_PROF "/probe/interval"),
		LEAF(XP_PROF "/probe/window"),
		LEAF(XP_PROF "/probe/timeout"),
		LEAF(XP_PROF "/probe/miss-count"),
		LEAF(XP_PROF "/probe/dscp"),
		LEAF(XP_PROF "/probe/size"),
		LEAF(XP_PROF "/alpha"),
		LEAF(XP_PROF "/score/weight-bandwidth"),
		LEAF(XP_PROF "/score/weight-rtt"),
		LEAF(XP_PROF "/score/weight-jitter"),
		LEAF(XP_PROF "/score/weight-loss"),
		LEAF(XP_PROF "/score/reference-bandwidth"),
		LEAF(XP_PROF "/score/reference-rtt"),
		LEAF(XP_PROF "/score/reference-jitter"),
		LEAF(XP_PROF "/local-preference/base"),
		LEAF(XP_PROF "/local-preference/scale"),
		LEAF(XP_PROF "/local-preference/max-score"),
		LEAF(XP_PROF "/ospf-cost/mode"),
		LEAF(XP_PROF "/ospf-cost/beta"),
		LEAF(XP_PROF "/ospf-cost/gamma"),
		LEAF(XP_PROF "/ospf-cost/delta"),
		LEAF(XP_PROF "/ospf-cost/minimum"),
		LEAF(XP_PROF "/ospf-cost/maximum"),
		LEAF(XP_PROF "/ospf-cost/step"),
		LEAF(XP_PROF "/ospf-cost/penalty"),
		LEAF(XP_PROF "/health/max-loss"),
		LEAF(XP_PROF "/health/max-rtt"),
		LEAF(XP_PROF "/health/recovery-time"),
		LEAF(XP_PROF "/hysteresis/lp-deadband"),
		LEAF(XP_PROF "/hysteresis/cost-deadband"),
		LEAF(XP_PROF "/hysteresis/holddown"),
		LEAF(XP_PROF "/hysteresis/dwell"),

		{
			.xpath = XP_TUN,
			.cbs = {
				.create = tunnel_nb_tunnel_create,
				.destroy = tunnel_nb_tunnel_destroy,
				.apply_finish = tunnel_nb_tunnel_apply_finish,
				.get_next = tunnel_nb_tunnel_get_next,
				.get_keys = tunnel_nb_tunnel_get_keys,
				.lookup_entry = tunnel_nb_tunnel_lookup_entry,
			},
		},
		OPT_LEAF(XP_TUN "/kind"),
		OPT_LEAF(XP_TUN "/description"),
		LEAF(XP_TUN "/shutdown"),
		LEAF(XP_TUN "/adopt"),
		OPT_LEAF(XP_TUN "/vrf"),
		LEAF(XP_TUN "/mtu"),
		OPT_LEAF(XP_TUN "/profile"),
		OPT_LEAF(XP_TUN "/underlay/source-address"),
		OPT_LEAF(XP_TUN "/underlay/source-interface"),
		OPT_LEAF(XP_TUN "/underlay/destination"),
		OPT_LEAF(XP_TUN "/underlay/vrf"),
		OPT_LEAF(XP_TUN "/underlay/device"),
		NODE(XP_TUN "/address"),
		LEAF(XP_TUN "/address/prefix-length"),
		OPT_LEAF(XP_TUN "/gre/key"),
		OPT_LEAF(XP_TUN "/gre/ttl"),
		LEAF(XP_TUN "/gre/checksum"),
		NODE(XP_TUN "/vti"),
		LEAF(XP_TUN "/vti/ikey"),
		LEAF(XP_TUN "/vti/okey"),
		NODE(XP_TUN "/xfrm"),
		LEAF(XP_TUN "/xfrm/if-id"),
		OPT_LEAF(XP_TUN "/wireguard/private-key-file"),
		OPT_LEAF(XP_TUN "/wireguard/listen-port"),
		OPT_LEAF(XP_TUN "/wireguard/fwmark"),
		NODE(XP_TUN "/wireguard/peer"),
		OPT_LEAF(XP_TUN "/wireguard/peer/preshared-key-file"),
		OPT_LEAF(XP_TUN "/wireguard/peer/endpoint-address"),
		LEAF(XP_TUN "/wireguard/peer/endpoint-port"),
		NODE(XP_TUN "/wireguard/peer/allowed-ips"),
		OPT_LEAF(XP_TUN "/wireguard/peer/persistent-keepalive"),
		LEAF(XP_TUN "/probe/mode"),
		OPT_LEAF(XP_TUN "/probe/destination"),
		LEAF(XP_TUN "/probe/port"),
		OPT_LEAF(XP_TUN "/probe/interval"),
		OPT_LEAF(XP_TUN "/probe/window"),
		OPT_LEAF(XP_TUN "/probe/timeout"),
		OPT_LEAF(XP_TUN "/probe/miss-count"),
		OPT_LEAF(XP_TUN "/probe/dscp"),
		OPT_LEAF(XP_TUN "/probe/size"),
		NODE(XP_TUN "/bfd"),
		OPT_LEAF(XP_TUN "/bfd/profile"),
		LEAF(XP_TUN "/ospf/dynamic-cost"),
		LEAF(XP_TUN "/ospf6/dynamic-cost"),
		NODE(XP_TUN "/bgp"),
		LEAF(XP_TUN "/bgp/route-map"),
		LEAF(XP_TUN "/bgp/sequence"),
		STATE(XP_TUN "/state/ifindex", tunnel_nb_state_ifindex_get_elem),
		STATE(XP_TUN "/state/oper-status", tunnel_nb_state_oper_status_get_elem),
		STATE(XP_TUN "/state/mtu", tunnel_nb_state_mtu_get_elem),

		STATE(XP "/zebra/connected", tunnel_nb_zebra_connected_get_elem),
		STATE(XP "/zebra/interfaces", tunnel_nb_zebra_interfaces_get_elem),
		{
			.xpath = NULL,
		},
	}
};
/* clang-format on */
