// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's session with zebra: interfaces and their addresses.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * libfrr keeps the interface and address tables current from zebra's
 * messages; this file connects, logs what changes under
 * 'debug tunnel zebra', and reports the session.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/vrf.h"
#include "lib/zclient.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_bfd.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_reconcile.h"
#include "tunneld/tunnel_reflector.h"
#include "tunneld/tunnel_zebra.h"

/* Not named 'zclient': ZAPI_CALLBACK_ARGS has a parameter of that name. */
static struct zclient *tunnel_zclient;
static uint64_t tunnel_zebra_connects;

static const char *if_state_str(const struct interface *ifp)
{
	return if_is_operative(ifp) ? "up" : "down";
}

/*
 * A tunnel's own interface changed: check that tunnel.  Any other
 * interface may be an underlay (its MTU, addresses, existence): check all.
 */
static void interface_changed(const struct interface *ifp)
{
	struct tunnel *tun = tunnel_find(ifp->name);

	if (tun) {
		tunnel_reconcile_schedule(tun);
		/* Up or down, or a new ifindex: liveness and probes follow now. */
		tunnel_measure_update(tun);
	} else {
		tunnel_reconcile_all();
	}
}

static int tunnel_ifp_real(struct interface *ifp)
{
	DEBUGD(&tunnel_dbg_zebra, "interface %s: present, ifindex %d vrf %s mtu %u %s",
	       ifp->name, ifp->ifindex, ifp->vrf->name, ifp->mtu,
	       if_state_str(ifp));
	interface_changed(ifp);
	return 0;
}

static int tunnel_ifp_unreal(struct interface *ifp)
{
	DEBUGD(&tunnel_dbg_zebra, "interface %s: gone (was ifindex %d)",
	       ifp->name, ifp->ifindex);
	interface_changed(ifp);
	return 0;
}

static int tunnel_ifp_up(struct interface *ifp)
{
	DEBUGD(&tunnel_dbg_zebra, "interface %s: up", ifp->name);
	interface_changed(ifp);
	return 0;
}

static int tunnel_ifp_down(struct interface *ifp)
{
	DEBUGD(&tunnel_dbg_zebra, "interface %s: down", ifp->name);
	interface_changed(ifp);
	return 0;
}

static int tunnel_zebra_address_add(ZAPI_CALLBACK_ARGS)
{
	struct connected *c;

	c = zebra_interface_address_read(cmd, zclient->ibuf, vrf_id);
	if (!c)
		return 0;
	DEBUGD(&tunnel_dbg_zebra, "interface %s: address %pFX added", c->ifp->name,
	       c->address);
	interface_changed(c->ifp);
	return 0;
}

static int tunnel_zebra_address_delete(ZAPI_CALLBACK_ARGS)
{
	struct connected *c;

	c = zebra_interface_address_read(cmd, zclient->ibuf, vrf_id);
	if (!c)
		return 0;
	DEBUGD(&tunnel_dbg_zebra, "interface %s: address %pFX deleted",
	       c->ifp->name, c->address);
	interface_changed(c->ifp);
	/* The reader unlinked it from the interface; it is ours to free. */
	connected_free(&c);
	return 0;
}

static void tunnel_zebra_connected_cb(struct zclient *zc)
{
	struct tunnel *tun;

	struct vrf *vrf;

	tunnel_zebra_connects++;
	zlog_info("connected to zebra");
	/* Interfaces and addresses of every VRF: tunnels may live in any. */
	RB_FOREACH (vrf, vrf_id_head, &vrfs_by_id)
		if (vrf_is_enabled(vrf) || vrf->vrf_id == VRF_DEFAULT)
			zclient_send_reg_requests(zc, vrf->vrf_id);
	/* A new zebra knows none of our registrations. */
	frr_each (tunnels, &tunnels, tun)
		if (tun->st.nht_registered)
			tunnel_zebra_nht(&tun->st.nht_prefix,
					 tun->cfg.underlay.vrf[0]
						 ? vrf_lookup_by_name(tun->cfg.underlay.vrf)
						 : vrf_lookup_by_id(VRF_DEFAULT),
					 true);
}

static void tunnel_zebra_nexthop_update(struct vrf *vrf, struct prefix *match,
					struct zapi_route *nhr)
{
	ifindex_t ifindex = 0;

	for (uint32_t i = 0; i < nhr->nexthop_num && !ifindex; i++)
		ifindex = nhr->nexthops[i].ifindex;
	DEBUGD(&tunnel_dbg_zebra, "underlay %pFX resolves via ifindex %d (%u nexthops)", match,
	       ifindex, nhr->nexthop_num);
	tunnel_reconcile_underlay(match, ifindex);
}

bool tunnel_zebra_nht(const struct prefix *p, struct vrf *vrf, bool reg)
{
	enum zclient_send_status r;

	if (!tunnel_zclient || !vrf)
		return false;
	r = zclient_send_rnh(tunnel_zclient,
			     reg ? ZEBRA_NEXTHOP_REGISTER : ZEBRA_NEXTHOP_UNREGISTER, p,
			     SAFI_UNICAST, false, true, vrf->vrf_id);
	DEBUGD(&tunnel_dbg_zebra, "%sregistered underlay %pFX with zebra", reg ? "" : "un", p);
	return r != ZCLIENT_SEND_FAILURE;
}

