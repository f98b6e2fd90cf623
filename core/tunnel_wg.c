// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * WireGuard keys and generic netlink messages.
 *
 * The messages are those of wireguard-tools (src/ipc-linux.h): the same
 * attributes, nests flagged NLA_F_NESTED (the kernel's nla_parse_nested()
 * insists), and the same way of splitting a device too large for one
 * message: the device's own attributes and WGDEVICE_F_REPLACE_PEERS go in
 * the first message only; a peer whose allowed IPs run over is ended there
 * and repeated in the next message with its public key alone, without
 * WGPEER_F_REPLACE_ALLOWEDIPS, so its remaining allowed IPs add to those
 * already set.  The kernel's dump splits a peer the same way.
 *
 * Base64 decoding runs in constant time (no branch or table lookup on the
 * characters), as wireguard-tools' does, because it handles private keys.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* with -std=c11: explicit_bzero, O_NOFOLLOW, fstat, strnlen */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h> /* before the kernel's headers, which then leave its names alone */
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include "tunnel_wg.h"

/* Keys. */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* All ones when lo <= x <= hi, else 0, computed without a branch on x. */
static uint32_t in_range(uint32_t x, uint32_t lo, uint32_t hi)
{
	return 0U - ((((lo - 1U) - x) & (x - (hi + 1U))) >> 31);
}

/* A base64 character's 6 bits; *bad gets 1 for anything else. */
static uint32_t b64_value(unsigned char c, uint32_t *bad)
{
	uint32_t x = c, v = 0, any = 0, m;

	m = in_range(x, 'A', 'Z');
	v |= m & (x - 'A');
	any |= m;
	m = in_range(x, 'a', 'z');
	v |= m & (x - 'a' + 26U);
	any |= m;
	m = in_range(x, '0', '9');
	v |= m & (x - '0' + 52U);
	any |= m;
	m = in_range(x, '+', '+');
	v |= m & 62U;
	any |= m;
	m = in_range(x, '/', '/');
	v |= m & 63U;
	any |= m;
	*bad |= ~any & 1U;
	return v;
}

bool tunnel_wg_key_from_base64(struct tunnel_wg_key *key, const char *b64)
{
	const unsigned char *s = (const unsigned char *)b64;
	uint8_t out[TUNNEL_WG_KEY_LEN];
	uint32_t bad = 0, v;
	size_t i;

	/* 32 bytes: ten groups of four characters, then three and one '='. */
	if (!key || !b64 || strnlen(b64, TUNNEL_WG_KEY_B64_LEN + 1) != TUNNEL_WG_KEY_B64_LEN ||
	    b64[TUNNEL_WG_KEY_B64_LEN - 1] != '=')
		return false;
	for (i = 0; i < TUNNEL_WG_KEY_LEN / 3; i++) {
		v = b64_value(s[i * 4], &bad) << 18 | b64_value(s[i * 4 + 1], &bad) << 12 |
		    b64_value(s[i * 4 + 2], &bad) << 6 | b64_value(s[i * 4 + 3], &bad);
		out[i * 3] = (uint8_t)(v >> 16);
		out[i * 3 + 1] = (uint8_t)(v >> 8);
		out[i * 3 + 2] = (uint8_t)v;
	}
	v = b64_value(s[i * 4], &bad) << 18 | b64_value(s[i * 4 + 1], &bad) << 12 |
	    b64_value(s[i * 4 + 2], &bad) << 6;
	out[i * 3] = (uint8_t)(v >> 16);
	out[i * 3 + 1] = (uint8_t)(v >> 8);
	/* The last character's low two bits pad: canonical keys have them 0. */
	bad |= ((v & 0xffU) + 0xffU) >> 8;

	if (!bad)
		memcpy(key->b, out, sizeof(key->b));
	explicit_bzero(out, sizeof(out));
	return !bad;
}

