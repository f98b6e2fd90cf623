// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Show commands for measurements.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_MEASURE_VTY_H
#define _TUNNEL_MEASURE_VTY_H

extern void tunnel_measure_vty_init(void);

#endif /* _TUNNEL_MEASURE_VTY_H */