static zclient_handler *const tunnel_zebra_handlers[] = {
	[ZEBRA_INTERFACE_ADDRESS_ADD] = tunnel_zebra_address_add,
	[ZEBRA_INTERFACE_ADDRESS_DELETE] = tunnel_zebra_address_delete,
};

/* zebra tells a client the interfaces of a VRF only once it asks for them. */
static int tunnel_zebra_vrf_enable(struct vrf *vrf)
{
	DEBUGD(&tunnel_dbg_zebra, "VRF %s (%u) enabled", vrf->name, vrf->vrf_id);
	if (tunnel_zclient && tunnel_zclient->sock >= 0 && vrf->vrf_id != VRF_DEFAULT)
		zclient_send_reg_requests(tunnel_zclient, vrf->vrf_id);
	tunnel_reconcile_all();
	tunnel_reflector_update();
	return 0;
}

static int tunnel_zebra_vrf_disable(struct vrf *vrf)
{
	DEBUGD(&tunnel_dbg_zebra, "VRF %s (%u) disabled", vrf->name, vrf->vrf_id);
	if (tunnel_zclient && tunnel_zclient->sock >= 0 && vrf->vrf_id != VRF_DEFAULT)
		zclient_send_dereg_requests(tunnel_zclient, vrf->vrf_id);
	tunnel_reconcile_all();
	tunnel_reflector_update();
	return 0;
}

void tunnel_zebra_vrf_init(void)
{
	vrf_init(NULL, tunnel_zebra_vrf_enable, tunnel_zebra_vrf_disable, NULL);
}

void tunnel_zebra_init(struct event_loop *master, struct zebra_privs_t *privs)
{
	hook_register_prio(if_real, 0, tunnel_ifp_real);
	hook_register_prio(if_unreal, 0, tunnel_ifp_unreal);
	hook_register_prio(if_up, 0, tunnel_ifp_up);
	hook_register_prio(if_down, 0, tunnel_ifp_down);

	tunnel_zclient = zclient_new(master, &zclient_options_default,
				     tunnel_zebra_handlers,
				     array_size(tunnel_zebra_handlers));
	tunnel_zclient->zebra_connected = tunnel_zebra_connected_cb;
	tunnel_zclient->nexthop_update = tunnel_zebra_nexthop_update;
	zclient_init(tunnel_zclient, ZEBRA_ROUTE_TUNNEL, 0, privs);
	tunnel_bfd_init(tunnel_zclient, master);
}

void tunnel_zebra_stop(void)
{
	if (!tunnel_zclient)
		return;
	zclient_stop(tunnel_zclient);
	zclient_free(tunnel_zclient);
	tunnel_zclient = NULL;
}

bool tunnel_zebra_connected(void)
{
	return tunnel_zclient && tunnel_zclient->sock >= 0;
}

uint32_t tunnel_zebra_interface_count(void)
{
	struct vrf *vrf;
	struct interface *ifp;
	uint32_t n = 0;

	RB_FOREACH (vrf, vrf_name_head, &vrfs_by_name)
		FOR_ALL_INTERFACES (vrf, ifp)
			if (ifp->ifindex != IFINDEX_INTERNAL)
				n++;
	return n;
}

void tunnel_zebra_show(struct vty *vty, bool use_json)
{
	struct vrf *vrf;
	struct interface *ifp;
	struct connected *ifc;
	json_object *js = NULL, *jifs = NULL;

	if (use_json) {
		js = json_object_new_object();
		jifs = json_object_new_object();
		json_object_boolean_add(js, "connected", tunnel_zebra_connected());
		json_object_int_add(js, "sessions", tunnel_zebra_connects);
		json_object_object_add(js, "interfaces", jifs);
	} else {
		vty_out(vty, "Zebra session: %s (%" PRIu64 " session%s since start)\n",
			tunnel_zebra_connected() ? "connected" : "not connected",
			tunnel_zebra_connects, tunnel_zebra_connects == 1 ? "" : "s");
		vty_out(vty, "%-16s %-8s %-10s %-6s %-6s %s\n", "Interface",
			"Ifindex", "VRF", "State", "MTU", "Addresses");
	}

	RB_FOREACH (vrf, vrf_name_head, &vrfs_by_name) {
		FOR_ALL_INTERFACES (vrf, ifp) {
			json_object *jif = NULL, *jaddrs = NULL;
			bool first = true;

			if (ifp->ifindex == IFINDEX_INTERNAL)
				continue;
			if (js) {
				jif = json_object_new_object();
				jaddrs = json_object_new_array();
				json_object_int_add(jif, "ifindex", ifp->ifindex);
				json_object_string_add(jif, "vrf", vrf->name);
				json_object_string_add(jif, "state", if_state_str(ifp));
				json_object_int_add(jif, "mtu", ifp->mtu);
				json_object_object_add(jif, "addresses", jaddrs);
				json_object_object_add(jifs, ifp->name, jif);
			} else {
				vty_out(vty, "%-16s %-8d %-10s %-6s %-6u ", ifp->name,
					ifp->ifindex, vrf->name, if_state_str(ifp),
					ifp->mtu);
			}
			frr_each (if_connected, ifp->connected, ifc) {
				if (js)
					json_object_array_add(
						jaddrs, json_object_new_stringf("%pFX",
										ifc->address));
				else
					vty_out(vty, "%s%pFX", first ? "" : ", ",
						ifc->address);
				first = false;
			}
			if (!js)
				vty_out(vty, "\n");
		}
	}

	if (js)
		vty_json(vty, js);
}
