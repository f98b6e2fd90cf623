// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld show commands.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * Configuration commands live in mgmtd (vtysh-cmds/tunnel_cli.c); the
 * daemon answers only for its live state.  Key files are shown by path;
 * their contents never leave the daemon.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/json.h"
#include "lib/vty.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_vty.h"
#include "tunneld/tunnel_wireguard.h"
#include "tunneld/tunnel_zebra.h"

#include "tunneld/tunnel_vty_clippy.c"

/*
 * Output goes either to a JSON object or to the vty, one "Label: text"
 * line per item; these helpers keep the two forms from drifting apart.
 */
struct show_ctx {
	struct vty *vty;
	json_object *js; /* NULL for text output */
};

static void show_str(struct show_ctx *sc, const char *key, const char *label,
		     const char *val)
{
	if (sc->js)
		json_object_string_add(sc->js, key, val);
	else
		vty_out(sc->vty, "  %s: %s\n", label, val);
}

static void show_int(struct show_ctx *sc, const char *key, const char *label,
		     int64_t val)
{
	if (sc->js)
		json_object_int_add(sc->js, key, val);
	else
		vty_out(sc->vty, "  %s: %" PRId64 "\n", label, val);
}

static void show_bool(struct show_ctx *sc, const char *key, const char *label,
		      bool val)
{
	if (sc->js)
		json_object_boolean_add(sc->js, key, val);
	else
		vty_out(sc->vty, "  %s: %s\n", label, val ? "yes" : "no");
}

/* A nested object for JSON; text output stays flat. */
static struct show_ctx show_sub(struct show_ctx *sc, const char *key)
{
	struct show_ctx sub = *sc;

	if (sc->js) {
		sub.js = json_object_new_object();
		json_object_object_add(sc->js, key, sub.js);
	}
	return sub;
}

static void show_ip(struct show_ctx *sc, const char *key, const char *label,
		    const struct ipaddr *ip)
{
	char buf[INET6_ADDRSTRLEN];

	if (ip->ipa_type == IPADDR_NONE)
		return;
	ipaddr2str(ip, buf, sizeof(buf));
	show_str(sc, key, label, buf);
}

static void show_prefixes(struct show_ctx *sc, const char *key,
			  const char *label,
			  const struct tunnel_prefixes_head *head)
{
	const struct tunnel_prefix *tp;
	json_object *ja = NULL;
	bool first = true;

	if (sc->js) {
		ja = json_object_new_array();
		json_object_object_add(sc->js, key, ja);
	} else if (tunnel_prefixes_count(head)) {
		vty_out(sc->vty, "  %s: ", label);
	}
	frr_each (tunnel_prefixes_const, head, tp) {
		if (ja)
			json_object_array_add(ja, json_object_new_stringf("%pFX", &tp->p));
		else
			vty_out(sc->vty, "%s%pFX", first ? "" : ", ", &tp->p);
		first = false;
	}
	if (!ja && !first)
		vty_out(sc->vty, "\n");
}

/* Per-kind settings, one function per kind, found by the kind's index. */
static void show_gre(struct show_ctx *sc, const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct show_ctx sub = show_sub(sc, "gre");

	if (c->gre.key_set)
		show_int(&sub, "key", "GRE key", c->gre.key);
	if (c->gre.ttl)
		show_int(&sub, "ttl", "GRE TTL", c->gre.ttl);
	else
		show_str(&sub, "ttl", "GRE TTL", "inherit");
	show_bool(&sub, "checksum", "GRE checksum", c->gre.checksum);
}

static void show_vti(struct show_ctx *sc, const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct show_ctx sub = show_sub(sc, "vti");

	if (!c->vti.ikey)
		return;
	show_int(&sub, "ikey", "VTI input key", c->vti.ikey);
	show_int(&sub, "okey", "VTI output key", c->vti.okey);
}

static void show_xfrm(struct show_ctx *sc, const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct show_ctx sub = show_sub(sc, "xfrm");

	if (c->xfrm.if_id)
		show_int(&sub, "ifId", "XFRM if_id", c->xfrm.if_id);
}