void tunnel_wg_key_to_base64(char *out, const struct tunnel_wg_key *key)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 3 <= TUNNEL_WG_KEY_LEN; i += 3) {
		v = (uint32_t)key->b[i] << 16 | (uint32_t)key->b[i + 1] << 8 | key->b[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	v = (uint32_t)key->b[i] << 16 | (uint32_t)key->b[i + 1] << 8;
	out[o++] = b64_alphabet[(v >> 18) & 63];
	out[o++] = b64_alphabet[(v >> 12) & 63];
	out[o++] = b64_alphabet[(v >> 6) & 63];
	out[o++] = '=';
	out[o] = '\0';
}

void tunnel_wg_key_wipe(struct tunnel_wg_key *key)
{
	if (key)
		explicit_bzero(key, sizeof(*key));
}

static bool key_is_zero(const struct tunnel_wg_key *key)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < sizeof(key->b); i++)
		acc |= key->b[i];
	return acc == 0;
}

static int __attribute__((format(printf, 4, 5)))
refuse(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = e;
	return -1;
}

static bool uid_allowed(uid_t uid, const uid_t *allowed, size_t n)
{
	for (size_t i = 0; allowed && i < n; i++)
		if (allowed[i] == uid)
			return true;
	return false;
}

/* The file's content: a key and at most a newline; one more byte tells "too long". */
#define KEY_FILE_MAX (TUNNEL_WG_KEY_B64_LEN + 1)

static int key_file_check(int fd, const char *path, const uid_t *allowed_uids, size_t n_allowed,
			  char *err, size_t errlen)
{
	const char *what = NULL;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return refuse(err, errlen, errno, "Cannot check key file %s: %s.", path,
			      strerror(errno));
	if (!S_ISREG(st.st_mode))
		return refuse(err, errlen, EINVAL, "Key file %s is not a regular file.", path);
	if (!uid_allowed(st.st_uid, allowed_uids, n_allowed))
		return refuse(err, errlen, EPERM,
			      "Key file %s is owned by uid %u, not by root or tunneld's user.",
			      path, (unsigned int)st.st_uid);
	/* Like wg(8): a private key is nobody else's business. */
	if (st.st_mode & (S_IRGRP | S_IROTH))
		what = "readable";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		what = "writable";
	else if (st.st_mode & (S_IXGRP | S_IXOTH))
		what = "accessible";
	if (what)
		return refuse(err, errlen, EPERM,
			      "Key file %s is %s by group or others (mode %04o); make it 0600.",
			      path, what, (unsigned int)(st.st_mode & 07777));
	if (st.st_size > KEY_FILE_MAX)
		return refuse(err, errlen, EINVAL,
			      "Key file %s does not hold a WireGuard key: it is too long for one.",
			      path);
	return 0;
}

int tunnel_wg_key_file_read(const char *path, const uid_t *allowed_uids, size_t n_allowed,
			    struct tunnel_wg_key *key, char *err, size_t errlen)
{
	char buf[KEY_FILE_MAX + 2];
	size_t n = 0;
	ssize_t r;
	bool ok;
	int fd;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !*path || !key)
		return refuse(err, errlen, EINVAL, "No key file given.");
	/* O_NONBLOCK: a FIFO put in the key's place must not hang the daemon. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return refuse(err, errlen, ELOOP, "Key file %s is a symbolic link.", path);
		return refuse(err, errlen, errno, "Cannot open key file %s: %s.", path,
			      strerror(errno));
	}
	if (key_file_check(fd, path, allowed_uids, n_allowed, err, errlen) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	/* Read past the longest valid content, so a longer file is seen as such. */
	while (n < sizeof(buf) - 1) {
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		explicit_bzero(buf, sizeof(buf));
		return refuse(err, errlen, e, "Cannot read key file %s: %s.", path, strerror(e));
	}
	close(fd);

	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	ok = n == TUNNEL_WG_KEY_B64_LEN && tunnel_wg_key_from_base64(key, buf);
	explicit_bzero(buf, sizeof(buf));
	if (!ok)
		return refuse(err, errlen, EINVAL,
			      "Key file %s does not hold a WireGuard key ('wg genkey' output).",
			      path);
	return 0;
}

/* Generic netlink. */

