// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * WireGuard over generic netlink: keys (base64 and key files), the
 * WG_CMD_SET_DEVICE messages that configure a device, and the parser of
 * WG_CMD_GET_DEVICE replies.  Private and preshared keys live only in
 * struct tunnel_wg_key buffers that are wiped when done; nothing here
 * formats a private or preshared key as text.
 *
 * Standard C, libmnl and the kernel's uapi headers only: no libfrr.
 */
#ifndef _TUNNELD_TUNNEL_WG_H
#define _TUNNELD_TUNNEL_WG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>

#include "tunnel_link.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nlmsghdr;

#define TUNNEL_WG_KEY_LEN 32
#define TUNNEL_WG_KEY_B64_LEN 44 /* with the trailing '=', without NUL */

struct tunnel_wg_key {
	uint8_t b[TUNNEL_WG_KEY_LEN];
};

/* base64 (as wg(8) prints it) to key; false for anything else. */
bool tunnel_wg_key_from_base64(struct tunnel_wg_key *key, const char *b64);
/* key to base64 into out[TUNNEL_WG_KEY_B64_LEN + 1]; for public keys only. */
void tunnel_wg_key_to_base64(char *out, const struct tunnel_wg_key *key);
/* Overwrite a key so the compiler cannot skip it. */
void tunnel_wg_key_wipe(struct tunnel_wg_key *key);

/*
 * Read a private or preshared key file: one base64 key, optionally
 * followed by a newline, as 'wg genkey' writes it.  Refused, with a
 * sentence saying why in err: not a regular file, readable or writable by
 * group or others (mode & 077, like wg(8) insists), owned by a uid not in
 * allowed_uids, not a valid key.  The file is opened with O_NOFOLLOW and
 * checked with fstat on the open descriptor (no race with a swapped file).
 * Returns 0, or -1 with errno and err set.  The key never reaches err.
 */
int tunnel_wg_key_file_read(const char *path, const uid_t *allowed_uids,
			    size_t n_allowed, struct tunnel_wg_key *key,
			    char *err, size_t errlen);

struct tunnel_wg_allowed_ip {
	struct tunnel_ip ip;
	uint8_t cidr;
};

struct tunnel_wg_peer_spec {
	struct tunnel_wg_key public_key;
	bool has_psk;
	struct tunnel_wg_key psk;
	struct tunnel_ip endpoint; /* family 0: none */
	uint16_t endpoint_port;
	uint16_t keepalive_s; /* 0: off */
	const struct tunnel_wg_allowed_ip *allowed_ips;
	size_t n_allowed_ips;

	/* Parsed from WG_CMD_GET_DEVICE only. */
	int64_t last_handshake_s; /* seconds since the epoch, 0: never */
	uint64_t rx_bytes, tx_bytes;
};

struct tunnel_wg_device {
	char name[IF_NAMESIZE];
	bool has_private_key;
	struct tunnel_wg_key private_key;
	uint16_t listen_port; /* 0: kernel picks */
	uint32_t fwmark;
	const struct tunnel_wg_peer_spec *peers;
	size_t n_peers;

	/* Parsed from WG_CMD_GET_DEVICE only. */
	struct tunnel_wg_key public_key;
};

/* CTRL_CMD_GETFAMILY for "wireguard". */
struct nlmsghdr *tunnel_wg_build_getfamily(void *buf, size_t len, uint32_t seq);
/* The family id from the CTRL_CMD_NEWFAMILY reply; 0 when absent/malformed. */
uint16_t tunnel_wg_parse_family(const struct nlmsghdr *nlh);

/*
 * WG_CMD_SET_DEVICE messages that make the device exactly @dev: private
 * key (left as it is when !has_private_key), listen port, fwmark, and the
 * peer set replaced (WGDEVICE_F_REPLACE_PEERS, and per peer its preshared
 * key if any, endpoint if any, keepalive (0: off) and
 * WGPEER_F_REPLACE_ALLOWEDIPS).  A large device does not fit one message,
 * so this is an iterator: *cursor starts at 0 and each call writes the next
 * message and advances it; it returns NULL (errno 0) when all is written,
 * NULL with errno set on error (EINVAL for an invalid device: bad name,
 * endpoint or allowed IP family, cidr too long; EMSGSIZE when buf cannot
 * take the device's own attributes, a peer's, or one allowed IP).
 * Only the first message replaces the peer set, later ones add to it: a
 * peer cut short goes on in the next message with its public key alone.
 * Replacing the peers drops their sessions: send only on a change.
 * buf then holds the private and preshared keys: wipe it when sent.
 */
struct nlmsghdr *tunnel_wg_build_set(void *buf, size_t len, uint32_t seq,
				     uint16_t family, const struct tunnel_wg_device *dev,
				     size_t *cursor);

/* WG_CMD_GET_DEVICE (NLM_F_DUMP) for ifname. */
struct nlmsghdr *tunnel_wg_build_get(void *buf, size_t len, uint32_t seq, uint16_t family,
				     const char *ifname);

/*
 * Parse one message of a WG_CMD_GET_DEVICE dump into dev and up to
 * max_peers entries of peers (a device with many peers comes in several
 * messages: call for each, with *n_peers carried over; zero dev and set
 * *n_peers to 0 before the first, as only the first carries the device's
 * own attributes).  A peer split over two messages (its public key
 * repeated) stays one entry.  The private key is never copied out:
 * dev->has_private_key only says whether one is set; the preshared key is
 * (wipe peers when done).  Allowed IPs are checked and counted into
 * n_allowed_ips, not kept: allowed_ips is NULL.  dev->peers and
 * dev->n_peers are set to peers and *n_peers.
 * Returns 0, or -1 with errno EBADMSG for a malformed message, ENOSPC for
 * more than max_peers peers, EINVAL for bad arguments; after -1 dev,
 * peers and *n_peers are as they were.
 */
int tunnel_wg_parse_get(const struct nlmsghdr *nlh, struct tunnel_wg_device *dev,
			struct tunnel_wg_peer_spec *peers, size_t max_peers,
			size_t *n_peers);

#ifdef __cplusplus
}
#endif

#endif /* _TUNNELD_TUNNEL_WG_H */
