// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * WireGuard devices: keys, peers, and what the kernel reports of them.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_WIREGUARD_H
#define _TUNNEL_WIREGUARD_H

#include "lib/json.h"
#include "lib/vty.h"

struct tunnel;

/*
 * Make the WireGuard device of @tun (its link exists) match the
 * configuration, reading the key files.  Returns 1 when it changed the
 * device, 0 when it already matched, -1 with a reason in err.
 */
extern int tunnel_wireguard_apply(struct tunnel *tun, char *err, size_t errlen);

/* The device's live state for 'show tunnel': public key, peers, handshakes. */
/*
 * The age in seconds of the most recent handshake of any peer (-1: never)
 * and the bytes of all peers; 0, or -1 when the device cannot be read.
 */
extern int tunnel_wireguard_handshake(const struct tunnel *tun, int64_t *age_s,
				      uint64_t *rx_bytes, uint64_t *tx_bytes);

extern void tunnel_wireguard_show(struct vty *vty, json_object *js, const struct tunnel *tun);

#endif /* _TUNNEL_WIREGUARD_H */