static struct nlmsghdr *genl_start(void *buf, size_t len, uint16_t type, uint16_t flags,
				   uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = tunnel_nl_put_header(buf, len, type, flags, seq, sizeof(*genl));
	if (!nlh)
		return NULL;
	genl = mnl_nlmsg_get_payload(nlh);
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *fail(int err)
{
	errno = err;
	return NULL;
}

static bool ifname_ok(const char *name)
{
	size_t n = name ? strnlen(name, IF_NAMESIZE) : 0;

	return n > 0 && n < IF_NAMESIZE;
}

struct nlmsghdr *tunnel_wg_build_getfamily(void *buf, size_t len, uint32_t seq)
{
	struct nlmsghdr *nlh;

	nlh = genl_start(buf, len, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY,
			 1);
	if (!nlh)
		return NULL;
	if (!mnl_attr_put_strz_check(nlh, len, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME))
		return fail(EMSGSIZE);
	return nlh;
}

struct family_ctx {
	uint16_t id;
	bool name_ok;
};

static int family_cb(const struct nlattr *attr, void *data)
{
	struct family_ctx *f = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		f->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_FAMILY_NAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		f->name_ok = strcmp(mnl_attr_get_str(attr), WG_GENL_NAME) == 0;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static const struct genlmsghdr *genl_header(const struct nlmsghdr *nlh, size_t *hdrlen)
{
	*hdrlen = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));
	if (!nlh || nlh->nlmsg_len < *hdrlen)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

uint16_t tunnel_wg_parse_family(const struct nlmsghdr *nlh)
{
	struct family_ctx f = {};
	const struct genlmsghdr *genl;
	size_t hdrlen;

	genl = genl_header(nlh, &hdrlen);
	if (!genl || nlh->nlmsg_type != GENL_ID_CTRL || genl->cmd != CTRL_CMD_NEWFAMILY)
		return 0;
	if (tunnel_nl_walk((const char *)nlh + hdrlen, nlh->nlmsg_len - hdrlen, family_cb, &f) < 0)
		return 0;
	if (!f.name_ok)
		return 0;
	return f.id;
}

struct nlmsghdr *tunnel_wg_build_get(void *buf, size_t len, uint32_t seq, uint16_t family,
				     const char *ifname)
{
	struct nlmsghdr *nlh;

	if (!family || !ifname_ok(ifname))
		return fail(EINVAL);
	nlh = genl_start(buf, len, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, seq,
			 WG_CMD_GET_DEVICE, WG_GENL_VERSION);
	if (!nlh)
		return NULL;
	if (!mnl_attr_put_strz_check(nlh, len, WGDEVICE_A_IFNAME, ifname))
		return fail(EMSGSIZE);
	return nlh;
}

/*
 * WG_CMD_SET_DEVICE.  The peers and their allowed IPs are numbered in one
 * sequence: each peer is an item (its public key and settings) followed by
 * one item per allowed IP.  *cursor is 0 before the first message, then
 * 1 + the number of items sent.
 */

static bool allowed_ip_ok(const struct tunnel_wg_allowed_ip *a)
{
	return (a->ip.family == AF_INET && a->cidr <= 32) ||
	       (a->ip.family == AF_INET6 && a->cidr <= 128);
}

/* The number of items of dev, or 0 with errno EINVAL for an invalid device. */
static size_t set_items(const struct tunnel_wg_device *dev)
{
	size_t total = 0;

	for (size_t i = 0; i < dev->n_peers; i++) {
		const struct tunnel_wg_peer_spec *p = &dev->peers[i];

		if (p->endpoint.family != 0 && p->endpoint.family != AF_INET &&
		    p->endpoint.family != AF_INET6)
			return 0;
		if (p->n_allowed_ips && !p->allowed_ips)
			return 0;
		for (size_t j = 0; j < p->n_allowed_ips; j++)
			if (!allowed_ip_ok(&p->allowed_ips[j]))
				return 0;
		if (p->n_allowed_ips >= SIZE_MAX - 1 - total)
			return 0;
		total += 1 + p->n_allowed_ips;
	}
	return total;
}

static bool put_endpoint(struct nlmsghdr *nlh, size_t len, const struct tunnel_wg_peer_spec *p)
{
	if (p->endpoint.family == AF_INET) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(p->endpoint_port),
			.sin_addr = p->endpoint.u.v4,
		};

		return mnl_attr_put_check(nlh, len, WGPEER_A_ENDPOINT, sizeof(sin), &sin);
	}
	if (p->endpoint.family == AF_INET6) {
		struct sockaddr_in6 sin6 = {
			.sin6_family = AF_INET6,
			.sin6_port = htons(p->endpoint_port),
			.sin6_addr = p->endpoint.u.v6,
		};

		return mnl_attr_put_check(nlh, len, WGPEER_A_ENDPOINT, sizeof(sin6), &sin6);
	}
	return true;
}

