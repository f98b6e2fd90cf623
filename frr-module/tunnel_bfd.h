// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A BFD session per tunnel, run by bfdd.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_BFD_H
#define _TUNNEL_BFD_H

#include <stdbool.h>

#include "lib/json.h"
#include "lib/vty.h"

struct tunnel;
struct zclient;

/* Create, change or remove the tunnel's session to match its config. */
extern void tunnel_bfd_update(struct tunnel *tun);
extern void tunnel_bfd_remove(struct tunnel *tun);

/* Whether BFD says the far end is gone (only after it was up once). */
extern bool tunnel_bfd_down(const struct tunnel *tun);

extern const char *tunnel_bfd_status(const struct tunnel *tun);

extern void tunnel_bfd_init(struct zclient *zc, struct event_loop *master);
extern void tunnel_bfd_fini(void);

#endif /* _TUNNEL_BFD_H */
