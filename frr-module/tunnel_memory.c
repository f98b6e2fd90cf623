// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld memory types.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "tunneld/tunnel_memory.h"

DEFINE_MGROUP(TUNNELD, "tunneld");
DEFINE_MTYPE(TUNNELD, TUNNEL, "Tunnel");
DEFINE_MTYPE(TUNNELD, TUNNEL_PROFILE, "Tunnel quality profile");
DEFINE_MTYPE(TUNNELD, TUNNEL_ADDR, "Tunnel prefix");
DEFINE_MTYPE(TUNNELD, TUNNEL_WG_PEER, "Tunnel WireGuard peer");
DEFINE_MTYPE(TUNNELD, TUNNEL_STR, "Tunnel string");