/* The peer's own attributes, sent once, with the first of its items. */
static bool put_peer_settings(struct nlmsghdr *nlh, size_t len, const struct tunnel_wg_peer_spec *p)
{
	if (p->has_psk &&
	    !mnl_attr_put_check(nlh, len, WGPEER_A_PRESHARED_KEY, sizeof(p->psk.b), p->psk.b))
		return false;
	return put_endpoint(nlh, len, p) &&
	       mnl_attr_put_u16_check(nlh, len, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
				      p->keepalive_s) &&
	       mnl_attr_put_u32_check(nlh, len, WGPEER_A_FLAGS, WGPEER_F_REPLACE_ALLOWEDIPS);
}

static bool put_allowed_ip(struct nlmsghdr *nlh, size_t len, const struct tunnel_wg_allowed_ip *a)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, len, 0);
	bool v4 = a->ip.family == AF_INET;

	if (!nest)
		return false;
	if (!mnl_attr_put_u16_check(nlh, len, WGALLOWEDIP_A_FAMILY, (uint16_t)a->ip.family) ||
	    !mnl_attr_put_check(nlh, len, WGALLOWEDIP_A_IPADDR,
				v4 ? sizeof(a->ip.u.v4) : sizeof(a->ip.u.v6),
				v4 ? (const void *)&a->ip.u.v4 : (const void *)&a->ip.u.v6) ||
	    !mnl_attr_put_u8_check(nlh, len, WGALLOWEDIP_A_CIDR_MASK, a->cidr)) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/*
 * Peer p from its item @at (0: the peer itself, k: allowed IP k - 1) on,
 * as far as it fits; returns the items written.  *full when it stopped for
 * room.
 */
static size_t put_peer(struct nlmsghdr *nlh, size_t len, const struct tunnel_wg_peer_spec *p,
		       size_t at, bool *full)
{
	struct nlattr *peer, *ips = NULL;
	size_t done = 0, k;

	*full = true;
	peer = mnl_attr_nest_start_check(nlh, len, 0);
	if (!peer)
		return 0;
	if (!mnl_attr_put_check(nlh, len, WGPEER_A_PUBLIC_KEY, sizeof(p->public_key.b),
				p->public_key.b))
		goto cancel;
	if (at == 0) {
		if (!put_peer_settings(nlh, len, p))
			goto cancel;
		done = 1;
	}
	k = at == 0 ? 0 : at - 1;
	if (k < p->n_allowed_ips) {
		ips = mnl_attr_nest_start_check(nlh, len, WGPEER_A_ALLOWEDIPS);
		for (; ips && k < p->n_allowed_ips; k++, done++)
			if (!put_allowed_ip(nlh, len, &p->allowed_ips[k]))
				break;
		if (ips && k == (at == 0 ? 0 : at - 1))
			mnl_attr_nest_cancel(nlh, ips); /* not even one fitted */
		else if (ips)
			mnl_attr_nest_end(nlh, ips);
		if (k < p->n_allowed_ips) {
			/* A continuation with nothing in it is no use: drop it. */
			if (done == 0)
				goto cancel;
			mnl_attr_nest_end(nlh, peer);
			return done;
		}
	}
	mnl_attr_nest_end(nlh, peer);
	*full = false;
	return done;

cancel:
	mnl_attr_nest_cancel(nlh, peer);
	return 0;
}

