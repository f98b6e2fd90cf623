// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld: quality-driven tunnels for FRR.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "lib/bfd.h"
#include "lib/command.h"
#include "lib/frrevent.h"
#include "lib/libfrr.h"
#include "lib/log.h"
#include "lib/mgmt_be_client.h"
#include "lib/northbound.h"
#include "lib/privs.h"
#include "lib/sigevent.h"
#include "lib/version.h"
#include "lib/vrf.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_nb.h"
#include "tunneld/tunnel_netlink.h"
#include "tunneld/tunnel_bfd.h"
#include "tunneld/tunnel_decide.h"
#include "tunneld/tunnel_decide_vty.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_measure_vty.h"
#include "tunneld/tunnel_reconcile.h"
#include "tunneld/tunnel_vty.h"
#include "tunneld/tunnel_zebra.h"

/*
 * Creating tunnels and setting their addresses needs NET_ADMIN; ICMP
 * probes need NET_RAW; the STAMP reflector listens on port 862, below
 * 1024.  Nothing else.
 */
static zebra_capabilities_t tunnel_caps[] = {
	ZCAP_NET_ADMIN,
	ZCAP_NET_RAW,
	ZCAP_BIND,
};

struct zebra_privs_t tunnel_privs = {
#if defined(FRR_USER) && defined(FRR_GROUP)
	.user = FRR_USER,
	.group = FRR_GROUP,
#endif
#if defined(VTY_GROUP)
	.vty_group = VTY_GROUP,
#endif
	.caps_p = tunnel_caps,
	.cap_num_p = array_size(tunnel_caps),
	.cap_num_i = 0,
};

static struct option tunnel_longopts[] = { { 0 } };

struct event_loop *master;
static struct mgmt_be_client *mgmt_be_client;

static void sighup(void)
{
	zlog_info("SIGHUP received and ignored: configuration comes from mgmtd");
}

static void sigint(void)
{
	zlog_notice("Terminating on signal");

	nb_oper_cancel_all_walks();
	mgmt_be_client_destroy(mgmt_be_client);
	/*
	 * Interfaces stay: forwarding goes on while tunneld restarts; so do
	 * the costs and local-preferences in the routing daemons (the
	 * actuators close before the tunnels go, so nothing is undone).
	 * Tunnels, with their probers and BFD sessions, go before the probe
	 * sockets they use.
	 */
	tunnel_reconcile_fini();
	tunnel_bfd_fini();
	tunnel_decide_fini();
	tunneld_terminate();
	tunnel_measure_fini();
	tunnel_zebra_stop();
	tunnel_nl_fini();
	frr_fini();
	exit(0);
}

static void sigusr1(void)
{
	zlog_rotate();
}

static struct frr_signal_t tunnel_signals[] = {
	{ .signal = SIGHUP, .handler = &sighup },
	{ .signal = SIGUSR1, .handler = &sigusr1 },
	{ .signal = SIGINT, .handler = &sigint },
	{ .signal = SIGTERM, .handler = &sigint },
};

static const struct frr_yang_module_info *const tunnel_yang_modules[] = {
	&frr_backend_info,
	&frr_tunneld_info,
};

/* clang-format off */
FRR_DAEMON_INFO(tunneld, TUNNEL,
	.vty_port = TUNNEL_VTY_PORT,
	.proghelp = "Quality-driven GRE, IPsec and WireGuard tunnels.",

	.signals = tunnel_signals,
	.n_signals = array_size(tunnel_signals),

	.privs = &tunnel_privs,

	.yang_modules = tunnel_yang_modules,
	.n_yang_modules = array_size(tunnel_yang_modules),

	/* mgmtd reads the configuration and hands us our part of it. */
	.flags = FRR_NO_SPLIT_CONFIG,
);
/* clang-format on */

int main(int argc, char **argv)
{
	frr_preinit(&tunneld_di, argc, argv);
	frr_opt_add("", tunnel_longopts, "");

	while (1) {
		int opt = frr_getopt(argc, argv, NULL);

		if (opt == EOF)
			break;
		switch (opt) {
		case 0:
			break;
		default:
			frr_help_exit(1);
		}
	}

	master = frr_init();

	tunnel_debug_init();
	tunneld_init();
	tunnel_zebra_vrf_init();
	if (tunnel_nl_init() < 0)
		exit(1);
	tunnel_reconcile_init(master);
	tunnel_measure_init(master);
	tunnel_decide_init(master);
	tunnel_zebra_init(master, &tunnel_privs);
	tunnel_vty_init();
	tunnel_measure_vty_init();
	tunnel_decide_vty_init();

	mgmt_be_client = mgmt_be_client_create("tunneld", NULL, 0, master);

	/* mgmtd holds the config, but 'write' from vtysh must still work. */
	host_config_set(config_default);

	frr_config_fork();
	frr_run(master);

	/* Not reached. */
	return 0;
}
