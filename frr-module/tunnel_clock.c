// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's clocks.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include <sys/timex.h>

#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_stamp.h"

#define NSEC_PER_SEC 1000000000ULL

int64_t tunnel_clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t tunnel_clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t checked_ns, cached_err_ns;
static bool cached_synced;
static uint16_t cached_errest;

bool tunnel_clock_synced(uint64_t *err_ns)
{
	uint64_t now = tunnel_clock_mono_ns();
	struct tunnel_stamp_errest e;
	struct timex tx = {};
	int state;

	if (!checked_ns || now - checked_ns >= NSEC_PER_SEC) {
		state = adjtimex(&tx);
		cached_synced = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
		/* esterror is in microseconds; at least 1 us of error is honest. */
		cached_err_ns = (uint64_t)(tx.esterror > 0 ? tx.esterror : 1) * 1000;
		/* Every packet carries it: encode it once a second, not per packet. */
		e = tunnel_stamp_errest_from_ns(cached_err_ns, cached_synced, false);
		cached_errest = tunnel_stamp_errest_encode(&e);
		checked_ns = now;
	}
	if (err_ns)
		*err_ns = cached_err_ns;
	return cached_synced;
}

uint16_t tunnel_clock_errest(void)
{
	tunnel_clock_synced(NULL);
	return cached_errest;
}

void tunnel_clock_rx_time(struct msghdr *msg, uint64_t *mono_ns, struct timespec *real)
{
	struct timespec now_real;
	struct cmsghdr *cm;
	uint64_t now_mono = tunnel_clock_mono_ns();
	int64_t age_ns;

	clock_gettime(CLOCK_REALTIME, &now_real);
	*real = now_real;
	*mono_ns = now_mono;
	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_TIMESTAMPNS ||
		    cm->cmsg_len < CMSG_LEN(sizeof(struct timespec)))
			continue;
		memcpy(real, CMSG_DATA(cm), sizeof(*real));
		age_ns = (int64_t)(now_real.tv_sec - real->tv_sec) * (int64_t)NSEC_PER_SEC +
			 (now_real.tv_nsec - real->tv_nsec);
		/*
		 * The stamp is how long ago the packet arrived; a stamp from
		 * the future or far past means the wall clock was stepped in
		 * between, and "now" is the better guess.
		 */
		if (age_ns >= 0 && (uint64_t)age_ns < now_mono && age_ns < (int64_t)NSEC_PER_SEC)
			*mono_ns = now_mono - (uint64_t)age_ns;
		else
			*real = now_real;
		break;
	}
}