struct nlmsghdr *tunnel_wg_build_set(void *buf, size_t len, uint32_t seq, uint16_t family,
				     const struct tunnel_wg_device *dev, size_t *cursor)
{
	size_t total, pos, start, i, at, n;
	struct nlmsghdr *nlh;
	struct nlattr *peers;
	bool first, full = false;

	if (!dev || !cursor || !family || !ifname_ok(dev->name) || (dev->n_peers && !dev->peers))
		return fail(EINVAL);
	errno = 0;
	total = set_items(dev);
	if (dev->n_peers && total == 0)
		return fail(EINVAL);
	first = *cursor == 0;
	pos = first ? 0 : *cursor - 1;
	if (pos > total)
		return fail(EINVAL);
	if (!first && pos == total)
		return NULL; /* all sent, errno 0 */

	nlh = genl_start(buf, len, family, NLM_F_REQUEST | NLM_F_ACK, seq, WG_CMD_SET_DEVICE,
			 WG_GENL_VERSION);
	if (!nlh)
		return NULL;
	if (!mnl_attr_put_strz_check(nlh, len, WGDEVICE_A_IFNAME, dev->name))
		return fail(EMSGSIZE);
	if (first) {
		if (dev->has_private_key &&
		    !mnl_attr_put_check(nlh, len, WGDEVICE_A_PRIVATE_KEY,
					sizeof(dev->private_key.b), dev->private_key.b))
			return fail(EMSGSIZE);
		if (!mnl_attr_put_u16_check(nlh, len, WGDEVICE_A_LISTEN_PORT, dev->listen_port) ||
		    !mnl_attr_put_u32_check(nlh, len, WGDEVICE_A_FWMARK, dev->fwmark) ||
		    !mnl_attr_put_u32_check(nlh, len, WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS))
			return fail(EMSGSIZE);
	}

	start = pos;
	if (pos < total) {
		/* Find the peer of item pos, and pos's place in it. */
		at = pos;
		for (i = 0; at >= 1 + dev->peers[i].n_allowed_ips; i++)
			at -= 1 + dev->peers[i].n_allowed_ips;

		peers = mnl_attr_nest_start_check(nlh, len, WGDEVICE_A_PEERS);
		for (; peers && i < dev->n_peers && !full; i++, at = 0) {
			n = put_peer(nlh, len, &dev->peers[i], at, &full);
			pos += n;
		}
		if (peers && pos > start)
			mnl_attr_nest_end(nlh, peers);
		else if (peers)
			mnl_attr_nest_cancel(nlh, peers);
	}
	/* Each message must carry something new, or the caller would loop. */
	if (!first && pos == start)
		return fail(EMSGSIZE);
	*cursor = pos + 1;
	return nlh;
}

/*
 * WG_CMD_GET_DEVICE.  A message is checked whole before anything is
 * written out, so a malformed one leaves dev and peers as they were.
 */

struct get_ctx {
	bool store; /* second pass: write dev and peers */
	struct tunnel_wg_device *dev;
	struct tunnel_wg_peer_spec *peers;
	size_t max_peers;
	size_t n; /* peers so far */
	bool have_last;
	struct tunnel_wg_key last; /* public key of the last peer, which may go on here */
	int err;
};

struct peer_parse {
	struct tunnel_wg_peer_spec p;
	bool has_public_key;
	size_t n_ips;
};

struct aip_parse {
	uint16_t family;
	bool has_family, has_cidr;
	size_t addr_len;
	uint8_t cidr;
};

static int aip_attr_cb(const struct nlattr *attr, void *data)
{
	struct aip_parse *a = data;

	switch (mnl_attr_get_type(attr)) {
	case WGALLOWEDIP_A_FAMILY:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		a->family = mnl_attr_get_u16(attr);
		a->has_family = true;
		break;
	case WGALLOWEDIP_A_IPADDR:
		a->addr_len = mnl_attr_get_payload_len(attr);
		break;
	case WGALLOWEDIP_A_CIDR_MASK:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
			return MNL_CB_ERROR;
		a->cidr = mnl_attr_get_u8(attr);
		a->has_cidr = true;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* One allowed IP: checked and counted; tunneld compares the count only. */
static int aips_cb(const struct nlattr *attr, void *data)
{
	struct peer_parse *pp = data;
	struct aip_parse a = {};

	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
	    tunnel_nl_walk(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr), aip_attr_cb,
			   &a) < 0)
		return MNL_CB_ERROR;
	if (!a.has_family || !a.has_cidr ||
	    !((a.family == AF_INET && a.addr_len == sizeof(struct in_addr) && a.cidr <= 32) ||
	      (a.family == AF_INET6 && a.addr_len == sizeof(struct in6_addr) && a.cidr <= 128)))
		return MNL_CB_ERROR;
	pp->n_ips++;
	return MNL_CB_OK;
}

