// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld northbound: operational state for 'show mgmt get-data'.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "lib/northbound.h"
#include "lib/yang.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_nb.h"
#include "tunneld/tunnel_zebra.h"

const void *tunnel_nb_tunnel_get_next(struct nb_cb_get_next_args *args)
{
	const struct tunnel *tun = args->list_entry;

	return tun ? tunnels_next(&tunnels, (struct tunnel *)tun)
		   : tunnels_first(&tunnels);
}

int tunnel_nb_tunnel_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct tunnel *tun = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], tun->name, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *tunnel_nb_tunnel_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return tunnel_find(args->keys->key[0]);
}

/* Absent interfaces have no ifindex or MTU: the leaves are left out. */
struct yang_data *tunnel_nb_state_ifindex_get_elem(struct nb_cb_get_elem_args *args)
{
	struct interface *ifp = tunnel_ifp(args->list_entry);

	return ifp ? yang_data_new_uint32(args->xpath, ifp->ifindex) : NULL;
}

struct yang_data *tunnel_nb_state_oper_status_get_elem(struct nb_cb_get_elem_args *args)
{
	struct interface *ifp = tunnel_ifp(args->list_entry);
	const char *status = !ifp ? "absent" : if_is_operative(ifp) ? "up" : "down";

	return yang_data_new_string(args->xpath, status);
}

struct yang_data *tunnel_nb_state_mtu_get_elem(struct nb_cb_get_elem_args *args)
{
	struct interface *ifp = tunnel_ifp(args->list_entry);

	return ifp ? yang_data_new_uint32(args->xpath, ifp->mtu) : NULL;
}

struct yang_data *tunnel_nb_zebra_connected_get_elem(struct nb_cb_get_elem_args *args)
{
	return yang_data_new_bool(args->xpath, tunnel_zebra_connected());
}

struct yang_data *tunnel_nb_zebra_interfaces_get_elem(struct nb_cb_get_elem_args *args)
{
	return yang_data_new_uint32(args->xpath, tunnel_zebra_interface_count());
}
