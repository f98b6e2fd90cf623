// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld configuration CLI.
 *
 * Compiled only into mgmtd (as ripd/rip_cli.c is): the commands edit the
 * /frr-tunneld:tunneld tree through nb_cli_enqueue_change() and
 * nb_cli_apply_changes(), mgmtd validates the result against frr-tunneld.yang
 * and hands it to tunneld; the cli_show callbacks in frr_tunneld_cli_info
 * print the running configuration.
 *
 * Copyright 2026 The frr-tunneld authors.
 */

#include <zebra.h>

#include "command.h"
#include "ipaddr.h"
#include "northbound_cli.h"
#include "prefix.h"
#include "vty.h"
#include "yang.h"

#include "tunneld/tunnel_cli.h"
#include "tunneld/tunnel_cli_clippy.c"

#define TUNNELD_XPATH "/frr-tunneld:tunneld"
#define TUNNEL_XPATH TUNNELD_XPATH "/tunnel[name='%s']"
#define PROFILE_XPATH TUNNELD_XPATH "/profile[name='%s']"
#define TUNNEL_KEY_XPATH TUNNELD_XPATH "/tunnel/name"
#define PROFILE_KEY_XPATH TUNNELD_XPATH "/profile/name"
#define WG_PEER_KEY_XPATH TUNNELD_XPATH "/tunnel/wireguard/peer/public-key"

/*
 * Help strings shared by several commands.  Commands that share a token
 * must give it the same help string, so these live in one place.  Macros
 * used inside command strings must be single string literals (clippy
 * expands only those).
 */
#define TUNNELD_STR "Tunnel daemon (tunneld) settings\n"
#define STAMP_REFL_STR "STAMP (RFC 8762) session-reflector that answers far-end probes\n"
#define STAMP_REFL_PORT_STR "UDP port the reflector listens on\nUDP port number\n"
#define STAMP_REFL_SCOPE_STR                                                                       \
	"Interfaces on which test packets are answered\n"                                          \
	"Only interfaces tunneld manages\n"                                                        \
	"Every interface\n"

#define UNDERLAY_STR "Transport the tunnel runs over (underlay)\n"
#define UNDERLAY_SRC_STR "Local endpoint of the tunnel\n"
#define UNDERLAY_ADDR_STR "IPv4 address\nIPv6 address\n"
#define GRE_STR "GRE settings\n"
#define VTI_STR "VTI settings: marks of the IPsec SAs\n"
#define VTI_KEY_STR "Input and output key (mark), the same value\nKey value\n"
#define VTI_IKEY_STR "Input key (mark) of inbound SAs\nKey value\n"
#define VTI_OKEY_STR "Output key (mark) of outbound SAs\nKey value\n"
#define XFRM_STR "XFRM interface settings\n"
#define XFRM_IF_ID_STR "if_id that the IPsec SAs and policies name\nif_id value\n"
#define WG_STR "WireGuard settings\n"
#define WG_PEER_STR "WireGuard peer\nPeer's public key (base64, as wg(8) prints it)\n"
#define WG_KEYFILE_STR "File holding the interface's private key\nAbsolute file name\n"
#define WG_LPORT_STR "UDP port to listen on\nUDP port number\n"
#define WG_FWMARK_STR "Mark of the encrypted packets\nMark value\n"
#define WG_ENDPOINT_STR "Peer's underlay endpoint\nIPv4 address\nIPv6 address\n"
#define WG_ENDPORT_STR "Peer's UDP port (default 51820)\nUDP port number\n"
#define WG_ALLOWED_STR "Prefix routed to and accepted from the peer\nIPv4 prefix\nIPv6 prefix\n"
#define WG_PSK_STR "File holding a preshared key\nAbsolute file name\n"
#define WG_KEEPALIVE_STR "Persistent keepalive interval\nSeconds\n"
#define PROBE_STR "Probes that measure the tunnel\n"
#define OSPF_DYN_STR "Let tunneld set the OSPF cost from the measured quality\n"
#define BGP_RMAP_STR                                                                               \
	"Route-map entry in which tunneld sets local-preference\n"                                 \
	"Route-map name\n"                                                                         \
	"Sequence number of the entry tunneld owns (default 10)\n"                                 \
	"Sequence number\n"

/* Probe timing: the same leaves in a tunnel and in a profile. */
#define PROBE_TIMING_CMD_STR                                                                       \
	"<interval$leaf (10-60000)$value|window$leaf (1-3600)$value|timeout$leaf (10-60000)$value|miss-count$leaf (1-255)$value|dscp$leaf (0-63)$value|size$leaf (44-9000)$value>"
#define NO_PROBE_TIMING_CMD_STR                                                                    \
	"<interval$leaf [(10-60000)]|window$leaf [(1-3600)]|timeout$leaf [(10-60000)]|miss-count$leaf [(1-255)]|dscp$leaf [(0-63)]|size$leaf [(44-9000)]>"
#define PROBE_TIMING_HELP_STR                                                                      \
	"Time between two probes\n"                                                                \
	"Milliseconds\n"                                                                           \
	"Number of recent probes that loss and jitter are judged over\n"                           \
	"Number of probes\n"                                                                       \
	"Time after which an unanswered probe counts as lost\n"                                    \
	"Milliseconds\n"                                                                           \
	"Consecutive lost probes after which the tunnel is down\n"                                 \
	"Number of probes\n"                                                                       \
	"DSCP value of probe packets\n"                                                            \
	"DSCP value\n"                                                                             \
	"UDP payload size of a probe\n"                                                            \
	"Bytes\n"

#define SCORE_STR "Weighted quality score\n"
#define SCORE_WEIGHT_STR                                                                           \
	"Weight of one measurement in the score\n"                                                 \
	"Weight of throughput (w_b)\n"                                                             \
	"Weight of round-trip time (w_r)\n"                                                        \
	"Weight of jitter (w_q)\n"                                                                 \
	"Weight of loss (w_p)\n"
#define SCORE_REF_STR "Reference value that a measurement is scaled by\n"
#define LP_STR "BGP local-preference derived from the score\n"
#define OSPF_COST_STR "OSPF cost derived from the measurements\n"
#define HEALTH_STR "Hard limits that make a tunnel degraded\n"
#define HYST_STR "What keeps routes from flapping\n"

/*
 * List keys are part of the XPath, and mgmtd reports a key value that
 * does not fit its YANG type only as "Failed to edit configuration".
 * Check such values against the key's YANG type here, so the user sees
 * the YANG error-message.  Quotes would break the XPath predicate.
 */
static bool tunnel_cli_key_ok(struct vty *vty, const char *key_xpath, const char *value)
{
	const struct lysc_node *snode;
	char buf[BUFSIZ];

	if (strchr(value, '\'') || strchr(value, '"')) {
		vty_out(vty, "%% Invalid value \"%s\": quotes are not allowed\n", value);
		return false;
	}

	snode = yang_find_snode(ly_native_ctx, key_xpath, 0);
	if (!snode)
		return true; /* not expected; mgmtd will report the problem */

	if (lyd_value_validate(ly_native_ctx, snode, value, strlen(value), NULL, NULL, NULL) ==
	    LY_SUCCESS)
		return true;

	vty_out(vty, "%% Invalid value \"%s\"\n%s", value,
		yang_print_errors(ly_native_ctx, buf, sizeof(buf)));
	return false;
}

/* Set a leaf (value NULL: back to its YANG default) and apply. */
static int tunnel_cli_modify(struct vty *vty, const char *xpath, const char *value)
{
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, value);
	return nb_cli_apply_changes(vty, NULL);
}

/* Remove a node (a leaf without default, a container, a list entry). */
static int tunnel_cli_destroy(struct vty *vty, const char *xpath)
{
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

/*
 * Global settings.
 * XPath: /frr-tunneld:tunneld
 */
DEFPY_YANG (tunneld_dry_run,
	    tunneld_dry_run_cmd,
	    "[no] tunneld dry-run",
	    NO_STR
	    TUNNELD_STR
	    "Decide and show routing changes, but apply none\n")
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/dry-run", no ? "false" : "true");
}

DEFPY_YANG (tunneld_change_budget,
	    tunneld_change_budget_cmd,
	    "tunneld change-budget (1-10000)$budget",
	    TUNNELD_STR
	    "Routing changes applied per minute over all tunnels (default 20)\n"
	    "Changes per minute\n")
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/change-budget", budget_str);
}

DEFPY_YANG (no_tunneld_change_budget,
	    no_tunneld_change_budget_cmd,
	    "no tunneld change-budget [(1-10000)]",
	    NO_STR
	    TUNNELD_STR
	    "Routing changes applied per minute over all tunnels (default 20)\n"
	    "Changes per minute\n")
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/change-budget", NULL);
}

DEFPY_YANG (tunneld_stamp_reflector,
	    tunneld_stamp_reflector_cmd,
	    "tunneld stamp-reflector [{port (1-65535)$port|scope <managed|all>$scope}]",
	    TUNNELD_STR
	    STAMP_REFL_STR
	    STAMP_REFL_PORT_STR
	    STAMP_REFL_SCOPE_STR)
{
	nb_cli_enqueue_change(vty, "./enable", NB_OP_MODIFY, "true");
	if (port_str)
		nb_cli_enqueue_change(vty, "./port", NB_OP_MODIFY, port_str);
	if (scope)
		nb_cli_enqueue_change(vty, "./scope", NB_OP_MODIFY, scope);

	return nb_cli_apply_changes(vty, TUNNELD_XPATH "/stamp-reflector");
}