static void show_wireguard(struct show_ctx *sc, const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct show_ctx sub = show_sub(sc, "wireguard");
	const struct tunnel_wg_peer *peer;
	json_object *jpeers = NULL;

	if (c->wg.private_key_file[0])
		show_str(&sub, "privateKeyFile", "WireGuard private key file",
			 c->wg.private_key_file);
	if (c->wg.listen_port)
		show_int(&sub, "listenPort", "WireGuard listen port",
			 c->wg.listen_port);
	if (c->wg.fwmark)
		show_int(&sub, "fwmark", "WireGuard fwmark", c->wg.fwmark);
	if (sub.js) {
		jpeers = json_object_new_array();
		json_object_object_add(sub.js, "peers", jpeers);
	}
	frr_each (tunnel_wg_peers_const, &c->wg.peers, peer) {
		struct show_ctx ps = {.vty = sc->vty};

		if (jpeers) {
			ps.js = json_object_new_object();
			json_object_array_add(jpeers, ps.js);
		} else {
			vty_out(sc->vty, "  WireGuard peer %s\n", peer->public_key);
		}
		if (ps.js)
			json_object_string_add(ps.js, "publicKey", peer->public_key);
		show_ip(&ps, "endpoint", "  Endpoint", &peer->endpoint);
		if (peer->endpoint.ipa_type != IPADDR_NONE)
			show_int(&ps, "endpointPort", "  Endpoint port",
				 peer->endpoint_port);
		show_prefixes(&ps, "allowedIps", "  Allowed IPs", &peer->allowed_ips);
		if (peer->keepalive_s)
			show_int(&ps, "persistentKeepaliveS", "  Keepalive (s)",
				 peer->keepalive_s);
		if (peer->psk_file[0])
			show_str(&ps, "presharedKeyFile", "  Preshared key file",
				 peer->psk_file);
	}
	tunnel_wireguard_show(sc->vty, sub.js, tun);
}

static void (*const show_kind[TUNNEL_KIND_MAX])(struct show_ctx *sc,
						const struct tunnel *tun) = {
	[TUNNEL_KIND_GRE] = show_gre,
	[TUNNEL_KIND_IP6GRE] = show_gre,
	[TUNNEL_KIND_VTI] = show_vti,
	[TUNNEL_KIND_VTI6] = show_vti,
	[TUNNEL_KIND_XFRM] = show_xfrm,
	[TUNNEL_KIND_WIREGUARD] = show_wireguard,
};

static void show_probe(struct show_ctx *sc, const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	struct show_ctx sub = show_sub(sc, "probe");
	struct tunnel_probe_timing t;

	/* The effective values: the tunnel's overrides, else its profile's. */
	tunnel_probe_timing_of(tun, &t);
	show_str(&sub, "mode", "Probe", tunnel_probe_mode_name(c->probe.mode));
	show_ip(&sub, "destination", "Probe destination", &c->probe.destination);
	if (c->probe.mode == TUNNEL_PROBE_STAMP)
		show_int(&sub, "port", "Probe port", c->probe.port);
	show_int(&sub, "intervalMs", "Probe interval (ms)", t.interval_ms);
	show_int(&sub, "window", "Probe window", t.window);
	show_int(&sub, "timeoutMs", "Probe timeout (ms)", t.timeout_ms);
	show_int(&sub, "missCount", "Probe miss count", t.miss_count);
	show_int(&sub, "dscp", "Probe DSCP", t.dscp);
	show_int(&sub, "size", "Probe size", t.size);
}