static int get_endpoint(const struct nlattr *attr, struct tunnel_wg_peer_spec *p)
{
	size_t n = mnl_attr_get_payload_len(attr);
	sa_family_t af;

	if (n < sizeof(af))
		return -1;
	memcpy(&af, mnl_attr_get_payload(attr), sizeof(af));
	if (af == AF_INET && n == sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		memcpy(&sin, mnl_attr_get_payload(attr), sizeof(sin));
		p->endpoint.family = AF_INET;
		p->endpoint.u.v4 = sin.sin_addr;
		p->endpoint_port = ntohs(sin.sin_port);
	} else if (af == AF_INET6 && n == sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, mnl_attr_get_payload(attr), sizeof(sin6));
		p->endpoint.family = AF_INET6;
		p->endpoint.u.v6 = sin6.sin6_addr;
		p->endpoint_port = ntohs(sin6.sin6_port);
	} else {
		return -1;
	}
	return 0;
}

static int peer_attr_cb(const struct nlattr *attr, void *data)
{
	struct peer_parse *pp = data;
	struct tunnel_wg_peer_spec *p = &pp->p;
	int64_t ts[2]; /* struct __kernel_timespec: seconds, nanoseconds */

	switch (mnl_attr_get_type(attr)) {
	case WGPEER_A_PUBLIC_KEY:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(p->public_key.b)) < 0)
			return MNL_CB_ERROR;
		memcpy(p->public_key.b, mnl_attr_get_payload(attr), sizeof(p->public_key.b));
		pp->has_public_key = true;
		break;
	case WGPEER_A_PRESHARED_KEY:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(p->psk.b)) < 0)
			return MNL_CB_ERROR;
		memcpy(p->psk.b, mnl_attr_get_payload(attr), sizeof(p->psk.b));
		/* The kernel sends zeros for "no preshared key". */
		p->has_psk = !key_is_zero(&p->psk);
		break;
	case WGPEER_A_ENDPOINT:
		if (get_endpoint(attr, p) < 0)
			return MNL_CB_ERROR;
		break;
	case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		p->keepalive_s = mnl_attr_get_u16(attr);
		break;
	case WGPEER_A_LAST_HANDSHAKE_TIME:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(ts)) < 0)
			return MNL_CB_ERROR;
		memcpy(ts, mnl_attr_get_payload(attr), sizeof(ts));
		p->last_handshake_s = ts[0];
		break;
	case WGPEER_A_RX_BYTES:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		p->rx_bytes = mnl_attr_get_u64(attr);
		break;
	case WGPEER_A_TX_BYTES:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		p->tx_bytes = mnl_attr_get_u64(attr);
		break;
	case WGPEER_A_ALLOWEDIPS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    tunnel_nl_walk(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr),
				   aips_cb, pp) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* A peer goes on the last one when it repeats its key (a split peer). */
static int peer_commit(struct get_ctx *c, const struct peer_parse *pp)
{
	if (c->have_last && memcmp(c->last.b, pp->p.public_key.b, sizeof(c->last.b)) == 0) {
		/* The continuation carries only more allowed IPs. */
		if (c->store)
			c->peers[c->n - 1].n_allowed_ips += pp->n_ips;
		return 0;
	}
	if (c->n >= c->max_peers) {
		c->err = ENOSPC;
		return -1;
	}
	if (c->store) {
		c->peers[c->n] = pp->p;
		c->peers[c->n].allowed_ips = NULL;
		c->peers[c->n].n_allowed_ips = pp->n_ips;
	}
	c->n++;
	c->last = pp->p.public_key;
	c->have_last = true;
	return 0;
}