DEFPY_YANG (no_tunneld_stamp_reflector,
	    no_tunneld_stamp_reflector_cmd,
	    "no tunneld stamp-reflector",
	    NO_STR
	    TUNNELD_STR
	    STAMP_REFL_STR)
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/stamp-reflector/enable", "false");
}

DEFPY_YANG (no_tunneld_stamp_reflector_port,
	    no_tunneld_stamp_reflector_port_cmd,
	    "no tunneld stamp-reflector port [(1-65535)]",
	    NO_STR
	    TUNNELD_STR
	    STAMP_REFL_STR
	    STAMP_REFL_PORT_STR)
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/stamp-reflector/port", NULL);
}

DEFPY_YANG (no_tunneld_stamp_reflector_scope,
	    no_tunneld_stamp_reflector_scope_cmd,
	    "no tunneld stamp-reflector scope [<managed|all>]",
	    NO_STR
	    TUNNELD_STR
	    STAMP_REFL_STR
	    STAMP_REFL_SCOPE_STR)
{
	return tunnel_cli_modify(vty, TUNNELD_XPATH "/stamp-reflector/scope", NULL);
}

/*
 * XPath: /frr-tunneld:tunneld/profile
 */
DEFPY_YANG_NOSH (tunneld_profile_enter,
		 tunnel_profile_cmd,
		 "tunnel-profile NAME$tunnel_profile",
		 TUNNEL_PROFILE_NODE_HELP_STR)
{
	char xpath[XPATH_MAXLEN];
	int ret;

	if (!tunnel_cli_key_ok(vty, PROFILE_KEY_XPATH, tunnel_profile))
		return CMD_WARNING_CONFIG_FAILED;

	snprintf(xpath, sizeof(xpath), PROFILE_XPATH, tunnel_profile);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);

	ret = nb_cli_apply_changes(vty, NULL);
	if (ret == CMD_SUCCESS)
		VTY_PUSH_XPATH(TUNNEL_PROFILE_NODE, xpath);

	return ret;
}

DEFPY_YANG (no_tunneld_profile,
	    no_tunnel_profile_cmd,
	    "no tunnel-profile NAME$tunnel_profile",
	    NO_STR
	    TUNNEL_PROFILE_NODE_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	if (!tunnel_cli_key_ok(vty, PROFILE_KEY_XPATH, tunnel_profile))
		return CMD_WARNING_CONFIG_FAILED;

	snprintf(xpath, sizeof(xpath), PROFILE_XPATH, tunnel_profile);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);

	return nb_cli_apply_changes_clear_pending(vty, NULL);
}

/*
 * XPath: /frr-tunneld:tunneld/tunnel
 */
DEFPY_YANG_NOSH (tunneld_tunnel_enter,
		 tunnel_cmd,
		 "tunnel NAME$tunnel",
		 TUNNEL_NODE_HELP_STR)
{
	char xpath[XPATH_MAXLEN];
	int ret;

	if (!tunnel_cli_key_ok(vty, TUNNEL_KEY_XPATH, tunnel))
		return CMD_WARNING_CONFIG_FAILED;

	snprintf(xpath, sizeof(xpath), TUNNEL_XPATH, tunnel);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);

	ret = nb_cli_apply_changes(vty, NULL);
	if (ret == CMD_SUCCESS)
		VTY_PUSH_XPATH(TUNNEL_NODE, xpath);

	return ret;
}

DEFPY_YANG (no_tunneld_tunnel,
	    no_tunnel_cmd,
	    "no tunnel NAME$tunnel",
	    NO_STR
	    TUNNEL_NODE_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	if (!tunnel_cli_key_ok(vty, TUNNEL_KEY_XPATH, tunnel))
		return CMD_WARNING_CONFIG_FAILED;

	snprintf(xpath, sizeof(xpath), TUNNEL_XPATH, tunnel);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);

	return nb_cli_apply_changes_clear_pending(vty, NULL);
}

/*
 * Tunnel node.  All XPaths below are relative to
 * /frr-tunneld:tunneld/tunnel[name='NAME'].
 */
DEFPY_YANG (tunnel_kind,
	    tunnel_kind_cmd,
	    "kind <gre|ip6gre|vti|vti6|xfrm|wireguard>$kind",
	    "Kind of tunnel interface\n"
	    "GRE over an IPv4 underlay\n"
	    "GRE over an IPv6 underlay\n"
	    "Route-based IPsec (VTI) over an IPv4 underlay\n"
	    "Route-based IPsec (VTI) over an IPv6 underlay\n"
	    "XFRM interface, matched to IPsec SAs by if_id\n"
	    "WireGuard interface\n")
{
	return tunnel_cli_modify(vty, "./kind", kind);
}

DEFPY_YANG (no_tunnel_kind,
	    no_tunnel_kind_cmd,
	    "no kind [<gre|ip6gre|vti|vti6|xfrm|wireguard>]",
	    NO_STR
	    "Kind of tunnel interface\n"
	    "GRE over an IPv4 underlay\n"
	    "GRE over an IPv6 underlay\n"
	    "Route-based IPsec (VTI) over an IPv4 underlay\n"
	    "Route-based IPsec (VTI) over an IPv6 underlay\n"
	    "XFRM interface, matched to IPsec SAs by if_id\n"
	    "WireGuard interface\n")
{
	/* The kind's own settings go with it (their YANG 'when'). */
	return tunnel_cli_destroy(vty, "./kind");
}

DEFPY_YANG (tunnel_description,
	    tunnel_description_cmd,
	    "description LINE...",
	    "Free text about the tunnel\n"
	    "Characters describing the tunnel\n")
{
	char *desc;
	int ret;

	desc = argv_concat(argv, argc, 1);
	nb_cli_enqueue_change(vty, "./description", NB_OP_MODIFY, desc);
	ret = nb_cli_apply_changes(vty, NULL);
	XFREE(MTYPE_TMP, desc);

	return ret;
}

DEFPY_YANG (no_tunnel_description,
	    no_tunnel_description_cmd,
	    "no description",
	    NO_STR
	    "Free text about the tunnel\n")
{
	return tunnel_cli_destroy(vty, "./description");
}

DEFPY_YANG (tunnel_shutdown,
	    tunnel_shutdown_cmd,
	    "[no] shutdown",
	    NO_STR
	    "Keep the tunnel interface administratively down\n")
{
	return tunnel_cli_modify(vty, "./shutdown", no ? "false" : "true");
}

DEFPY_YANG (tunnel_adopt,
	    tunnel_adopt_cmd,
	    "[no] adopt",
	    NO_STR
	    "Take over an existing interface of this name that tunneld did not create\n")
{
	return tunnel_cli_modify(vty, "./adopt", no ? "false" : "true");
}

DEFPY_YANG (tunnel_vrf,
	    tunnel_vrf_cmd,
	    "vrf NAME$vrf",
	    "VRF of the tunnel interface (the overlay)\n"
	    "VRF name\n")
{
	return tunnel_cli_modify(vty, "./vrf", vrf);
}

DEFPY_YANG (no_tunnel_vrf,
	    no_tunnel_vrf_cmd,
	    "no vrf [NAME]",
	    NO_STR
	    "VRF of the tunnel interface (the overlay)\n"
	    "VRF name\n")
{
	return tunnel_cli_destroy(vty, "./vrf");
}

DEFPY_YANG (tunnel_mtu,
	    tunnel_mtu_cmd,
	    "mtu <(68-65535)|auto>$mtu",
	    "MTU of the tunnel interface\n"
	    "MTU in bytes\n"
	    "Underlay MTU less the encapsulation overhead (default)\n")
{
	return tunnel_cli_modify(vty, "./mtu", mtu);
}

DEFPY_YANG (no_tunnel_mtu,
	    no_tunnel_mtu_cmd,
	    "no mtu [<(68-65535)|auto>]",
	    NO_STR
	    "MTU of the tunnel interface\n"
	    "MTU in bytes\n"
	    "Underlay MTU less the encapsulation overhead (default)\n")
{
	return tunnel_cli_modify(vty, "./mtu", NULL);
}

DEFPY_YANG (tunnel_profile_ref,
	    tunnel_profile_ref_cmd,
	    "profile NAME$tunnel_profile",
	    "Quality profile of the tunnel (built-in defaults when not set)\n"
	    "Profile name\n")
{
	return tunnel_cli_modify(vty, "./profile", tunnel_profile);
}

DEFPY_YANG (no_tunnel_profile_ref,
	    no_tunnel_profile_ref_cmd,
	    "no profile [NAME$tunnel_profile]",
	    NO_STR
	    "Quality profile of the tunnel (built-in defaults when not set)\n"
	    "Profile name\n")
{
	return tunnel_cli_destroy(vty, "./profile");
}

/*
 * XPath: .../tunnel/underlay
 */