static void show_tunnel_one(struct vty *vty, json_object *jall,
			    const struct tunnel *tun)
{
	const struct tunnel_config *c = &tun->cfg;
	const struct tunnel_profile *prof = tunnel_profile_of(tun);
	struct interface *ifp = tunnel_ifp(tun);
	const char *oper = !ifp ? "absent" : if_is_operative(ifp) ? "up" : "down";
	const char *admin = c->shutdown ? "down" : "up";
	struct show_ctx sc = {.vty = vty};
	struct show_ctx sub;
	char mtu[16];

	const char *missing = tunnel_config_missing(c);
	const char *kind = c->kind ? c->kind->name : "none";

	if (jall) {
		sc.js = json_object_new_object();
		json_object_object_add(jall, tun->name, sc.js);
		json_object_string_add(sc.js, "kind", kind);
		json_object_string_add(sc.js, "adminStatus", admin);
		json_object_string_add(sc.js, "operStatus", oper);
		json_object_boolean_add(sc.js, "configComplete", !missing);
	} else {
		vty_out(vty, "Tunnel %s, kind %s, admin %s, interface %s\n",
			tun->name, kind, admin, oper);
	}
	if (missing)
		show_str(&sc, "configMissing", "Configuration incomplete, needs",
			 missing);

	if (c->description)
		show_str(&sc, "description", "Description", c->description);
	/* Stable keys: an absent interface shows ifindex and mtu 0. */
	show_int(&sc, "ifindex", "Ifindex", ifp ? ifp->ifindex : 0);
	show_int(&sc, "mtu", "MTU", ifp ? ifp->mtu : 0);
	if (c->mtu)
		snprintf(mtu, sizeof(mtu), "%u", c->mtu);
	else
		strlcpy(mtu, "auto", sizeof(mtu));
	show_str(&sc, "mtuConfigured", "MTU configured", mtu);
	show_str(&sc, "mtuSource", "MTU from", tunnel_mtu_source_name(tun->st.mtu_source));
	show_bool(&sc, "owned", "Made by tunneld", tun->st.owned);
	show_bool(&sc, "inSync", "Kernel matches configuration", tun->st.in_sync);
	show_str(&sc, "lastError", "Last error",
		 tun->st.last_error[0] ? tun->st.last_error : sc.js ? "" : "none");
	show_str(&sc, "vrf", "VRF", c->vrf[0] ? c->vrf : VRF_DEFAULT_NAME);
	show_bool(&sc, "adopt", "Adopt existing interface", c->adopt);

	sub = show_sub(&sc, "underlay");
	show_ip(&sub, "source", "Underlay source", &c->underlay.source);
	if (c->underlay.source_ifname[0])
		show_str(&sub, "sourceInterface", "Underlay source interface",
			 c->underlay.source_ifname);
	show_ip(&sub, "destination", "Underlay destination",
		&c->underlay.destination);
	show_str(&sub, "vrf", "Underlay VRF",
		 c->underlay.vrf[0] ? c->underlay.vrf : VRF_DEFAULT_NAME);
	if (c->underlay.device[0])
		show_str(&sub, "device", "Underlay device", c->underlay.device);

	show_prefixes(&sc, "addresses", "Addresses", &c->addresses);
	if (c->kind)
		show_kind[c->kind->kind](&sc, tun);

	show_str(&sc, "profile", "Profile", prof->name);
	show_probe(&sc, tun);

	sub = show_sub(&sc, "bfd");
	show_bool(&sub, "enabled", "BFD", c->bfd.enabled);
	if (c->bfd.enabled && c->bfd.profile[0])
		show_str(&sub, "profile", "BFD profile", c->bfd.profile);

	sub = show_sub(&sc, "routing");
	show_bool(&sub, "ospfDynamicCost", "OSPF dynamic cost",
		  c->ospf_dynamic_cost);
	show_bool(&sub, "ospf6DynamicCost", "OSPFv3 dynamic cost",
		  c->ospf6_dynamic_cost);
	if (c->bgp.route_map[0]) {
		show_str(&sub, "bgpRouteMap", "BGP route-map", c->bgp.route_map);
		show_int(&sub, "bgpSequence", "BGP route-map sequence",
			 c->bgp.sequence);
	}
	if (!jall)
		vty_out(vty, "\n");
}

DEFPY(show_tunnel, show_tunnel_cmd, "show tunnel [WORD$name] [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "Tunnel name\n"
      JSON_STR)
{
	json_object *js = json ? json_object_new_object() : NULL;
	const struct tunnel *tun;

	if (name) {
		tun = tunnel_find(name);
		if (!tun) {
			if (js)
				vty_json(vty, js);
			else
				vty_out(vty, "%% No tunnel %s\n", name);
			return js ? CMD_SUCCESS : CMD_WARNING;
		}
		show_tunnel_one(vty, js, tun);
	} else {
		frr_each (tunnels_const, &tunnels, tun)
			show_tunnel_one(vty, js, tun);
	}
	if (js)
		vty_json(vty, js);
	return CMD_SUCCESS;
}

DEFPY(show_tunnel_zebra, show_tunnel_zebra_cmd, "show tunnel zebra [json$json]",
      SHOW_STR
      "Tunnels of tunneld\n"
      "tunneld's session with zebra\n"
      JSON_STR)
{
	tunnel_zebra_show(vty, !!json);
	return CMD_SUCCESS;
}

void tunnel_vty_init(void)
{
	install_element(VIEW_NODE, &show_tunnel_cmd);
	install_element(VIEW_NODE, &show_tunnel_zebra_cmd);
}
