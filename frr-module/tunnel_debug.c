// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld debug flags and their commands.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * The flags are lib/debug.h debugs: libfrr writes the ones set in config
 * mode into the running configuration, so 'write memory' keeps them.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/debug.h"

#include "tunneld/tunnel_debug.h"

/* clang-format off */
struct debug tunnel_dbg_zebra = {0, "debug tunnel zebra", "Tunnel zebra events"};
struct debug tunnel_dbg_netlink = {0, "debug tunnel netlink", "Tunnel netlink messages"};
struct debug tunnel_dbg_probe = {0, "debug tunnel probe", "Tunnel probes"};
struct debug tunnel_dbg_policy = {0, "debug tunnel policy", "Tunnel routing policy"};
struct debug tunnel_dbg_actuator = {0, "debug tunnel actuator", "Tunnel actuator"};
/* clang-format on */

static struct debug *const tunnel_debugs[] = {
	&tunnel_dbg_zebra, &tunnel_dbg_netlink, &tunnel_dbg_probe,
	&tunnel_dbg_policy, &tunnel_dbg_actuator,
};

#include "tunneld/tunnel_debug_clippy.c"

DEFPY(debug_tunnel, debug_tunnel_cmd,
      "[no] debug tunnel [{zebra$zebra|netlink$netlink|probe$probe|policy$policy|actuator$actuator}]",
      NO_STR DEBUG_STR
      "Tunnel daemon (tunneld)\n"
      "Zebra session: interfaces, addresses, BFD\n"
      "Kernel netlink messages\n"
      "Quality probes\n"
      "Scoring and hysteresis decisions\n"
      "Changes sent to ospfd, ospf6d and bgpd\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);
	bool all = !zebra && !netlink && !probe && !policy && !actuator;
	const char *picked[] = {zebra, netlink, probe, policy, actuator};

	for (size_t i = 0; i < array_size(tunnel_debugs); i++)
		if (all || picked[i])
			DEBUG_MODE_SET(tunnel_debugs[i], mode, !no);
	return CMD_SUCCESS;
}

DEFUN_NOSH(show_debugging_tunnel, show_debugging_tunnel_cmd,
	   "show debugging [tunnel]",
	   SHOW_STR DEBUG_STR "Tunnel daemon (tunneld)\n")
{
	vty_out(vty, "Tunnel debugging status:\n");
	cmd_show_lib_debugs(vty);
	return CMD_SUCCESS;
}

void tunnel_debug_init(void)
{
	for (size_t i = 0; i < array_size(tunnel_debugs); i++)
		debug_install(tunnel_debugs[i]);

	install_element(ENABLE_NODE, &debug_tunnel_cmd);
	install_element(CONFIG_NODE, &debug_tunnel_cmd);
	install_element(ENABLE_NODE, &show_debugging_tunnel_cmd);
}
