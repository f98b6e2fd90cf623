// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld northbound: callbacks of the frr-tunneld YANG module.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_NB_H
#define _TUNNEL_NB_H

#include "lib/northbound.h"

extern const struct frr_yang_module_info frr_tunneld_info;

/* Configuration: tunnel_nb_config.c */
int tunnel_nb_leaf_modify(struct nb_cb_modify_args *args);
int tunnel_nb_leaf_destroy(struct nb_cb_destroy_args *args);
int tunnel_nb_node_create(struct nb_cb_create_args *args);
int tunnel_nb_node_destroy(struct nb_cb_destroy_args *args);
void tunneld_nb_apply_finish(struct nb_cb_apply_finish_args *args);
int tunnel_nb_profile_create(struct nb_cb_create_args *args);
int tunnel_nb_profile_destroy(struct nb_cb_destroy_args *args);
void tunnel_nb_profile_apply_finish(struct nb_cb_apply_finish_args *args);
int tunnel_nb_tunnel_create(struct nb_cb_create_args *args);
int tunnel_nb_tunnel_destroy(struct nb_cb_destroy_args *args);
void tunnel_nb_tunnel_apply_finish(struct nb_cb_apply_finish_args *args);

/* Operational state: tunnel_nb_state.c */
const void *tunnel_nb_tunnel_get_next(struct nb_cb_get_next_args *args);
int tunnel_nb_tunnel_get_keys(struct nb_cb_get_keys_args *args);
const void *tunnel_nb_tunnel_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *tunnel_nb_state_ifindex_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *tunnel_nb_state_oper_status_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *tunnel_nb_state_mtu_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *tunnel_nb_zebra_connected_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *tunnel_nb_zebra_interfaces_get_elem(struct nb_cb_get_elem_args *args);

#endif /* _TUNNEL_NB_H */