DEFPY_YANG (tunnel_underlay_source,
	    tunnel_underlay_source_cmd,
	    "underlay source <A.B.C.D$addr|X:X::X:X$addr|interface IFNAME$ifname>",
	    UNDERLAY_STR
	    UNDERLAY_SRC_STR
	    UNDERLAY_ADDR_STR
	    "Take the local address from an interface\n"
	    "Interface name\n")
{
	/*
	 * source-address and source-interface are the two cases of one YANG
	 * choice.  Remove the other case explicitly, so the edit never
	 * depends on libyang's automatic case replacement.
	 */
	if (ifname) {
		nb_cli_enqueue_change(vty, "./underlay/source-address", NB_OP_DESTROY, NULL);
		nb_cli_enqueue_change(vty, "./underlay/source-interface", NB_OP_MODIFY, ifname);
	} else {
		nb_cli_enqueue_change(vty, "./underlay/source-interface", NB_OP_DESTROY, NULL);
		nb_cli_enqueue_change(vty, "./underlay/source-address", NB_OP_MODIFY, addr_str);
	}

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (no_tunnel_underlay_source,
	    no_tunnel_underlay_source_cmd,
	    "no underlay source [<A.B.C.D|X:X::X:X|interface IFNAME>]",
	    NO_STR
	    UNDERLAY_STR
	    UNDERLAY_SRC_STR
	    UNDERLAY_ADDR_STR
	    "Take the local address from an interface\n"
	    "Interface name\n")
{
	nb_cli_enqueue_change(vty, "./underlay/source-address", NB_OP_DESTROY, NULL);
	nb_cli_enqueue_change(vty, "./underlay/source-interface", NB_OP_DESTROY, NULL);

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (tunnel_underlay_destination,
	    tunnel_underlay_destination_cmd,
	    "underlay destination <A.B.C.D|X:X::X:X>$addr",
	    UNDERLAY_STR
	    "Remote endpoint of the tunnel\n"
	    UNDERLAY_ADDR_STR)
{
	return tunnel_cli_modify(vty, "./underlay/destination", addr_str);
}

DEFPY_YANG (no_tunnel_underlay_destination,
	    no_tunnel_underlay_destination_cmd,
	    "no underlay destination [<A.B.C.D|X:X::X:X>]",
	    NO_STR
	    UNDERLAY_STR
	    "Remote endpoint of the tunnel\n"
	    UNDERLAY_ADDR_STR)
{
	return tunnel_cli_destroy(vty, "./underlay/destination");
}

DEFPY_YANG (tunnel_underlay_vrf,
	    tunnel_underlay_vrf_cmd,
	    "underlay vrf NAME$vrf",
	    UNDERLAY_STR
	    "VRF the underlay is routed in\n"
	    "VRF name\n")
{
	return tunnel_cli_modify(vty, "./underlay/vrf", vrf);
}

DEFPY_YANG (no_tunnel_underlay_vrf,
	    no_tunnel_underlay_vrf_cmd,
	    "no underlay vrf [NAME]",
	    NO_STR
	    UNDERLAY_STR
	    "VRF the underlay is routed in\n"
	    "VRF name\n")
{
	return tunnel_cli_destroy(vty, "./underlay/vrf");
}

DEFPY_YANG (tunnel_underlay_device,
	    tunnel_underlay_device_cmd,
	    "underlay device IFNAME$ifname",
	    UNDERLAY_STR
	    "Bind the tunnel to an underlay device\n"
	    "Interface name\n")
{
	return tunnel_cli_modify(vty, "./underlay/device", ifname);
}

DEFPY_YANG (no_tunnel_underlay_device,
	    no_tunnel_underlay_device_cmd,
	    "no underlay device [IFNAME]",
	    NO_STR
	    UNDERLAY_STR
	    "Bind the tunnel to an underlay device\n"
	    "Interface name\n")
{
	return tunnel_cli_destroy(vty, "./underlay/device");
}

/*
 * XPath: .../tunnel/address
 *
 * The host part is kept: "ip address 10.0.0.1/30" stores ip 10.0.0.1 and
 * prefix-length 30.  The "no" form removes the entry of that address.
 */
static int tunnel_cli_address(struct vty *vty, bool no, const char *ip, uint8_t plen)
{
	char xpath[XPATH_MAXLEN];
	char plen_str[4];

	snprintf(xpath, sizeof(xpath), "./address[ip='%s']", ip);
	if (no) {
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	} else {
		snprintf(plen_str, sizeof(plen_str), "%u", plen);
		nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
		strlcat(xpath, "/prefix-length", sizeof(xpath));
		nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, plen_str);
	}

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (tunnel_ip_address,
	    tunnel_ip_address_cmd,
	    "[no] ip address A.B.C.D/M$address",
	    NO_STR
	    IP_STR
	    "IP address of the tunnel interface\n"
	    "IP address and prefix length (e.g. 10.0.0.1/30)\n")
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &address->prefix, ip, sizeof(ip));
	return tunnel_cli_address(vty, !!no, ip, address->prefixlen);
}

DEFPY_YANG (tunnel_ipv6_address,
	    tunnel_ipv6_address_cmd,
	    "[no] ipv6 address X:X::X:X/M$address",
	    NO_STR
	    IPV6_STR
	    "IPv6 address of the tunnel interface\n"
	    "IPv6 address and prefix length (e.g. 2001:db8::1/127)\n")
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &address->prefix, ip, sizeof(ip));
	return tunnel_cli_address(vty, !!no, ip, address->prefixlen);
}

/*
 * XPath: .../tunnel/gre
 */
DEFPY_YANG (tunnel_gre_key,
	    tunnel_gre_key_cmd,
	    "gre key (0-4294967295)$key",
	    GRE_STR
	    "GRE key, the same on both ends\n"
	    "Key value\n")
{
	return tunnel_cli_modify(vty, "./gre/key", key_str);
}

DEFPY_YANG (no_tunnel_gre_key,
	    no_tunnel_gre_key_cmd,
	    "no gre key [(0-4294967295)]",
	    NO_STR
	    GRE_STR
	    "GRE key, the same on both ends\n"
	    "Key value\n")
{
	return tunnel_cli_destroy(vty, "./gre/key");
}

DEFPY_YANG (tunnel_gre_ttl,
	    tunnel_gre_ttl_cmd,
	    "gre ttl (1-255)$ttl",
	    GRE_STR
	    "Outer TTL (inherited from the inner packet when not set)\n"
	    "TTL value\n")
{
	return tunnel_cli_modify(vty, "./gre/ttl", ttl_str);
}

DEFPY_YANG (no_tunnel_gre_ttl,
	    no_tunnel_gre_ttl_cmd,
	    "no gre ttl [(1-255)]",
	    NO_STR
	    GRE_STR
	    "Outer TTL (inherited from the inner packet when not set)\n"
	    "TTL value\n")
{
	return tunnel_cli_destroy(vty, "./gre/ttl");
}

DEFPY_YANG (tunnel_gre_checksum,
	    tunnel_gre_checksum_cmd,
	    "[no] gre checksum",
	    NO_STR
	    GRE_STR
	    "Send and require GRE checksums\n")
{
	return tunnel_cli_modify(vty, "./gre/checksum", no ? "false" : "true");
}

/*
 * XPath: .../tunnel/vti
 */
