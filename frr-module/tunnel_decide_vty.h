// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show tunnel decisions.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_DECIDE_VTY_H
#define _TUNNEL_DECIDE_VTY_H

extern void tunnel_decide_vty_init(void);

#endif /* _TUNNEL_DECIDE_VTY_H */
