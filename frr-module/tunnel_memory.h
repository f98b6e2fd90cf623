// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld memory types.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_MEMORY_H
#define _TUNNEL_MEMORY_H

#include "memory.h"

DECLARE_MGROUP(TUNNELD);
DECLARE_MTYPE(TUNNEL);
DECLARE_MTYPE(TUNNEL_PROFILE);
DECLARE_MTYPE(TUNNEL_ADDR);
DECLARE_MTYPE(TUNNEL_WG_PEER);
DECLARE_MTYPE(TUNNEL_STR);

#endif /* _TUNNEL_MEMORY_H */