DEFPY_YANG (tunnel_vti_key,
	    tunnel_vti_key_cmd,
	    "vti <key (1-4294967295)$key|ikey (1-4294967295)$ikey okey (1-4294967295)$okey>",
	    VTI_STR
	    VTI_KEY_STR
	    VTI_IKEY_STR
	    VTI_OKEY_STR)
{
	nb_cli_enqueue_change(vty, "./vti/ikey", NB_OP_MODIFY, key_str ? key_str : ikey_str);
	nb_cli_enqueue_change(vty, "./vti/okey", NB_OP_MODIFY, key_str ? key_str : okey_str);

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (no_tunnel_vti_key,
	    no_tunnel_vti_key_cmd,
	    "no vti [<key (1-4294967295)|ikey (1-4294967295) okey (1-4294967295)>]",
	    NO_STR
	    VTI_STR
	    VTI_KEY_STR
	    VTI_IKEY_STR
	    VTI_OKEY_STR)
{
	return tunnel_cli_destroy(vty, "./vti");
}

/*
 * XPath: .../tunnel/xfrm
 */
DEFPY_YANG (tunnel_xfrm_if_id,
	    tunnel_xfrm_if_id_cmd,
	    "xfrm if-id (1-4294967295)$if_id",
	    XFRM_STR
	    XFRM_IF_ID_STR)
{
	return tunnel_cli_modify(vty, "./xfrm/if-id", if_id_str);
}

DEFPY_YANG (no_tunnel_xfrm_if_id,
	    no_tunnel_xfrm_if_id_cmd,
	    "no xfrm if-id [(1-4294967295)]",
	    NO_STR
	    XFRM_STR
	    XFRM_IF_ID_STR)
{
	/* if-id is all the presence container holds. */
	return tunnel_cli_destroy(vty, "./xfrm");
}

/*
 * XPath: .../tunnel/wireguard
 */
DEFPY_YANG (tunnel_wg_private_key_file,
	    tunnel_wg_private_key_file_cmd,
	    "wireguard private-key-file PATH$path",
	    WG_STR
	    WG_KEYFILE_STR)
{
	return tunnel_cli_modify(vty, "./wireguard/private-key-file", path);
}

DEFPY_YANG (no_tunnel_wg_private_key_file,
	    no_tunnel_wg_private_key_file_cmd,
	    "no wireguard private-key-file [PATH]",
	    NO_STR
	    WG_STR
	    WG_KEYFILE_STR)
{
	return tunnel_cli_destroy(vty, "./wireguard/private-key-file");
}

DEFPY_YANG (tunnel_wg_listen_port,
	    tunnel_wg_listen_port_cmd,
	    "wireguard listen-port (1-65535)$port",
	    WG_STR
	    WG_LPORT_STR)
{
	return tunnel_cli_modify(vty, "./wireguard/listen-port", port_str);
}

DEFPY_YANG (no_tunnel_wg_listen_port,
	    no_tunnel_wg_listen_port_cmd,
	    "no wireguard listen-port [(1-65535)]",
	    NO_STR
	    WG_STR
	    WG_LPORT_STR)
{
	return tunnel_cli_destroy(vty, "./wireguard/listen-port");
}

DEFPY_YANG (tunnel_wg_fwmark,
	    tunnel_wg_fwmark_cmd,
	    "wireguard fwmark (1-4294967295)$fwmark",
	    WG_STR
	    WG_FWMARK_STR)
{
	return tunnel_cli_modify(vty, "./wireguard/fwmark", fwmark_str);
}

DEFPY_YANG (no_tunnel_wg_fwmark,
	    no_tunnel_wg_fwmark_cmd,
	    "no wireguard fwmark [(1-4294967295)]",
	    NO_STR
	    WG_STR
	    WG_FWMARK_STR)
{
	return tunnel_cli_destroy(vty, "./wireguard/fwmark");
}

/*
 * XPath: .../tunnel/wireguard/peer
 */
#define WG_PEER_XPATH "./wireguard/peer[public-key='%s']"

/* One change below a WireGuard peer, named by its (checked) public key. */
static int tunnel_cli_peer_change(struct vty *vty, const char *key, const char *leaf,
				  enum nb_operation op, const char *value)
{
	if (!tunnel_cli_key_ok(vty, WG_PEER_KEY_XPATH, key))
		return CMD_WARNING_CONFIG_FAILED;

	nb_cli_enqueue_change(vty, leaf, op, value);

	return nb_cli_apply_changes(vty, WG_PEER_XPATH, key);
}

DEFPY_YANG (tunnel_wg_peer,
	    tunnel_wg_peer_cmd,
	    "[no] wireguard peer KEY$key",
	    NO_STR
	    WG_STR
	    WG_PEER_STR)
{
	char xpath[XPATH_MAXLEN];

	if (!tunnel_cli_key_ok(vty, WG_PEER_KEY_XPATH, key))
		return CMD_WARNING_CONFIG_FAILED;

	snprintf(xpath, sizeof(xpath), WG_PEER_XPATH, key);
	nb_cli_enqueue_change(vty, xpath, no ? NB_OP_DESTROY : NB_OP_CREATE, NULL);

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (tunnel_wg_peer_endpoint,
	    tunnel_wg_peer_endpoint_cmd,
	    "wireguard peer KEY$key endpoint <A.B.C.D|X:X::X:X>$addr [port (1-65535)$port]",
	    WG_STR
	    WG_PEER_STR
	    WG_ENDPOINT_STR
	    WG_ENDPORT_STR)
{
	if (!tunnel_cli_key_ok(vty, WG_PEER_KEY_XPATH, key))
		return CMD_WARNING_CONFIG_FAILED;

	/* The command gives the whole endpoint: no port means the default. */
	nb_cli_enqueue_change(vty, "./endpoint-address", NB_OP_MODIFY, addr_str);
	nb_cli_enqueue_change(vty, "./endpoint-port", NB_OP_MODIFY, port_str);

	return nb_cli_apply_changes(vty, WG_PEER_XPATH, key);
}

DEFPY_YANG (no_tunnel_wg_peer_endpoint,
	    no_tunnel_wg_peer_endpoint_cmd,
	    "no wireguard peer KEY$key endpoint [<A.B.C.D|X:X::X:X> [port (1-65535)]]",
	    NO_STR
	    WG_STR
	    WG_PEER_STR
	    WG_ENDPOINT_STR
	    WG_ENDPORT_STR)
{
	if (!tunnel_cli_key_ok(vty, WG_PEER_KEY_XPATH, key))
		return CMD_WARNING_CONFIG_FAILED;

	nb_cli_enqueue_change(vty, "./endpoint-address", NB_OP_DESTROY, NULL);
	nb_cli_enqueue_change(vty, "./endpoint-port", NB_OP_MODIFY, NULL);

	return nb_cli_apply_changes(vty, WG_PEER_XPATH, key);
}

DEFPY_YANG (tunnel_wg_peer_allowed_ips,
	    tunnel_wg_peer_allowed_ips_cmd,
	    "[no] wireguard peer KEY$key allowed-ips <A.B.C.D/M|X:X::X:X/M>$prefix",
	    NO_STR
	    WG_STR
	    WG_PEER_STR
	    WG_ALLOWED_STR)
{
	char xpath[XPATH_MAXLEN];
	struct prefix p;

	if (!tunnel_cli_key_ok(vty, WG_PEER_KEY_XPATH, key))
		return CMD_WARNING_CONFIG_FAILED;

	/* An ip-prefix has no host bits; store it as WireGuard uses it. */
	prefix_copy(&p, prefix);
	apply_mask(&p);
	snprintfrr(xpath, sizeof(xpath), "./allowed-ips[.='%pFX']", &p);
	nb_cli_enqueue_change(vty, xpath, no ? NB_OP_DESTROY : NB_OP_CREATE, NULL);

	return nb_cli_apply_changes(vty, WG_PEER_XPATH, key);
}

DEFPY_YANG (tunnel_wg_peer_psk_file,
	    tunnel_wg_peer_psk_file_cmd,
	    "wireguard peer KEY$key preshared-key-file PATH$path",
	    WG_STR
	    WG_PEER_STR
	    WG_PSK_STR)
{
	return tunnel_cli_peer_change(vty, key, "./preshared-key-file", NB_OP_MODIFY, path);
}

DEFPY_YANG (no_tunnel_wg_peer_psk_file,
	    no_tunnel_wg_peer_psk_file_cmd,
	    "no wireguard peer KEY$key preshared-key-file [PATH]",
	    NO_STR
	    WG_STR
	    WG_PEER_STR
	    WG_PSK_STR)
{
	return tunnel_cli_peer_change(vty, key, "./preshared-key-file", NB_OP_DESTROY, NULL);
}

DEFPY_YANG (tunnel_wg_peer_keepalive,
	    tunnel_wg_peer_keepalive_cmd,
	    "wireguard peer KEY$key persistent-keepalive (1-65535)$keepalive",
	    WG_STR
	    WG_PEER_STR
	    WG_KEEPALIVE_STR)
{
	return tunnel_cli_peer_change(vty, key, "./persistent-keepalive", NB_OP_MODIFY, keepalive_str);
}

DEFPY_YANG (no_tunnel_wg_peer_keepalive,
	    no_tunnel_wg_peer_keepalive_cmd,
	    "no wireguard peer KEY$key persistent-keepalive [(1-65535)]",
	    NO_STR
	    WG_STR
	    WG_PEER_STR
	    WG_KEEPALIVE_STR)
{
	return tunnel_cli_peer_change(vty, key, "./persistent-keepalive", NB_OP_DESTROY, NULL);
}

/*
 * XPath: .../tunnel/probe
 */
DEFPY_YANG (tunnel_probe_mode,
	    tunnel_probe_mode_cmd,
	    "probe <stamp|icmp|none>$mode",
	    PROBE_STR
	    "STAMP (RFC 8762) to a session-reflector at the far end (default)\n"
	    "ICMP echo, for a far end without a STAMP reflector\n"
	    "No active probes\n")
{
	return tunnel_cli_modify(vty, "./probe/mode", mode);
}

DEFPY_YANG (no_tunnel_probe_mode,
	    no_tunnel_probe_mode_cmd,
	    "no probe [<stamp|icmp|none>]",
	    NO_STR
	    PROBE_STR
	    "STAMP (RFC 8762) to a session-reflector at the far end (default)\n"
	    "ICMP echo, for a far end without a STAMP reflector\n"
	    "No active probes\n")
{
	return tunnel_cli_modify(vty, "./probe/mode", NULL);
}

DEFPY_YANG (tunnel_probe_destination,
	    tunnel_probe_destination_cmd,
	    "probe destination <A.B.C.D|X:X::X:X>$addr",
	    PROBE_STR
	    "Overlay address of the far end (derived from a /30, /31 or /127 when not set)\n"
	    UNDERLAY_ADDR_STR)
{
	return tunnel_cli_modify(vty, "./probe/destination", addr_str);
}

DEFPY_YANG (no_tunnel_probe_destination,
	    no_tunnel_probe_destination_cmd,
	    "no probe destination [<A.B.C.D|X:X::X:X>]",
	    NO_STR
	    PROBE_STR
	    "Overlay address of the far end (derived from a /30, /31 or /127 when not set)\n"
	    UNDERLAY_ADDR_STR)
{
	return tunnel_cli_destroy(vty, "./probe/destination");
}

DEFPY_YANG (tunnel_probe_port,
	    tunnel_probe_port_cmd,
	    "probe port (1-65535)$port",
	    PROBE_STR
	    "UDP port of the far end's STAMP reflector (default 862)\n"
	    "UDP port number\n")
{
	return tunnel_cli_modify(vty, "./probe/port", port_str);
}

DEFPY_YANG (no_tunnel_probe_port,
	    no_tunnel_probe_port_cmd,
	    "no probe port [(1-65535)]",
	    NO_STR
	    PROBE_STR
	    "UDP port of the far end's STAMP reflector (default 862)\n"
	    "UDP port number\n")
{
	return tunnel_cli_modify(vty, "./probe/port", NULL);
}

/* Per-tunnel timing overrides the profile; these leaves have no default. */
DEFPY_YANG (tunnel_probe_timing,
	    tunnel_probe_timing_cmd,
	    "probe " PROBE_TIMING_CMD_STR,
	    PROBE_STR
	    PROBE_TIMING_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./probe/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_tunnel_probe_timing,
	    no_tunnel_probe_timing_cmd,
	    "no probe " NO_PROBE_TIMING_CMD_STR,
	    NO_STR
	    PROBE_STR
	    PROBE_TIMING_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./probe/%s", leaf);
	return tunnel_cli_destroy(vty, xpath);
}

/*
 * XPath: .../tunnel/bfd (presence container)
 */
DEFPY_YANG (tunnel_bfd,
	    tunnel_bfd_cmd,
	    "bfd [profile BFDPROF$profile]",
	    "Monitor the tunnel with a single-hop BFD session\n"
	    BFD_PROFILE_STR
	    BFD_PROFILE_NAME_STR)
{
	/* The command gives the whole session: no profile means none. */
	nb_cli_enqueue_change(vty, "./bfd", NB_OP_CREATE, NULL);
	if (profile)
		nb_cli_enqueue_change(vty, "./bfd/profile", NB_OP_MODIFY, profile);
	else
		nb_cli_enqueue_change(vty, "./bfd/profile", NB_OP_DESTROY, NULL);

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (no_tunnel_bfd,
	    no_tunnel_bfd_cmd,
	    "no bfd [profile BFDPROF]",
	    NO_STR
	    "Monitor the tunnel with a single-hop BFD session\n"
	    BFD_PROFILE_STR
	    BFD_PROFILE_NAME_STR)
{
	return tunnel_cli_destroy(vty, "./bfd");
}

/*
 * XPath: .../tunnel/ospf, .../tunnel/ospf6, .../tunnel/bgp
 */
DEFPY_YANG (tunnel_ospf_dynamic_cost,
	    tunnel_ospf_dynamic_cost_cmd,
	    "[no] ospf dynamic-cost",
	    NO_STR
	    "OSPF (ospfd) settings of the tunnel interface\n"
	    OSPF_DYN_STR)
{
	return tunnel_cli_modify(vty, "./ospf/dynamic-cost", no ? "false" : "true");
}

DEFPY_YANG (tunnel_ospf6_dynamic_cost,
	    tunnel_ospf6_dynamic_cost_cmd,
	    "[no] ospf6 dynamic-cost",
	    NO_STR
	    "OSPFv3 (ospf6d) settings of the tunnel interface\n"
	    OSPF_DYN_STR)
{
	return tunnel_cli_modify(vty, "./ospf6/dynamic-cost", no ? "false" : "true");
}

DEFPY_YANG (tunnel_bgp_route_map,
	    tunnel_bgp_route_map_cmd,
	    "bgp route-map NAME$rmap [sequence (1-65535)$seq]",
	    "BGP (bgpd) settings of the tunnel\n"
	    BGP_RMAP_STR)
{
	/* No sequence given means the default entry. */
	nb_cli_enqueue_change(vty, "./bgp/route-map", NB_OP_MODIFY, rmap);
	nb_cli_enqueue_change(vty, "./bgp/sequence", NB_OP_MODIFY, seq_str);

	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG (no_tunnel_bgp_route_map,
	    no_tunnel_bgp_route_map_cmd,
	    "no bgp route-map [NAME [sequence (1-65535)]]",
	    NO_STR
	    "BGP (bgpd) settings of the tunnel\n"
	    BGP_RMAP_STR)
{
	return tunnel_cli_destroy(vty, "./bgp");
}

/*
 * Profile node.  All XPaths below are relative to
 * /frr-tunneld:tunneld/profile[name='NAME'], and every leaf has a default,
 * to which the "no" forms return it.  Decimal values are taken as words
 * and validated by mgmtd against the YANG ranges.
 */
DEFPY_YANG (profile_probe_timing,
	    profile_probe_timing_cmd,
	    "probe " PROBE_TIMING_CMD_STR,
	    "How tunnels with this profile are probed\n"
	    PROBE_TIMING_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./probe/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_profile_probe_timing,
	    no_profile_probe_timing_cmd,
	    "no probe " NO_PROBE_TIMING_CMD_STR,
	    NO_STR
	    "How tunnels with this profile are probed\n"
	    PROBE_TIMING_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./probe/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

DEFPY_YANG (profile_smoothing_alpha,
	    profile_smoothing_alpha_cmd,
	    "smoothing alpha ALPHA$alpha",
	    "Smoothing of the measurements\n"
	    "EWMA smoothing factor (default 0.25)\n"
	    "Factor, 0.001 to 1 (0.25 reacts fast, 0.1 is calm)\n")
{
	return tunnel_cli_modify(vty, "./alpha", alpha);
}

DEFPY_YANG (no_profile_smoothing_alpha,
	    no_profile_smoothing_alpha_cmd,
	    "no smoothing alpha [ALPHA]",
	    NO_STR
	    "Smoothing of the measurements\n"
	    "EWMA smoothing factor (default 0.25)\n"
	    "Factor, 0.001 to 1 (0.25 reacts fast, 0.1 is calm)\n")
{
	return tunnel_cli_modify(vty, "./alpha", NULL);
}

DEFPY_YANG (profile_score_weight,
	    profile_score_weight_cmd,
	    "score weight <bandwidth|rtt|jitter|loss>$metric WEIGHT$weight",
	    SCORE_STR
	    SCORE_WEIGHT_STR
	    "Weight, 0 to 10000 (loss: 0 to 100000), two decimals\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./score/weight-%s", metric);
	return tunnel_cli_modify(vty, xpath, weight);
}

DEFPY_YANG (no_profile_score_weight,
	    no_profile_score_weight_cmd,
	    "no score weight <bandwidth|rtt|jitter|loss>$metric [WEIGHT]",
	    NO_STR
	    SCORE_STR
	    SCORE_WEIGHT_STR
	    "Weight, 0 to 10000 (loss: 0 to 100000), two decimals\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./score/weight-%s", metric);
	return tunnel_cli_modify(vty, xpath, NULL);
}

DEFPY_YANG (profile_score_reference,
	    profile_score_reference_cmd,
	    "score reference <bandwidth$metric (1-4294967295)$value|<rtt|jitter>$metric (1-3600000)$value>",
	    SCORE_STR
	    SCORE_REF_STR
	    "Throughput that counts as good enough (B_ref)\n"
	    "Kbit/s\n"
	    "Round-trip time scale (R_ref)\n"
	    "Jitter scale (Q_ref)\n"
	    "Milliseconds\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./score/reference-%s", metric);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_profile_score_reference,
	    no_profile_score_reference_cmd,
	    "no score reference <bandwidth$metric [(1-4294967295)]|<rtt|jitter>$metric [(1-3600000)]>",
	    NO_STR
	    SCORE_STR
	    SCORE_REF_STR
	    "Throughput that counts as good enough (B_ref)\n"
	    "Kbit/s\n"
	    "Round-trip time scale (R_ref)\n"
	    "Jitter scale (Q_ref)\n"
	    "Milliseconds\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./score/reference-%s", metric);
	return tunnel_cli_modify(vty, xpath, NULL);
}

DEFPY_YANG (profile_lp_base,
	    profile_lp_base_cmd,
	    "local-preference base (0-4000000000)$base",
	    LP_STR
	    "Local-preference of a tunnel scoring 0 or less, or degraded (default 100)\n"
	    "Local-preference value\n")
{
	return tunnel_cli_modify(vty, "./local-preference/base", base_str);
}

DEFPY_YANG (no_profile_lp_base,
	    no_profile_lp_base_cmd,
	    "no local-preference base [(0-4000000000)]",
	    NO_STR
	    LP_STR
	    "Local-preference of a tunnel scoring 0 or less, or degraded (default 100)\n"
	    "Local-preference value\n")
{
	return tunnel_cli_modify(vty, "./local-preference/base", NULL);
}

DEFPY_YANG (profile_lp_decimal,
	    profile_lp_decimal_cmd,
	    "local-preference <scale$leaf|max-score$leaf> VALUE$value",
	    LP_STR
	    "Local-preference points per score point, k (default 2)\n"
	    "Highest score that counts, Smax (default 50)\n"
	    "Value, two decimals (scale 0 to 1000, max-score 0 to 10000)\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./local-preference/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value);
}

DEFPY_YANG (no_profile_lp_decimal,
	    no_profile_lp_decimal_cmd,
	    "no local-preference <scale$leaf|max-score$leaf> [VALUE]",
	    NO_STR
	    LP_STR
	    "Local-preference points per score point, k (default 2)\n"
	    "Highest score that counts, Smax (default 50)\n"
	    "Value, two decimals (scale 0 to 1000, max-score 0 to 10000)\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./local-preference/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

DEFPY_YANG (profile_ospf_cost_mode,
	    profile_ospf_cost_mode_cmd,
	    "ospf-cost mode <latency|composite|score>$mode",
	    OSPF_COST_STR
	    "How the cost is derived (default latency)\n"
	    "Half the smoothed RTT in milliseconds, at least 1\n"
	    "beta * RTT + gamma / throughput + delta * loss\n"
	    "The score mapped inversely onto the cost bounds\n")
{
	return tunnel_cli_modify(vty, "./ospf-cost/mode", mode);
}

DEFPY_YANG (no_profile_ospf_cost_mode,
	    no_profile_ospf_cost_mode_cmd,
	    "no ospf-cost mode [<latency|composite|score>]",
	    NO_STR
	    OSPF_COST_STR
	    "How the cost is derived (default latency)\n"
	    "Half the smoothed RTT in milliseconds, at least 1\n"
	    "beta * RTT + gamma / throughput + delta * loss\n"
	    "The score mapped inversely onto the cost bounds\n")
{
	return tunnel_cli_modify(vty, "./ospf-cost/mode", NULL);
}

#define OSPF_COST_COEFF_HELP_STR                                                                   \
	"Composite mode: cost per millisecond of RTT (default 0.5)\n"                              \
	"Composite mode: cost times Mbit/s of throughput (default 10000)\n"                        \
	"Composite mode: cost per unit of loss as a fraction (default 1000)\n"                     \
	"Value, three decimals\n"

DEFPY_YANG (profile_ospf_cost_coeff,
	    profile_ospf_cost_coeff_cmd,
	    "ospf-cost <beta|gamma|delta>$leaf VALUE$value",
	    OSPF_COST_STR
	    OSPF_COST_COEFF_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./ospf-cost/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value);
}

DEFPY_YANG (no_profile_ospf_cost_coeff,
	    no_profile_ospf_cost_coeff_cmd,
	    "no ospf-cost <beta|gamma|delta>$leaf [VALUE]",
	    NO_STR
	    OSPF_COST_STR
	    OSPF_COST_COEFF_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./ospf-cost/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

#define OSPF_COST_BOUND_HELP_STR                                                                   \
	"Lowest cost applied (default 1)\n"                                                        \
	"Cost\n"                                                                                   \
	"Highest cost applied to a healthy tunnel (default 65534)\n"                               \
	"Cost\n"                                                                                   \
	"Costs are rounded to a multiple of this (default 1)\n"                                    \
	"Step\n"                                                                                   \
	"Cost of a degraded or down tunnel (default 65535)\n"                                      \
	"Cost\n"

DEFPY_YANG (profile_ospf_cost_bound,
	    profile_ospf_cost_bound_cmd,
	    "ospf-cost <minimum$leaf (1-65535)$value|maximum$leaf (1-65535)$value|step$leaf (1-10000)$value|penalty$leaf (1-65535)$value>",
	    OSPF_COST_STR
	    OSPF_COST_BOUND_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./ospf-cost/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_profile_ospf_cost_bound,
	    no_profile_ospf_cost_bound_cmd,
	    "no ospf-cost <minimum$leaf [(1-65535)]|maximum$leaf [(1-65535)]|step$leaf [(1-10000)]|penalty$leaf [(1-65535)]>",
	    NO_STR
	    OSPF_COST_STR
	    OSPF_COST_BOUND_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./ospf-cost/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

#define HEALTH_MAX_LOSS_HELP_STR                                                                   \
	"Smoothed loss above which the tunnel is degraded (default 5)\n"                           \
	"Percent, two decimals\n"
#define HEALTH_INT_HELP_STR                                                                        \
	"Smoothed RTT above which the tunnel is degraded (default 500)\n"                          \
	"Milliseconds\n"                                                                           \
	"Time within the limits before a tunnel is healthy again (default 60)\n"                   \
	"Seconds\n"

DEFPY_YANG (profile_health_max_loss,
	    profile_health_max_loss_cmd,
	    "health max-loss PERCENT$percent",
	    HEALTH_STR
	    HEALTH_MAX_LOSS_HELP_STR)
{
	return tunnel_cli_modify(vty, "./health/max-loss", percent);
}

DEFPY_YANG (no_profile_health_max_loss,
	    no_profile_health_max_loss_cmd,
	    "no health max-loss [PERCENT]",
	    NO_STR
	    HEALTH_STR
	    HEALTH_MAX_LOSS_HELP_STR)
{
	return tunnel_cli_modify(vty, "./health/max-loss", NULL);
}

DEFPY_YANG (profile_health_int,
	    profile_health_int_cmd,
	    "health <max-rtt$leaf (1-3600000)$value|recovery-time$leaf (0-86400)$value>",
	    HEALTH_STR
	    HEALTH_INT_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./health/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_profile_health_int,
	    no_profile_health_int_cmd,
	    "no health <max-rtt$leaf [(1-3600000)]|recovery-time$leaf [(0-86400)]>",
	    NO_STR
	    HEALTH_STR
	    HEALTH_INT_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./health/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

#define HYST_HELP_STR                                                                              \
	"Local-preference changes smaller than this are not applied (default 5)\n"                 \
	"Local-preference points\n"                                                                \
	"OSPF cost changes smaller than this share are not applied (default 10)\n"                 \
	"Percent of the applied cost\n"                                                            \
	"Margin a change moving traffic back must win by (default 8)\n"                            \
	"Local-preference points or cost percent\n"                                                \
	"Minimum time between two improvements of a tunnel (default 120)\n"                        \
	"Seconds\n"

DEFPY_YANG (profile_hysteresis,
	    profile_hysteresis_cmd,
	    "hysteresis <lp-deadband$leaf (0-1000000)$value|cost-deadband$leaf (0-100)$value|holddown$leaf (0-1000000)$value|dwell$leaf (0-86400)$value>",
	    HYST_STR
	    HYST_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./hysteresis/%s", leaf);
	return tunnel_cli_modify(vty, xpath, value_str);
}

DEFPY_YANG (no_profile_hysteresis,
	    no_profile_hysteresis_cmd,
	    "no hysteresis <lp-deadband$leaf [(0-1000000)]|cost-deadband$leaf [(0-100)]|holddown$leaf [(0-1000000)]|dwell$leaf [(0-86400)]>",
	    NO_STR
	    HYST_STR
	    HYST_HELP_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./hysteresis/%s", leaf);
	return tunnel_cli_modify(vty, xpath, NULL);
}

/*
 * Running configuration.
 *
 * nb_cli_show_dnode_cmds() skips nodes whose value is the YANG default
 * unless show_defaults is set, so the callbacks print what they are given.
 * Most leaves map to one command line "PREFIX VALUE"; they share
 * cli_show_leaf(), which finds the prefix in this table by the leaf's
 * schema path.
 */
#define TL_BOOL 0x01 /* boolean: "PREFIX" or "no PREFIX" */
#define TL_PEER 0x02 /* "wireguard peer KEY PREFIX VALUE" */
#define TL_TOP 0x04  /* global line, not indented */

struct tunnel_cli_leaf {
	const char *xpath;
	const char *cmd;
	uint8_t flags;
};

#define TXP TUNNELD_XPATH "/tunnel"
#define PXP TUNNELD_XPATH "/profile"

static const struct tunnel_cli_leaf tunnel_cli_leaves[] = {
	{ TUNNELD_XPATH "/dry-run", "tunneld dry-run", TL_TOP | TL_BOOL },
	{ TUNNELD_XPATH "/change-budget", "tunneld change-budget", TL_TOP },

	{ PXP "/probe/interval", "probe interval" },
	{ PXP "/probe/window", "probe window" },
	{ PXP "/probe/timeout", "probe timeout" },
	{ PXP "/probe/miss-count", "probe miss-count" },
	{ PXP "/probe/dscp", "probe dscp" },
	{ PXP "/probe/size", "probe size" },
	{ PXP "/alpha", "smoothing alpha" },
	{ PXP "/score/weight-bandwidth", "score weight bandwidth" },
	{ PXP "/score/weight-rtt", "score weight rtt" },
	{ PXP "/score/weight-jitter", "score weight jitter" },
	{ PXP "/score/weight-loss", "score weight loss" },
	{ PXP "/score/reference-bandwidth", "score reference bandwidth" },
	{ PXP "/score/reference-rtt", "score reference rtt" },
	{ PXP "/score/reference-jitter", "score reference jitter" },
	{ PXP "/local-preference/base", "local-preference base" },
	{ PXP "/local-preference/scale", "local-preference scale" },
	{ PXP "/local-preference/max-score", "local-preference max-score" },
	{ PXP "/ospf-cost/mode", "ospf-cost mode" },
	{ PXP "/ospf-cost/beta", "ospf-cost beta" },
	{ PXP "/ospf-cost/gamma", "ospf-cost gamma" },
	{ PXP "/ospf-cost/delta", "ospf-cost delta" },
	{ PXP "/ospf-cost/minimum", "ospf-cost minimum" },
	{ PXP "/ospf-cost/maximum", "ospf-cost maximum" },
	{ PXP "/ospf-cost/step", "ospf-cost step" },
	{ PXP "/ospf-cost/penalty", "ospf-cost penalty" },
	{ PXP "/health/max-loss", "health max-loss" },
	{ PXP "/health/max-rtt", "health max-rtt" },
	{ PXP "/health/recovery-time", "health recovery-time" },
	{ PXP "/hysteresis/lp-deadband", "hysteresis lp-deadband" },
	{ PXP "/hysteresis/cost-deadband", "hysteresis cost-deadband" },
	{ PXP "/hysteresis/holddown", "hysteresis holddown" },
	{ PXP "/hysteresis/dwell", "hysteresis dwell" },

	{ TXP "/kind", "kind" },
	{ TXP "/description", "description" },
	{ TXP "/shutdown", "shutdown", TL_BOOL },
	{ TXP "/adopt", "adopt", TL_BOOL },
	{ TXP "/vrf", "vrf" },
	{ TXP "/mtu", "mtu" },
	{ TXP "/profile", "profile" },
	{ TXP "/underlay/source-address", "underlay source" },
	{ TXP "/underlay/source-interface", "underlay source interface" },
	{ TXP "/underlay/destination", "underlay destination" },
	{ TXP "/underlay/vrf", "underlay vrf" },
	{ TXP "/underlay/device", "underlay device" },
	{ TXP "/gre/key", "gre key" },
	{ TXP "/gre/ttl", "gre ttl" },
	{ TXP "/gre/checksum", "gre checksum", TL_BOOL },
	{ TXP "/xfrm/if-id", "xfrm if-id" },
	{ TXP "/wireguard/private-key-file", "wireguard private-key-file" },
	{ TXP "/wireguard/listen-port", "wireguard listen-port" },
	{ TXP "/wireguard/fwmark", "wireguard fwmark" },
	{ TXP "/wireguard/peer/preshared-key-file", "preshared-key-file", TL_PEER },
	{ TXP "/wireguard/peer/allowed-ips", "allowed-ips", TL_PEER },
	{ TXP "/wireguard/peer/persistent-keepalive", "persistent-keepalive", TL_PEER },
	{ TXP "/probe/mode", "probe" },
	{ TXP "/probe/destination", "probe destination" },
	{ TXP "/probe/port", "probe port" },
	{ TXP "/probe/interval", "probe interval" },
	{ TXP "/probe/window", "probe window" },
	{ TXP "/probe/timeout", "probe timeout" },
	{ TXP "/probe/miss-count", "probe miss-count" },
	{ TXP "/probe/dscp", "probe dscp" },
	{ TXP "/probe/size", "probe size" },
	{ TXP "/ospf/dynamic-cost", "ospf dynamic-cost", TL_BOOL },
	{ TXP "/ospf6/dynamic-cost", "ospf6 dynamic-cost", TL_BOOL },
};

static void cli_show_leaf(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const struct nb_node *nb_node = dnode->schema->priv;
	const struct tunnel_cli_leaf *leaf = NULL;
	const char *indent;

	for (size_t i = 0; i < array_size(tunnel_cli_leaves); i++) {
		if (strmatch(nb_node->xpath, tunnel_cli_leaves[i].xpath)) {
			leaf = &tunnel_cli_leaves[i];
			break;
		}
	}
	if (!leaf)
		return;

	indent = CHECK_FLAG(leaf->flags, TL_TOP) ? "" : " ";
	if (CHECK_FLAG(leaf->flags, TL_BOOL))
		vty_out(vty, "%s%s%s\n", indent, yang_dnode_get_bool(dnode, NULL) ? "" : "no ",
			leaf->cmd);
	else if (CHECK_FLAG(leaf->flags, TL_PEER))
		vty_out(vty, "%swireguard peer %s %s %s\n", indent,
			yang_dnode_get_string(dnode, "../public-key"), leaf->cmd,
			yang_dnode_get_string(dnode, NULL));
	else
		vty_out(vty, "%s%s %s\n", indent, leaf->cmd, yang_dnode_get_string(dnode, NULL));
}

/* XPath: /frr-tunneld:tunneld/stamp-reflector */
static void cli_show_stamp_reflector(struct vty *vty, const struct lyd_node *dnode,
				     bool show_defaults)
{
	bool port = show_defaults || !yang_dnode_is_default(dnode, "port");
	bool scope = show_defaults || !yang_dnode_is_default(dnode, "scope");

	/* Settings first, then "no": re-entering the lines restores both. */
	if (port || scope || yang_dnode_get_bool(dnode, "enable")) {
		vty_out(vty, "tunneld stamp-reflector");
		if (port)
			vty_out(vty, " port %s", yang_dnode_get_string(dnode, "port"));
		if (scope)
			vty_out(vty, " scope %s", yang_dnode_get_string(dnode, "scope"));
		vty_out(vty, "\n");
	}
	if (!yang_dnode_get_bool(dnode, "enable"))
		vty_out(vty, "no tunneld stamp-reflector\n");
}

/* XPath: /frr-tunneld:tunneld/profile */
static void cli_show_profile(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "!\n");
	vty_out(vty, "tunnel-profile %s\n", yang_dnode_get_string(dnode, "name"));
}

/* XPath: /frr-tunneld:tunneld/tunnel */
static void cli_show_tunnel(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "!\n");
	vty_out(vty, "tunnel %s\n", yang_dnode_get_string(dnode, "name"));
}

/* End of a tunnel or tunnel-profile block. */
static void cli_show_end_block(struct vty *vty, const struct lyd_node *dnode)
{
	vty_out(vty, "exit\n");
}

/* XPath: /frr-tunneld:tunneld/tunnel/address */
static void cli_show_address(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *ip = yang_dnode_get_string(dnode, "ip");

	vty_out(vty, " %s address %s/%s\n", strchr(ip, ':') ? "ipv6" : "ip", ip,
		yang_dnode_get_string(dnode, "prefix-length"));
}

/* Show IPv4 addresses before IPv6 ones, each in numeric order. */
static int cli_cmp_address(const struct lyd_node *dnode1, const struct lyd_node *dnode2)
{
	struct ipaddr a1, a2;

	yang_dnode_get_ip(&a1, dnode1, "ip");
	yang_dnode_get_ip(&a2, dnode2, "ip");
	return ipaddr_cmp(&a1, &a2);
}

/* XPath: /frr-tunneld:tunneld/tunnel/wireguard/peer/allowed-ips */
static int cli_cmp_allowed_ips(const struct lyd_node *dnode1, const struct lyd_node *dnode2)
{
	struct prefix p1, p2;

	yang_dnode_get_prefix(&p1, dnode1, NULL);
	yang_dnode_get_prefix(&p2, dnode2, NULL);
	return prefix_cmp(&p1, &p2);
}

/* XPath: /frr-tunneld:tunneld/tunnel/vti */
static void cli_show_vti(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *ikey, *okey;

	if (!yang_dnode_exists(dnode, "ikey") || !yang_dnode_exists(dnode, "okey"))
		return;

	ikey = yang_dnode_get_string(dnode, "ikey");
	okey = yang_dnode_get_string(dnode, "okey");
	if (strmatch(ikey, okey))
		vty_out(vty, " vti key %s\n", ikey);
	else
		vty_out(vty, " vti ikey %s okey %s\n", ikey, okey);
}

/* XPath: /frr-tunneld:tunneld/tunnel/wireguard/peer */
static void cli_show_wg_peer(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " wireguard peer %s\n", yang_dnode_get_string(dnode, "public-key"));
}

/* XPath: /frr-tunneld:tunneld/tunnel/wireguard/peer/endpoint-address */
static void cli_show_wg_peer_endpoint(struct vty *vty, const struct lyd_node *dnode,
				      bool show_defaults)
{
	vty_out(vty, " wireguard peer %s endpoint %s",
		yang_dnode_get_string(dnode, "../public-key"), yang_dnode_get_string(dnode, NULL));
	if (show_defaults || !yang_dnode_is_default(dnode, "../endpoint-port"))
		vty_out(vty, " port %s", yang_dnode_get_string(dnode, "../endpoint-port"));
	vty_out(vty, "\n");
}

/* XPath: /frr-tunneld:tunneld/tunnel/bfd */
static void cli_show_bfd(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " bfd");
	if (yang_dnode_exists(dnode, "profile"))
		vty_out(vty, " profile %s", yang_dnode_get_string(dnode, "profile"));
	vty_out(vty, "\n");
}

