// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STAMP (RFC 8762) stateless Session-Reflector.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_REFLECTOR_H
#define _TUNNEL_REFLECTOR_H

#include <stdint.h>

#include "lib/frrevent.h"

struct tunnel_reflector_stats {
	uint64_t received;
	uint64_t reflected;
	uint64_t malformed;  /* shorter than a test packet, or truncated */
	uint64_t out_of_scope; /* came in on an interface tunneld does not manage */
	uint64_t send_errors;
};

/* Per tunnel: what the reflector answered on that tunnel's interface. */
struct tunnel_reflector_tunnel_stats {
	uint64_t received;
	uint64_t reflected;
	uint64_t malformed;
};

/* Open, re-bind or close the sockets to match the configuration. */
extern void tunnel_reflector_update(void);

extern void tunnel_reflector_stats(struct tunnel_reflector_stats *st, unsigned int *sockets);

extern void tunnel_reflector_init(struct event_loop *master);
extern void tunnel_reflector_fini(void);

#endif /* _TUNNEL_REFLECTOR_H */
