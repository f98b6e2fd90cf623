// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld show commands.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_VTY_H
#define _TUNNEL_VTY_H

extern void tunnel_vty_init(void);

#endif /* _TUNNEL_VTY_H */