/* XPath: /frr-tunneld:tunneld/tunnel/bgp */
static void cli_show_bgp(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	if (!yang_dnode_exists(dnode, "route-map"))
		return;

	vty_out(vty, " bgp route-map %s", yang_dnode_get_string(dnode, "route-map"));
	if (show_defaults || !yang_dnode_is_default(dnode, "sequence"))
		vty_out(vty, " sequence %s", yang_dnode_get_string(dnode, "sequence"));
	vty_out(vty, "\n");
}

/* clang-format off */
const struct frr_yang_module_info frr_tunneld_cli_info = {
	.name = "frr-tunneld",
	.ignore_cfg_cbs = true,
	.nodes = {
		{ .xpath = TUNNELD_XPATH "/dry-run", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TUNNELD_XPATH "/change-budget", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TUNNELD_XPATH "/stamp-reflector", .cbs.cli_show = cli_show_stamp_reflector },
		{
			.xpath = PXP,
			.cbs.cli_show = cli_show_profile,
			.cbs.cli_show_end = cli_show_end_block,
		},
		{ .xpath = PXP "/probe/interval", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/probe/window", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/probe/timeout", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/probe/miss-count", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/probe/dscp", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/probe/size", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/alpha", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/weight-bandwidth", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/weight-rtt", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/weight-jitter", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/weight-loss", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/reference-bandwidth", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/reference-rtt", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/score/reference-jitter", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/local-preference/base", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/local-preference/scale", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/local-preference/max-score", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/mode", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/beta", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/gamma", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/delta", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/minimum", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/maximum", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/step", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/ospf-cost/penalty", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/health/max-loss", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/health/max-rtt", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/health/recovery-time", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/hysteresis/lp-deadband", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/hysteresis/cost-deadband", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/hysteresis/holddown", .cbs.cli_show = cli_show_leaf },
		{ .xpath = PXP "/hysteresis/dwell", .cbs.cli_show = cli_show_leaf },
		{
			.xpath = TXP,
			.cbs.cli_show = cli_show_tunnel,
			.cbs.cli_show_end = cli_show_end_block,
		},
		{ .xpath = TXP "/kind", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/description", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/shutdown", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/adopt", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/vrf", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/mtu", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/profile", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/underlay/source-address", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/underlay/source-interface", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/underlay/destination", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/underlay/vrf", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/underlay/device", .cbs.cli_show = cli_show_leaf },
		{
			.xpath = TXP "/address",
			.cbs.cli_show = cli_show_address,
			.cbs.cli_cmp = cli_cmp_address,
		},
		{ .xpath = TXP "/gre/key", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/gre/ttl", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/gre/checksum", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/vti", .cbs.cli_show = cli_show_vti },
		{ .xpath = TXP "/xfrm/if-id", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/wireguard/private-key-file", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/wireguard/listen-port", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/wireguard/fwmark", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/wireguard/peer", .cbs.cli_show = cli_show_wg_peer },
		{ .xpath = TXP "/wireguard/peer/preshared-key-file", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/wireguard/peer/endpoint-address", .cbs.cli_show = cli_show_wg_peer_endpoint },
		{
			.xpath = TXP "/wireguard/peer/allowed-ips",
			.cbs.cli_show = cli_show_leaf,
			.cbs.cli_cmp = cli_cmp_allowed_ips,
		},
		{ .xpath = TXP "/wireguard/peer/persistent-keepalive", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/mode", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/destination", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/port", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/interval", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/window", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/timeout", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/miss-count", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/dscp", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/probe/size", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/bfd", .cbs.cli_show = cli_show_bfd },
		{ .xpath = TXP "/ospf/dynamic-cost", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/ospf6/dynamic-cost", .cbs.cli_show = cli_show_leaf },
		{ .xpath = TXP "/bgp", .cbs.cli_show = cli_show_bgp },
		{
			.xpath = NULL,
		},
	}
};
/* clang-format on */

/*
 * Completion of tunnel and profile names.  vtysh sends "autocomplete" to
 * every daemon; mgmtd answers from its running configuration.
 */
static int tunnel_cli_add_name(const struct lyd_node *dnode, void *arg)
{
	vector comps = arg;

	vector_set(comps, XSTRDUP(MTYPE_COMPLETION, yang_dnode_get_string(dnode, "name")));
	return YANG_ITER_CONTINUE;
}

static void tunnel_cli_complete_list(vector comps, const char *list_xpath)
{
	if (!running_config || !running_config->dnode)
		return;

	yang_dnode_iterate(tunnel_cli_add_name, comps, running_config->dnode, "%s", list_xpath);
}

static void tunnel_cli_complete_tunnel(vector comps, struct cmd_token *token)
{
	tunnel_cli_complete_list(comps, TUNNELD_XPATH "/tunnel");
}

static void tunnel_cli_complete_profile(vector comps, struct cmd_token *token)
{
	tunnel_cli_complete_list(comps, TUNNELD_XPATH "/profile");
}

/* "tunnel NAME$tunnel", "tunnel-profile NAME$tunnel_profile", "profile NAME$tunnel_profile" */
static const struct cmd_variable_handler tunnel_cli_var_handlers[] = {
	{ .tokenname = "NAME", .varname = "tunnel", .completions = tunnel_cli_complete_tunnel },
	{ .tokenname = "NAME",
	  .varname = "tunnel_profile",
	  .completions = tunnel_cli_complete_profile },
	{ .completions = NULL },
};

static struct cmd_node tunnel_node = {
	.name = "tunnel",
	.node = TUNNEL_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-tunnel)# ",
	/* mgmtd's northbound cli_show callbacks print the configuration. */
	.config_write = NULL,
};

static struct cmd_node tunnel_profile_node = {
	.name = "tunnel-profile",
	.node = TUNNEL_PROFILE_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-tunnel-profile)# ",
	.config_write = NULL,
};

void tunnel_cli_init(void)
{
	cmd_variable_handler_register(tunnel_cli_var_handlers);

	install_node(&tunnel_node);
	install_node(&tunnel_profile_node);

	install_element(CONFIG_NODE, &tunneld_dry_run_cmd);
	install_element(CONFIG_NODE, &tunneld_change_budget_cmd);
	install_element(CONFIG_NODE, &no_tunneld_change_budget_cmd);
	install_element(CONFIG_NODE, &tunneld_stamp_reflector_cmd);
	install_element(CONFIG_NODE, &no_tunneld_stamp_reflector_cmd);
	install_element(CONFIG_NODE, &no_tunneld_stamp_reflector_port_cmd);
	install_element(CONFIG_NODE, &no_tunneld_stamp_reflector_scope_cmd);
	install_element(CONFIG_NODE, &tunnel_profile_cmd);
	install_element(CONFIG_NODE, &no_tunnel_profile_cmd);
	install_element(CONFIG_NODE, &tunnel_cmd);
	install_element(CONFIG_NODE, &no_tunnel_cmd);

	install_default(TUNNEL_NODE);
	install_element(TUNNEL_NODE, &tunnel_kind_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_kind_cmd);
	install_element(TUNNEL_NODE, &tunnel_description_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_description_cmd);
	install_element(TUNNEL_NODE, &tunnel_shutdown_cmd);
	install_element(TUNNEL_NODE, &tunnel_adopt_cmd);
	install_element(TUNNEL_NODE, &tunnel_vrf_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_vrf_cmd);
	install_element(TUNNEL_NODE, &tunnel_mtu_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_mtu_cmd);
	install_element(TUNNEL_NODE, &tunnel_profile_ref_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_profile_ref_cmd);
	install_element(TUNNEL_NODE, &tunnel_underlay_source_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_underlay_source_cmd);
	install_element(TUNNEL_NODE, &tunnel_underlay_destination_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_underlay_destination_cmd);
	install_element(TUNNEL_NODE, &tunnel_underlay_vrf_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_underlay_vrf_cmd);
	install_element(TUNNEL_NODE, &tunnel_underlay_device_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_underlay_device_cmd);
	install_element(TUNNEL_NODE, &tunnel_ip_address_cmd);
	install_element(TUNNEL_NODE, &tunnel_ipv6_address_cmd);
	install_element(TUNNEL_NODE, &tunnel_gre_key_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_gre_key_cmd);
	install_element(TUNNEL_NODE, &tunnel_gre_ttl_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_gre_ttl_cmd);
	install_element(TUNNEL_NODE, &tunnel_gre_checksum_cmd);
	install_element(TUNNEL_NODE, &tunnel_vti_key_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_vti_key_cmd);
	install_element(TUNNEL_NODE, &tunnel_xfrm_if_id_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_xfrm_if_id_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_private_key_file_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_private_key_file_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_listen_port_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_listen_port_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_fwmark_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_fwmark_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_peer_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_peer_endpoint_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_peer_endpoint_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_peer_allowed_ips_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_peer_psk_file_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_peer_psk_file_cmd);
	install_element(TUNNEL_NODE, &tunnel_wg_peer_keepalive_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_wg_peer_keepalive_cmd);
	install_element(TUNNEL_NODE, &tunnel_probe_mode_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_probe_mode_cmd);
	install_element(TUNNEL_NODE, &tunnel_probe_destination_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_probe_destination_cmd);
	install_element(TUNNEL_NODE, &tunnel_probe_port_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_probe_port_cmd);
	install_element(TUNNEL_NODE, &tunnel_probe_timing_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_probe_timing_cmd);
	install_element(TUNNEL_NODE, &tunnel_bfd_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_bfd_cmd);
	install_element(TUNNEL_NODE, &tunnel_ospf_dynamic_cost_cmd);
	install_element(TUNNEL_NODE, &tunnel_ospf6_dynamic_cost_cmd);
	install_element(TUNNEL_NODE, &tunnel_bgp_route_map_cmd);
	install_element(TUNNEL_NODE, &no_tunnel_bgp_route_map_cmd);

	install_default(TUNNEL_PROFILE_NODE);
	install_element(TUNNEL_PROFILE_NODE, &profile_probe_timing_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_probe_timing_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_smoothing_alpha_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_smoothing_alpha_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_score_weight_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_score_weight_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_score_reference_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_score_reference_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_lp_base_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_lp_base_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_lp_decimal_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_lp_decimal_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_ospf_cost_mode_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_ospf_cost_mode_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_ospf_cost_coeff_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_ospf_cost_coeff_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_ospf_cost_bound_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_ospf_cost_bound_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_health_max_loss_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_health_max_loss_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_health_int_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_health_int_cmd);
	install_element(TUNNEL_PROFILE_NODE, &profile_hysteresis_cmd);
	install_element(TUNNEL_PROFILE_NODE, &no_profile_hysteresis_cmd);
}
