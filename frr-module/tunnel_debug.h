// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld debug flags.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_DEBUG_H
#define _TUNNEL_DEBUG_H

#include "lib/debug.h"

extern struct debug tunnel_dbg_zebra;
extern struct debug tunnel_dbg_netlink;
extern struct debug tunnel_dbg_probe;
extern struct debug tunnel_dbg_policy;
extern struct debug tunnel_dbg_actuator;

extern void tunnel_debug_init(void);

#endif /* _TUNNEL_DEBUG_H */