static int peers_cb(const struct nlattr *attr, void *data)
{
	struct get_ctx *c = data;
	struct peer_parse pp = {};
	int ret = MNL_CB_ERROR;

	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
	    tunnel_nl_walk(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr), peer_attr_cb,
			   &pp) < 0 ||
	    !pp.has_public_key)
		goto out;
	if (peer_commit(c, &pp) < 0)
		goto out;
	ret = MNL_CB_OK;
out:
	explicit_bzero(&pp, sizeof(pp)); /* the preshared key */
	return ret;
}

static int device_attr_cb(const struct nlattr *attr, void *data)
{
	struct get_ctx *c = data;
	struct tunnel_wg_key k;
	const char *name;
	size_t n;

	switch (mnl_attr_get_type(attr)) {
	case WGDEVICE_A_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		name = mnl_attr_get_str(attr);
		n = strnlen(name, mnl_attr_get_payload_len(attr));
		if (n >= sizeof(c->dev->name))
			return MNL_CB_ERROR;
		if (c->store) {
			memcpy(c->dev->name, name, n);
			c->dev->name[n] = '\0';
		}
		break;
	case WGDEVICE_A_PRIVATE_KEY:
		/* Only whether there is one: the key itself stays in the kernel. */
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(k.b)) < 0)
			return MNL_CB_ERROR;
		memcpy(k.b, mnl_attr_get_payload(attr), sizeof(k.b));
		if (c->store)
			c->dev->has_private_key = !key_is_zero(&k);
		explicit_bzero(&k, sizeof(k));
		break;
	case WGDEVICE_A_PUBLIC_KEY:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(k.b)) < 0)
			return MNL_CB_ERROR;
		if (c->store)
			memcpy(c->dev->public_key.b, mnl_attr_get_payload(attr), sizeof(k.b));
		break;
	case WGDEVICE_A_LISTEN_PORT:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		if (c->store)
			c->dev->listen_port = mnl_attr_get_u16(attr);
		break;
	case WGDEVICE_A_FWMARK:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		if (c->store)
			c->dev->fwmark = mnl_attr_get_u32(attr);
		break;
	case WGDEVICE_A_IFINDEX:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	case WGDEVICE_A_PEERS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    tunnel_nl_walk(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr),
				   peers_cb, c) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int get_pass(const struct nlmsghdr *nlh, size_t hdrlen, struct get_ctx *c)
{
	return tunnel_nl_walk((const char *)nlh + hdrlen, nlh->nlmsg_len - hdrlen, device_attr_cb,
			      c);
}

int tunnel_wg_parse_get(const struct nlmsghdr *nlh, struct tunnel_wg_device *dev,
			struct tunnel_wg_peer_spec *peers, size_t max_peers, size_t *n_peers)
{
	struct get_ctx c = {
		.dev = dev,
		.peers = peers,
		.max_peers = max_peers,
		.err = EBADMSG,
	};
	const struct genlmsghdr *genl;
	size_t hdrlen;

	if (!nlh || !dev || !n_peers || *n_peers > max_peers || (max_peers && !peers)) {
		errno = EINVAL;
		return -1;
	}
	genl = genl_header(nlh, &hdrlen);
	if (!genl || genl->cmd != WG_CMD_GET_DEVICE) {
		errno = EBADMSG;
		return -1;
	}
	c.n = *n_peers;
	if (c.n > 0) {
		c.last = peers[c.n - 1].public_key;
		c.have_last = true;
	}
	if (get_pass(nlh, hdrlen, &c) < 0) {
		errno = c.err;
		return -1;
	}

	/* Checked: now write it out. */
	c.store = true;
	c.n = *n_peers;
	c.have_last = c.n > 0;
	if (c.have_last)
		c.last = peers[c.n - 1].public_key;
	if (get_pass(nlh, hdrlen, &c) < 0) {
		errno = c.err; /* cannot happen: the first pass saw the same bytes */
		return -1;
	}
	*n_peers = c.n;
	dev->peers = peers;
	dev->n_peers = c.n;
	return 0;
}
