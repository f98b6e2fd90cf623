// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld configuration CLI, compiled into mgmtd (and hence vtysh).
 * Copyright 2026 The frr-tunneld authors.
 */

#ifndef _FRR_TUNNEL_CLI_H_
#define _FRR_TUNNEL_CLI_H_

#include "northbound.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Help strings of the node-entry commands "tunnel NAME" and
 * "tunnel-profile NAME" and of their "no" forms.  They are the strings of
 * vtysh's DEFUNSH for these commands (vtysh/vtysh.c), which may use these
 * macros; keep both in step so "?" reads the same everywhere.
 */
#define TUNNEL_NODE_HELP_STR                                                                       \
	"Configure a tunnel of tunneld\n"                                                          \
	"Tunnel interface name\n"
#define TUNNEL_PROFILE_NODE_HELP_STR                                                               \
	"Configure a tunnel quality profile of tunneld\n"                                          \
	"Profile name\n"

/* CLI callbacks (cli_show) of the frr-tunneld module, loaded by mgmtd. */
extern const struct frr_yang_module_info frr_tunneld_cli_info;

/* Install TUNNEL_NODE, TUNNEL_PROFILE_NODE and all configuration commands. */
extern void tunnel_cli_init(void);

#ifdef __cplusplus
}
#endif

#endif /* _FRR_TUNNEL_CLI_H_ */
