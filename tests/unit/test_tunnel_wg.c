// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * Tests of core/tunnel_wg.c: base64 keys, key files, and the generic
 * netlink messages, decoded here by a walk of their own (libmnl).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include "tunnel_wg.h"

#define BUFSZ 16384
static uint32_t buf32[BUFSZ / 4];
#define BUF	  ((void *)buf32)
#define GENL_HDR  (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)))
#define WG_FAMILY 0x1b

/* Base64. */

static const char zero_b64[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

static void test_b64_vectors(void **state)
{
	/* RFC 4648's vectors "foobar" and "fo", made a 32-byte key. */
	static const char fo_b64[] = "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8=";
	static const char fo[] = "foobarfoobarfoobarfoobarfoobarfo";
	/* All ones: the last character carries 4 bits and two zero pad bits. */
	static const char ff_b64[] = "//////////////////////////////////////////8=";
	struct tunnel_wg_key key;
	char out[TUNNEL_WG_KEY_B64_LEN + 1];

	(void)state;
	memset(&key, 0x55, sizeof(key));
	assert_true(tunnel_wg_key_from_base64(&key, zero_b64));
	for (size_t i = 0; i < sizeof(key.b); i++)
		assert_int_equal(key.b[i], 0);
	tunnel_wg_key_to_base64(out, &key);
	assert_string_equal(out, zero_b64);

	assert_true(tunnel_wg_key_from_base64(&key, fo_b64));
	assert_memory_equal(key.b, fo, 32);
	tunnel_wg_key_to_base64(out, &key);
	assert_string_equal(out, fo_b64);

	memset(key.b, 0xff, sizeof(key.b));
	tunnel_wg_key_to_base64(out, &key);
	assert_string_equal(out, ff_b64);
	memset(&key, 0, sizeof(key));
	assert_true(tunnel_wg_key_from_base64(&key, ff_b64));
	for (size_t i = 0; i < sizeof(key.b); i++)
		assert_int_equal(key.b[i], 0xff);

	/* The RFC's own vectors are not 32-byte keys. */
	static const char *const rfc[] = { "",	       "Zg==",	   "Zm8=",    "Zm9v",
					   "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };

	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		assert_false(tunnel_wg_key_from_base64(&key, rfc[i]));
}

static uint32_t prng_state = 88172645u;

static uint32_t prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 17;
	prng_state ^= prng_state << 5;
	return prng_state;
}

static void random_key(struct tunnel_wg_key *key)
{
	for (size_t i = 0; i < sizeof(key->b); i++)
		key->b[i] = (uint8_t)prng();
}

static void test_b64_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		struct tunnel_wg_key key, back;
		char out[TUNNEL_WG_KEY_B64_LEN + 1];

		random_key(&key);
		memset(out, 'x', sizeof(out));
		tunnel_wg_key_to_base64(out, &key);
		assert_int_equal(strlen(out), TUNNEL_WG_KEY_B64_LEN);
		assert_int_equal(out[43], '=');
		assert_true(tunnel_wg_key_from_base64(&back, out));
		assert_memory_equal(key.b, back.b, sizeof(key.b));
	}
}

static void expect_rejected(const char *b64)
{
	struct tunnel_wg_key key;

	memset(&key, 0xa5, sizeof(key));
	assert_false(tunnel_wg_key_from_base64(&key, b64));
	/* A refused key leaves the output alone. */
	for (size_t i = 0; i < sizeof(key.b); i++)
		assert_int_equal(key.b[i], 0xa5);
}

static void test_b64_rejected(void **state)
{
	char s[64];

	(void)state;
	expect_rejected(NULL);
	assert_false(tunnel_wg_key_from_base64(NULL, zero_b64));
	/* Wrong lengths. */
	expect_rejected("");
	expect_rejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");	   /* 43 */
	expect_rejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");  /* 45 */
	expect_rejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"); /* trailing newline */
	expect_rejected(" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	/* Padding: missing, doubled, inside. */
	expect_rejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	expect_rejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==");
	expect_rejected("AAAA=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	/* Non-zero pad bits in the last character: not the canonical encoding. */
	for (const char *c = "BCDEFGHIJKLMNOPRSTUVWXYZ"; *c; c++) {
		strcpy(s, zero_b64);
		s[42] = *c;
		if ((strchr("AEIMQUYcgkosw048", *c)) == NULL)
			expect_rejected(s);
	}
	strcpy(s, zero_b64);
	s[42] = 'E'; /* pad bits 00: fine */
	assert_true(tunnel_wg_key_from_base64(&(struct tunnel_wg_key){ 0 }, s));
	/* Characters outside the alphabet, at every position, including the
	 * neighbours of each of its ranges and URL-safe base64's. */
	static const char bad[] = "@[`{/+-_.:*,= \t\n\x7f\x80\xff";

	for (size_t pos = 0; pos < 43; pos++) {
		for (const char *c = bad; *c; c++) {
			if ((*c == '/' || *c == '+'))
				continue; /* in the alphabet: tested below */
			strcpy(s, zero_b64);
			s[pos] = *c;
			expect_rejected(s);
		}
	}
	/* Every byte at one position: exactly the 64 alphabet characters pass. */
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (int c = 1; c < 256; c++) {
		struct tunnel_wg_key key;

		strcpy(s, zero_b64);
		s[5] = (char)c;
		assert_int_equal(tunnel_wg_key_from_base64(&key, s), strchr(alphabet, c) != NULL);
	}
}

static void test_key_wipe(void **state)
{
	struct tunnel_wg_key key;

	(void)state;
	memset(&key, 0x77, sizeof(key));
	tunnel_wg_key_wipe(&key);
	for (size_t i = 0; i < sizeof(key.b); i++)
		assert_int_equal(key.b[i], 0);
	tunnel_wg_key_wipe(NULL);
}

/* Key files. */

static char tmpdir[64];
static const char key_b64[] = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

static int setup_dir(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/tunnel-wg-test-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *make_file(const char *name, const char *content, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void expect_key_ok(const char *path, const struct tunnel_wg_key *want)
{
	uid_t me = getuid();
	struct tunnel_wg_key key;
	char err[256] = "untouched";

	memset(&key, 0, sizeof(key));
	assert_int_equal(tunnel_wg_key_file_read(path, &me, 1, &key, err, sizeof(err)), 0);
	assert_memory_equal(key.b, want->b, sizeof(key.b));
	assert_string_equal(err, "");
}

/* Refused, with errno e, a sentence holding @why, and nothing of the key. */
static void expect_key_refused(const char *path, const uid_t *ids, size_t n, int e, const char *why)
{
	struct tunnel_wg_key key;
	char err[512];

	memset(&key, 0x3c, sizeof(key));
	errno = 0;
	assert_int_equal(tunnel_wg_key_file_read(path, ids, n, &key, err, sizeof(err)), -1);
	assert_int_equal(errno, e);
	if (!strstr(err, why))
		fail_msg("'%s' does not say '%s'", err, why);
	assert_non_null(strstr(err, path));
	/* The key, or any long piece of it, never reaches the text. */
	for (size_t i = 0; i + 8 <= sizeof(key_b64) - 1; i++) {
		char piece[9];

		memcpy(piece, key_b64 + i, 8);
		piece[8] = '\0';
		assert_null(strstr(err, piece));
	}
	for (size_t i = 0; i < sizeof(key.b); i++)
		assert_int_equal(key.b[i], 0x3c);
	/* Without an error buffer too. */
	errno = 0;
	assert_int_equal(tunnel_wg_key_file_read(path, ids, n, &key, NULL, 0), -1);
	assert_int_equal(errno, e);
}

static void test_key_file(void **state)
{
	uid_t me = getuid(), other = getuid() + 1;
	uid_t list[3] = { 12345, getuid(), 0 };
	struct tunnel_wg_key want, key;
	char line[64], path2[160];
	const char *path;

	(void)state;
	assert_true(tunnel_wg_key_from_base64(&want, key_b64));
	snprintf(line, sizeof(line), "%s\n", key_b64);

	/* As 'wg genkey > f' writes it, with or without the newline; 0600 or 0400. */
	expect_key_ok(make_file("ok", line, 0600), &want);
	expect_key_ok(make_file("ok-nonl", key_b64, 0600), &want);
	expect_key_ok(make_file("ok-ro", line, 0400), &want);
	path = make_file("ok-list", line, 0600);
	assert_int_equal(tunnel_wg_key_file_read(path, list, 3, &key, NULL, 0), 0);
	assert_memory_equal(key.b, want.b, sizeof(key.b));

	/* Group or others may do anything with it: refused. */
	expect_key_refused(make_file("g-r", line, 0640), &me, 1, EPERM,
			   "is readable by group or others (mode 0640)");
	expect_key_refused(make_file("o-r", line, 0604), &me, 1, EPERM,
			   "is readable by group or others (mode 0604)");
	expect_key_refused(make_file("go-r", line, 0644), &me, 1, EPERM,
			   "is readable by group or others");
	expect_key_refused(make_file("g-w", line, 0620), &me, 1, EPERM,
			   "is writable by group or others");
	expect_key_refused(make_file("o-x", line, 0601), &me, 1, EPERM,
			   "is accessible by group or others");

	/* Its owner must be allowed. */
	expect_key_refused(make_file("owner", line, 0600), &other, 1, EPERM, "is owned by uid");
	expect_key_refused(make_file("owner0", line, 0600), NULL, 0, EPERM, "is owned by uid");

	/* Not a regular file. */
	path = make_file("target", line, 0600);
	snprintf(path2, sizeof(path2), "%s/link", tmpdir);
	assert_int_equal(symlink(path, path2), 0);
	expect_key_refused(path2, &me, 1, ELOOP, "is a symbolic link");
	snprintf(path2, sizeof(path2), "%s/dir", tmpdir);
	assert_int_equal(mkdir(path2, 0700), 0);
	expect_key_refused(path2, &me, 1, EINVAL, "is not a regular file");
	snprintf(path2, sizeof(path2), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path2, 0600), 0);
	expect_key_refused(path2, &me, 1, EINVAL, "is not a regular file"); /* and no hang */
	expect_key_refused("/dev/null", &me, 1, EINVAL, "is not a regular file");

	/* Not a key. */
	static const char *const bad[] = {
		"",
		"\n",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\r\n",
		" yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= ",
		"yAnz5TF-lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
		"[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[16];

		snprintf(name, sizeof(name), "bad%zu", i);
		expect_key_refused(make_file(name, bad[i], 0600), &me, 1, EINVAL,
				   "does not hold a WireGuard key");
	}

	/* Missing. */
	snprintf(path2, sizeof(path2), "%s/missing", tmpdir);
	expect_key_refused(path2, &me, 1, ENOENT, "Cannot open key file");
	assert_int_equal(tunnel_wg_key_file_read(NULL, &me, 1, &key, line, sizeof(line)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tunnel_wg_key_file_read(path, &me, 1, NULL, line, sizeof(line)), -1);
	assert_int_equal(errno, EINVAL);
}

/* Generic netlink. */

struct attrs {
	const struct nlattr *tb[32];
	int count[32];
	int n;
	size_t bytes;
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	uint16_t t = mnl_attr_get_type(attr);

	assert_true(t < 32);
	a->tb[t] = attr;
	a->count[t]++;
	a->n++;
	a->bytes += MNL_ALIGN(attr->nla_len);
	return MNL_CB_OK;
}

static void collect(const struct nlmsghdr *nlh, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, a), MNL_CB_OK);
	assert_int_equal(a->bytes, nlh->nlmsg_len - GENL_HDR);
	for (int i = 0; i < 32; i++)
		assert_true(a->count[i] <= 1);
}

static void collect_nested(const struct nlattr *nest, struct attrs *a)
{
	assert_non_null(nest);
	/* The kernel's nla_parse_nested() refuses a nest without the flag. */
	assert_true(nest->nla_type & NLA_F_NESTED);
	memset(a, 0, sizeof(*a));
	assert_int_equal(mnl_attr_parse_nested(nest, collect_cb, a), MNL_CB_OK);
	assert_int_equal(a->bytes, mnl_attr_get_payload_len(nest));
	for (int i = 0; i < 32; i++)
		assert_true(a->count[i] <= 1);
}

/* A nest's entries, in order (their types are all 0). */
static int list_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr ***p = data;

	*(*p)++ = attr;
	return MNL_CB_OK;
}

static size_t list_nested(const struct nlattr *nest, const struct nlattr **out)
{
	const struct nlattr **p = out;

	assert_non_null(nest);
	assert_true(nest->nla_type & NLA_F_NESTED);
	assert_int_equal(mnl_attr_parse_nested(nest, list_cb, &p), MNL_CB_OK);
	return (size_t)(p - out);
}

static void expect_bytes(const struct nlattr *a, const void *bytes, size_t n)
{
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), n);
	assert_memory_equal(mnl_attr_get_payload(a), bytes, n);
}

static void expect_u8(const struct nlattr *a, uint8_t v)
{
	expect_bytes(a, &v, 1);
}

static void expect_u16(const struct nlattr *a, uint16_t v)
{
	expect_bytes(a, &v, 2);
}

static void expect_u32(const struct nlattr *a, uint32_t v)
{
	expect_bytes(a, &v, 4);
}

static void expect_str(const struct nlattr *a, const char *s)
{
	expect_bytes(a, s, strlen(s) + 1);
}

static void check_genl(const struct nlmsghdr *nlh, uint16_t type, uint16_t flags, uint32_t seq,
		       uint8_t cmd, uint8_t version)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, flags);
	assert_int_equal(nlh->nlmsg_seq, seq);
	assert_int_equal(g->cmd, cmd);
	assert_int_equal(g->version, version);
	assert_int_equal(g->reserved, 0);
}

static void test_getfamily(void **state)
{
	struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = tunnel_wg_build_getfamily(BUF, BUFSZ, 8);
	assert_non_null(nlh);
	check_genl(nlh, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 8, CTRL_CMD_GETFAMILY, 1);
	collect(nlh, &a);
	assert_int_equal(a.n, 1);
	expect_str(a.tb[CTRL_ATTR_FAMILY_NAME], "wireguard");
	assert_null(tunnel_wg_build_getfamily(BUF, GENL_HDR + 8, 8));
	assert_int_equal(errno, EMSGSIZE);
}

/* A CTRL_CMD_NEWFAMILY reply as the kernel sends it. */
static struct nlmsghdr *family_reply(const char *name, bool with_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(BUF);
	struct genlmsghdr *g;
	struct nlattr *ops, *op;

	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	g->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (with_id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, WG_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 8);
	ops = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	op = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, WG_CMD_GET_DEVICE);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_FLAGS, 0x1c);
	mnl_attr_nest_end(nlh, op);
	mnl_attr_nest_end(nlh, ops);
	return nlh;
}

static void test_parse_family(void **state)
{
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(tunnel_wg_parse_family(family_reply("wireguard", true)), WG_FAMILY);
	assert_int_equal(tunnel_wg_parse_family(family_reply("nl80211", true)), 0);
	assert_int_equal(tunnel_wg_parse_family(family_reply("wireguard", false)), 0);
	assert_int_equal(tunnel_wg_parse_family(NULL), 0);
	nlh = family_reply("wireguard", true);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = CTRL_CMD_GETFAMILY;
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
	nlh = family_reply("wireguard", true);
	nlh->nlmsg_type = WG_FAMILY;
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
	nlh = family_reply("wireguard", true);
	nlh->nlmsg_len = GENL_HDR - 1;
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
	nlh = family_reply("wireguard", true);
	nlh->nlmsg_len -= 4; /* the last nest overruns */
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
	nlh = family_reply("wireguard", false);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, WG_FAMILY); /* wrong size */
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
	nlh = family_reply("wireguard", true);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 9, "wireguard"); /* no NUL */
	assert_int_equal(tunnel_wg_parse_family(nlh), 0);
}

static void test_build_get(void **state)
{
	struct nlmsghdr *nlh;
	struct attrs a;

	(void)state;
	nlh = tunnel_wg_build_get(BUF, BUFSZ, 4, WG_FAMILY, "wg0");
	assert_non_null(nlh);
	check_genl(nlh, WG_FAMILY, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 4, WG_CMD_GET_DEVICE,
		   WG_GENL_VERSION);
	collect(nlh, &a);
	assert_int_equal(a.n, 1);
	expect_str(a.tb[WGDEVICE_A_IFNAME], "wg0");
	assert_null(tunnel_wg_build_get(BUF, BUFSZ, 4, WG_FAMILY, "sixteen-chars-xx"));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_get(BUF, BUFSZ, 4, WG_FAMILY, ""));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_get(BUF, BUFSZ, 4, WG_FAMILY, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_get(BUF, BUFSZ, 4, 0, "wg0"));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_get(BUF, GENL_HDR + 4, 4, WG_FAMILY, "wg0"));
	assert_int_equal(errno, EMSGSIZE);
}

/* WG_CMD_SET_DEVICE. */

static struct tunnel_ip ip4(const char *s)
{
	struct tunnel_ip ip = { .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, s, &ip.u.v4), 1);
	return ip;
}

static struct tunnel_ip ip6(const char *s)
{
	struct tunnel_ip ip = { .family = AF_INET6 };

	assert_int_equal(inet_pton(AF_INET6, s, &ip.u.v6), 1);
	return ip;
}

static void fill_key(struct tunnel_wg_key *k, uint8_t v)
{
	for (size_t i = 0; i < sizeof(k->b); i++)
		k->b[i] = (uint8_t)(v + i);
}

static struct tunnel_wg_allowed_ip aips1[2], aips2[2];
static struct tunnel_wg_peer_spec two_peers[2];

static struct tunnel_wg_device two_peer_device(void)
{
	struct tunnel_wg_device dev = {
		.name = "wg-x",
		.has_private_key = true,
		.listen_port = 51820,
		.fwmark = 0x00c0ffee,
		.peers = two_peers,
		.n_peers = 2,
	};

	fill_key(&dev.private_key, 0x10);
	aips1[0] = (struct tunnel_wg_allowed_ip){ .ip = ip4("10.1.0.0"), .cidr = 16 };
	aips1[1] = (struct tunnel_wg_allowed_ip){ .ip = ip6("fd00:1::"), .cidr = 64 };
	aips2[0] = (struct tunnel_wg_allowed_ip){ .ip = ip6("fd00:2::1"), .cidr = 128 };
	aips2[1] = (struct tunnel_wg_allowed_ip){ .ip = ip4("0.0.0.0"), .cidr = 0 };
	memset(two_peers, 0, sizeof(two_peers));
	fill_key(&two_peers[0].public_key, 0x40);
	two_peers[0].has_psk = true;
	fill_key(&two_peers[0].psk, 0x80);
	two_peers[0].endpoint = ip4("192.0.2.7");
	two_peers[0].endpoint_port = 51821;
	two_peers[0].keepalive_s = 25;
	two_peers[0].allowed_ips = aips1;
	two_peers[0].n_allowed_ips = 2;
	fill_key(&two_peers[1].public_key, 0x60);
	two_peers[1].endpoint = ip6("2001:db8::7");
	two_peers[1].endpoint_port = 4500;
	two_peers[1].allowed_ips = aips2;
	two_peers[1].n_allowed_ips = 2;
	return dev;
}

static void check_allowed_ip(const struct nlattr *nest, const struct tunnel_wg_allowed_ip *want)
{
	struct attrs a;

	collect_nested(nest, &a);
	assert_int_equal(a.n, 3);
	expect_u16(a.tb[WGALLOWEDIP_A_FAMILY], (uint16_t)want->ip.family);
	expect_bytes(a.tb[WGALLOWEDIP_A_IPADDR], &want->ip.u, want->ip.family == AF_INET ? 4 : 16);
	expect_u8(a.tb[WGALLOWEDIP_A_CIDR_MASK], want->cidr);
}

static void test_set_two_peers(void **state)
{
	struct tunnel_wg_device dev = two_peer_device();
	const struct nlattr *peers[4], *ips[4];
	struct attrs a, p;
	struct nlmsghdr *nlh;
	size_t cursor = 0;

	(void)state;
	nlh = tunnel_wg_build_set(BUF, BUFSZ, 77, WG_FAMILY, &dev, &cursor);
	assert_non_null(nlh);
	check_genl(nlh, WG_FAMILY, NLM_F_REQUEST | NLM_F_ACK, 77, WG_CMD_SET_DEVICE,
		   WG_GENL_VERSION);
	collect(nlh, &a);
	assert_int_equal(a.n, 6);
	expect_str(a.tb[WGDEVICE_A_IFNAME], "wg-x");
	expect_bytes(a.tb[WGDEVICE_A_PRIVATE_KEY], dev.private_key.b, 32);
	expect_u16(a.tb[WGDEVICE_A_LISTEN_PORT], 51820);
	expect_u32(a.tb[WGDEVICE_A_FWMARK], 0x00c0ffee);
	expect_u32(a.tb[WGDEVICE_A_FLAGS], WGDEVICE_F_REPLACE_PEERS);
	assert_int_equal(list_nested(a.tb[WGDEVICE_A_PEERS], peers), 2);

	/* Peer 1: preshared key, IPv4 endpoint, keepalive. */
	{
		static const uint8_t port_be[2] = { 0xca, 0x6d }; /* 51821 */
		static const uint8_t addr[4] = { 192, 0, 2, 7 };
		struct sockaddr_in sin;

		collect_nested(peers[0], &p);
		assert_int_equal(p.n, 6);
		expect_bytes(p.tb[WGPEER_A_PUBLIC_KEY], two_peers[0].public_key.b, 32);
		expect_bytes(p.tb[WGPEER_A_PRESHARED_KEY], two_peers[0].psk.b, 32);
		assert_int_equal(mnl_attr_get_payload_len(p.tb[WGPEER_A_ENDPOINT]), sizeof(sin));
		memcpy(&sin, mnl_attr_get_payload(p.tb[WGPEER_A_ENDPOINT]), sizeof(sin));
		assert_int_equal(sin.sin_family, AF_INET);
		assert_memory_equal(&sin.sin_port, port_be, 2);
		assert_memory_equal(&sin.sin_addr, addr, 4);
		expect_u16(p.tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL], 25);
		expect_u32(p.tb[WGPEER_A_FLAGS], WGPEER_F_REPLACE_ALLOWEDIPS);
		assert_int_equal(list_nested(p.tb[WGPEER_A_ALLOWEDIPS], ips), 2);
		check_allowed_ip(ips[0], &aips1[0]);
		check_allowed_ip(ips[1], &aips1[1]);
	}
	/* Peer 2: no preshared key, IPv6 endpoint, keepalive off. */
	{
		struct sockaddr_in6 sin6;

		collect_nested(peers[1], &p);
		assert_int_equal(p.n, 5);
		expect_bytes(p.tb[WGPEER_A_PUBLIC_KEY], two_peers[1].public_key.b, 32);
		assert_null(p.tb[WGPEER_A_PRESHARED_KEY]);
		assert_int_equal(mnl_attr_get_payload_len(p.tb[WGPEER_A_ENDPOINT]), sizeof(sin6));
		memcpy(&sin6, mnl_attr_get_payload(p.tb[WGPEER_A_ENDPOINT]), sizeof(sin6));
		assert_int_equal(sin6.sin6_family, AF_INET6);
		assert_int_equal(ntohs(sin6.sin6_port), 4500);
		assert_memory_equal(&sin6.sin6_addr, &two_peers[1].endpoint.u.v6, 16);
		assert_int_equal(sin6.sin6_flowinfo, 0);
		assert_int_equal(sin6.sin6_scope_id, 0);
		expect_u16(p.tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL], 0);
		expect_u32(p.tb[WGPEER_A_FLAGS], WGPEER_F_REPLACE_ALLOWEDIPS);
		assert_int_equal(list_nested(p.tb[WGPEER_A_ALLOWEDIPS], ips), 2);
		check_allowed_ip(ips[0], &aips2[0]);
		check_allowed_ip(ips[1], &aips2[1]);
	}
	/* That was all. */
	errno = EIO;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 78, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, 0);
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 78, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, 0);
}

static void test_set_minimal(void **state)
{
	struct tunnel_wg_device dev = two_peer_device();
	const struct nlattr *peers[4];
	struct attrs a, p;
	struct nlmsghdr *nlh;
	size_t cursor = 0;

	(void)state;
	/* No private key: left as it is; a peer without endpoint or allowed IPs. */
	dev.has_private_key = false;
	dev.listen_port = 0;
	dev.fwmark = 0;
	dev.n_peers = 1;
	two_peers[0].has_psk = false;
	two_peers[0].endpoint.family = 0;
	two_peers[0].n_allowed_ips = 0;
	two_peers[0].allowed_ips = NULL;
	nlh = tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor);
	assert_non_null(nlh);
	collect(nlh, &a);
	assert_int_equal(a.n, 5);
	assert_null(a.tb[WGDEVICE_A_PRIVATE_KEY]);
	expect_u16(a.tb[WGDEVICE_A_LISTEN_PORT], 0);
	expect_u32(a.tb[WGDEVICE_A_FWMARK], 0);
	expect_u32(a.tb[WGDEVICE_A_FLAGS], WGDEVICE_F_REPLACE_PEERS);
	assert_int_equal(list_nested(a.tb[WGDEVICE_A_PEERS], peers), 1);
	collect_nested(peers[0], &p);
	assert_int_equal(p.n, 3);
	expect_bytes(p.tb[WGPEER_A_PUBLIC_KEY], two_peers[0].public_key.b, 32);
	expect_u16(p.tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL], 25);
	/* Replacing with none clears them. */
	expect_u32(p.tb[WGPEER_A_FLAGS], WGPEER_F_REPLACE_ALLOWEDIPS);
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 2, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, 0);

	/* No peers: the set is emptied. */
	dev.n_peers = 0;
	cursor = 0;
	nlh = tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor);
	assert_non_null(nlh);
	collect(nlh, &a);
	assert_int_equal(a.n, 4);
	assert_null(a.tb[WGDEVICE_A_PEERS]);
	expect_u32(a.tb[WGDEVICE_A_FLAGS], WGDEVICE_F_REPLACE_PEERS);
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 2, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, 0);
}

static void test_set_invalid(void **state)
{
	struct tunnel_wg_device dev;
	size_t cursor = 0;

	(void)state;
	dev = two_peer_device();
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, NULL, &cursor));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, 0, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev.name[0] = '\0';
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	aips2[1].cidr = 33;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	aips1[1].cidr = 129;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	aips1[0].ip.family = 0;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	two_peers[1].endpoint.family = AF_UNIX;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	two_peers[1].allowed_ips = NULL;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	dev = two_peer_device();
	dev.peers = NULL;
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	/* A cursor past the end. */
	dev = two_peer_device();
	cursor = 8; /* 1 + 6 items is the end */
	assert_null(tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(cursor, 8);
}

/* The messages of a split device, decoded and checked against the device. */
struct split_seen {
	size_t *ips_seen;   /* per peer: allowed IPs received so far */
	bool *peer_started; /* per peer: its first part was seen */
	size_t messages;
};

static size_t peer_index(const struct tunnel_wg_device *dev, const struct nlattr *key)
{
	assert_int_equal(mnl_attr_get_payload_len(key), 32);
	for (size_t i = 0; i < dev->n_peers; i++)
		if (memcmp(mnl_attr_get_payload(key), dev->peers[i].public_key.b, 32) == 0)
			return i;
	fail_msg("unknown public key");
	return 0;
}

static void check_split_message(const struct tunnel_wg_device *dev, const struct nlmsghdr *nlh,
				size_t buflen, struct split_seen *seen)
{
	static const struct nlattr *peers[4096], *ips[4096];
	bool first = seen->messages == 0;
	struct attrs a, p;
	size_t n;

	assert_true(nlh->nlmsg_len <= buflen);
	check_genl(nlh, WG_FAMILY, NLM_F_REQUEST | NLM_F_ACK, (uint32_t)(100 + seen->messages),
		   WG_CMD_SET_DEVICE, WG_GENL_VERSION);
	collect(nlh, &a);
	expect_str(a.tb[WGDEVICE_A_IFNAME], dev->name);
	/* The device's own attributes, and the replacing of the peers, come first only. */
	if (first) {
		expect_u32(a.tb[WGDEVICE_A_FLAGS], WGDEVICE_F_REPLACE_PEERS);
		assert_non_null(a.tb[WGDEVICE_A_PRIVATE_KEY]);
		assert_non_null(a.tb[WGDEVICE_A_LISTEN_PORT]);
		assert_non_null(a.tb[WGDEVICE_A_FWMARK]);
	} else {
		assert_null(a.tb[WGDEVICE_A_FLAGS]);
		assert_null(a.tb[WGDEVICE_A_PRIVATE_KEY]);
		assert_null(a.tb[WGDEVICE_A_LISTEN_PORT]);
		assert_null(a.tb[WGDEVICE_A_FWMARK]);
		assert_non_null(a.tb[WGDEVICE_A_PEERS]);
	}
	seen->messages++;
	if (!a.tb[WGDEVICE_A_PEERS])
		return;
	n = list_nested(a.tb[WGDEVICE_A_PEERS], peers);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		size_t pi, k;

		collect_nested(peers[i], &p);
		pi = peer_index(dev, p.tb[WGPEER_A_PUBLIC_KEY]);
		if (!seen->peer_started[pi]) {
			/* A peer's first part: its settings, replacing its allowed IPs. */
			assert_int_equal(seen->ips_seen[pi], 0);
			expect_u32(p.tb[WGPEER_A_FLAGS], WGPEER_F_REPLACE_ALLOWEDIPS);
			expect_u16(p.tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL],
				   dev->peers[pi].keepalive_s);
			assert_non_null(p.tb[WGPEER_A_ENDPOINT]);
			assert_int_equal(p.tb[WGPEER_A_PRESHARED_KEY] != NULL,
					 dev->peers[pi].has_psk);
			seen->peer_started[pi] = true;
		} else {
			/* A continuation: its key and more allowed IPs, nothing else. */
			assert_null(p.tb[WGPEER_A_FLAGS]);
			assert_null(p.tb[WGPEER_A_ENDPOINT]);
			assert_null(p.tb[WGPEER_A_PRESHARED_KEY]);
			assert_null(p.tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]);
			assert_non_null(p.tb[WGPEER_A_ALLOWEDIPS]);
			/* ... and only right after its previous part. */
			assert_true(i == 0);
		}
		if (!p.tb[WGPEER_A_ALLOWEDIPS])
			continue;
		k = list_nested(p.tb[WGPEER_A_ALLOWEDIPS], ips);
		assert_true(k > 0);
		for (size_t j = 0; j < k; j++) {
			size_t at = seen->ips_seen[pi]++;

			assert_true(at < dev->peers[pi].n_allowed_ips);
			check_allowed_ip(ips[j], &dev->peers[pi].allowed_ips[at]);
		}
	}
}

static void run_split(const struct tunnel_wg_device *dev, size_t buflen, size_t *messages)
{
	struct split_seen seen = {
		.ips_seen = calloc(dev->n_peers + 1, sizeof(size_t)),
		.peer_started = calloc(dev->n_peers + 1, sizeof(bool)),
	};
	size_t cursor = 0;
	struct nlmsghdr *nlh;

	assert_non_null(seen.ips_seen);
	assert_non_null(seen.peer_started);
	for (;;) {
		void *b = malloc(buflen); /* exactly buflen: ASan sees an overrun */

		assert_non_null(b);
		nlh = tunnel_wg_build_set(b, buflen, (uint32_t)(100 + seen.messages), WG_FAMILY,
					  dev, &cursor);
		if (!nlh) {
			assert_int_equal(errno, 0);
			free(b);
			break;
		}
		check_split_message(dev, nlh, buflen, &seen);
		free(b);
		assert_true(seen.messages < 100000);
	}
	/* Every peer and every allowed IP exactly once. */
	for (size_t i = 0; i < dev->n_peers; i++) {
		assert_true(seen.peer_started[i]);
		assert_int_equal(seen.ips_seen[i], dev->peers[i].n_allowed_ips);
	}
	*messages = seen.messages;
	free(seen.ips_seen);
	free(seen.peer_started);
}

static struct tunnel_wg_device big_device(size_t n_peers, size_t n_ips,
					  struct tunnel_wg_peer_spec **peers_out,
					  struct tunnel_wg_allowed_ip **ips_out)
{
	struct tunnel_wg_peer_spec *peers = calloc(n_peers, sizeof(*peers));
	struct tunnel_wg_allowed_ip *ips = calloc(n_peers * n_ips + 1, sizeof(*ips));
	struct tunnel_wg_device dev = {
		.name = "wg-big",
		.has_private_key = true,
		.listen_port = 1,
		.peers = peers,
		.n_peers = n_peers,
	};

	assert_non_null(peers);
	assert_non_null(ips);
	fill_key(&dev.private_key, 1);
	for (size_t i = 0; i < n_peers; i++) {
		struct tunnel_wg_peer_spec *p = &peers[i];

		random_key(&p->public_key);
		p->has_psk = i % 2;
		random_key(&p->psk);
		p->endpoint = i % 3 ? ip4("192.0.2.1") : ip6("2001:db8::1");
		p->endpoint.u.v4.s_addr ^= htonl((uint32_t)i);
		p->endpoint_port = (uint16_t)(1000 + i);
		p->keepalive_s = (uint16_t)(i % 30);
		p->allowed_ips = &ips[i * n_ips];
		p->n_allowed_ips = n_ips;
		for (size_t j = 0; j < n_ips; j++) {
			struct tunnel_wg_allowed_ip *a = &ips[i * n_ips + j];

			if (j % 2) {
				*a = (struct tunnel_wg_allowed_ip){ .ip = ip6("fd00::"),
								    .cidr = 112 };
				a->ip.u.v6.s6_addr[12] = (uint8_t)(i >> 8);
				a->ip.u.v6.s6_addr[13] = (uint8_t)i;
				a->ip.u.v6.s6_addr[14] = (uint8_t)j;
			} else {
				*a = (struct tunnel_wg_allowed_ip){ .ip = ip4("10.0.0.0"),
								    .cidr = 24 };
				a->ip.u.v4.s_addr = htonl(0x0a000000 | (uint32_t)(i << 12) |
							  (uint32_t)(j << 4));
			}
		}
	}
	*peers_out = peers;
	*ips_out = ips;
	return dev;
}

/* 300 peers of 10 allowed IPs into 4096-byte messages, as the brief asks; and more. */
static void test_set_split(void **state)
{
	struct tunnel_wg_peer_spec *peers;
	struct tunnel_wg_allowed_ip *ips;
	struct tunnel_wg_device dev;
	size_t messages;

	(void)state;
	dev = big_device(300, 10, &peers, &ips);
	run_split(&dev, 4096, &messages);
	assert_true(messages > 10);
	run_split(&dev, BUFSZ, &messages);
	assert_true(messages > 2);
	/* Small buffers cut most peers in pieces. */
	run_split(&dev, 512, &messages);
	assert_true(messages > 300);
	free(peers);
	free(ips);

	/* One peer with more allowed IPs than a message holds. */
	dev = big_device(3, 2000, &peers, &ips);
	run_split(&dev, 4096, &messages);
	assert_true(messages > 3);
	free(peers);
	free(ips);
}

/*
 * Every buffer size, from too small for anything up: messages that decode
 * as they should, then the end or EMSGSIZE; never a write past the buffer.
 */
static void test_set_buffer_sizes(void **state)
{
	struct tunnel_wg_device dev = two_peer_device();
	size_t full;

	(void)state;
	{
		size_t cursor = 0;

		full = tunnel_wg_build_set(BUF, BUFSZ, 1, WG_FAMILY, &dev, &cursor)->nlmsg_len;
	}
	for (size_t sz = 0; sz <= full; sz++) {
		size_t ips_seen[2] = { 0, 0 };
		bool started[2] = { false, false };
		struct split_seen seen = { .ips_seen = ips_seen, .peer_started = started };
		size_t cursor = 0;
		struct nlmsghdr *nlh;
		int ret_errno;

		for (;;) {
			void *b = malloc(sz ? sz : 1);

			nlh = tunnel_wg_build_set(b, sz, (uint32_t)(100 + seen.messages), WG_FAMILY,
						  &dev, &cursor);
			ret_errno = errno;
			if (nlh)
				check_split_message(&dev, nlh, sz, &seen);
			free(b);
			if (!nlh)
				break;
			assert_true(seen.messages < 100);
		}
		if (sz == full) {
			assert_int_equal(seen.messages, 1);
			assert_int_equal(ret_errno, 0);
		} else if (ret_errno == 0) {
			/* Done in pieces: only where a piece takes one allowed IP. */
			assert_true(seen.messages > 1);
			assert_int_equal(ips_seen[0], 2);
			assert_int_equal(ips_seen[1], 2);
		} else {
			assert_int_equal(ret_errno, EMSGSIZE);
		}
	}
	/* Room for the device, not for a peer: the first message, then EMSGSIZE. */
	{
		struct attrs a;
		size_t cursor = 0, sz = GENL_HDR + 12 + 36 + 8 + 8 + 8 + 8;
		struct nlmsghdr *nlh = tunnel_wg_build_set(BUF, sz, 1, WG_FAMILY, &dev, &cursor);

		assert_non_null(nlh);
		collect(nlh, &a);
		assert_null(a.tb[WGDEVICE_A_PEERS]);
		assert_null(tunnel_wg_build_set(BUF, sz, 2, WG_FAMILY, &dev, &cursor));
		assert_int_equal(errno, EMSGSIZE);
	}
}

/* WG_CMD_GET_DEVICE replies, built as the kernel's wg_get_device_dump() does. */

static struct nlmsghdr *get_reply_start(bool first, bool with_private)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(BUF);
	struct genlmsghdr *g;
	struct tunnel_wg_key k;

	nlh->nlmsg_type = WG_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = WG_CMD_GET_DEVICE;
	g->version = WG_GENL_VERSION;
	if (first) {
		mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, 51820);
		mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, 7);
		mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, 12);
		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "wg0");
		if (with_private) {
			fill_key(&k, 0x10);
			mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, 32, k.b);
			fill_key(&k, 0x20);
			mnl_attr_put(nlh, WGDEVICE_A_PUBLIC_KEY, 32, k.b);
		}
	}
	return nlh;
}

static void put_aip(struct nlmsghdr *nlh, int family, const char *addr, uint8_t cidr)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, 0);
	struct tunnel_ip ip = family == AF_INET ? ip4(addr) : ip6(addr);

	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, (uint16_t)family);
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, family == AF_INET ? 4 : 16, &ip.u);
	mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, cidr);
	mnl_attr_nest_end(nlh, n);
}

/* A peer's first part (its settings and n_ips allowed IPs) or a continuation. */
static void put_peer(struct nlmsghdr *nlh, uint8_t key, bool first, size_t n_ips)
{
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0), *ips;
	struct tunnel_wg_key k;

	fill_key(&k, key);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k.b);
	if (first) {
		int64_t ts[2] = { 1700000000, 123456789 };
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(4500) };

		fill_key(&k, (uint8_t)(key + 1));
		mnl_attr_put(nlh, WGPEER_A_PRESHARED_KEY, 32, k.b);
		mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), ts);
		mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
		mnl_attr_put_u64(nlh, WGPEER_A_TX_BYTES, 1000);
		mnl_attr_put_u64(nlh, WGPEER_A_RX_BYTES, 2000);
		mnl_attr_put_u32(nlh, WGPEER_A_PROTOCOL_VERSION, 1);
		sin6.sin6_addr = ip6("2001:db8::5").u.v6;
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(sin6), &sin6);
	}
	ips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	for (size_t i = 0; i < n_ips; i++)
		put_aip(nlh, i % 2 ? AF_INET6 : AF_INET, i % 2 ? "fd00::" : "10.0.0.0",
			(uint8_t)(i % 2 ? 64 : 8));
	mnl_attr_nest_end(nlh, ips);
	mnl_attr_nest_end(nlh, peer);
}

static void test_parse_get(void **state)
{
	struct tunnel_wg_peer_spec peers[4];
	struct tunnel_wg_device dev;
	struct tunnel_wg_key k;
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	size_t n = 0;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	memset(peers, 0, sizeof(peers));

	/* First message: the device, peer A whole, peer B cut after 3 allowed IPs. */
	nlh = get_reply_start(true, true);
	nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 0x40, true, 2);
	put_peer(nlh, 0x60, true, 3);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(dev.name, "wg0");
	assert_true(dev.has_private_key);
	/* The private key itself is never copied out. */
	for (size_t i = 0; i < 32; i++)
		assert_int_equal(dev.private_key.b[i], 0);
	fill_key(&k, 0x20);
	assert_memory_equal(dev.public_key.b, k.b, 32);
	assert_int_equal(dev.listen_port, 51820);
	assert_int_equal(dev.fwmark, 7);
	assert_ptr_equal(dev.peers, peers);
	assert_int_equal(dev.n_peers, 2);
	fill_key(&k, 0x40);
	assert_memory_equal(peers[0].public_key.b, k.b, 32);
	assert_true(peers[0].has_psk);
	fill_key(&k, 0x41);
	assert_memory_equal(peers[0].psk.b, k.b, 32);
	assert_int_equal(peers[0].endpoint.family, AF_INET6);
	{
		struct tunnel_ip ep = ip6("2001:db8::5");

		assert_memory_equal(&peers[0].endpoint.u.v6, &ep.u.v6, 16);
	}
	assert_int_equal(peers[0].endpoint_port, 4500);
	assert_int_equal(peers[0].keepalive_s, 25);
	assert_int_equal(peers[0].last_handshake_s, 1700000000);
	assert_int_equal(peers[0].rx_bytes, 2000);
	assert_int_equal(peers[0].tx_bytes, 1000);
	assert_null(peers[0].allowed_ips);
	assert_int_equal(peers[0].n_allowed_ips, 2);
	assert_int_equal(peers[1].n_allowed_ips, 3);

	/* Second message: B goes on (key and allowed IPs only), then C. */
	nlh = get_reply_start(false, false);
	nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 0x60, false, 4);
	put_peer(nlh, 0x70, true, 0);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(peers[1].n_allowed_ips, 7);
	assert_int_equal(peers[1].keepalive_s, 25); /* not reset by the continuation */
	assert_true(peers[1].has_psk);
	assert_int_equal(peers[2].n_allowed_ips, 0);
	/* The device's attributes stay those of the first message. */
	assert_string_equal(dev.name, "wg0");
	assert_int_equal(dev.listen_port, 51820);
	assert_int_equal(dev.n_peers, 3);

	/* A device without a private key; a peer with a zero preshared key. */
	memset(&dev, 0xff, sizeof(dev));
	memset(dev.private_key.b, 0, 32);
	n = 0;
	nlh = get_reply_start(true, false);
	{
		struct tunnel_wg_key zero = { { 0 } };

		mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, 32, zero.b);
		nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
		{
			struct nlattr *peer = mnl_attr_nest_start(nlh, 0);

			fill_key(&k, 1);
			mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k.b);
			mnl_attr_put(nlh, WGPEER_A_PRESHARED_KEY, 32, zero.b);
			mnl_attr_nest_end(nlh, peer);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 4, &n), 0);
	assert_false(dev.has_private_key);
	assert_int_equal(n, 1);
	assert_false(peers[0].has_psk);
	assert_int_equal(peers[0].endpoint.family, 0);
}

/* A malformed reply: -1 EBADMSG, and nothing written. */
static void expect_get_malformed(const struct nlmsghdr *nlh, int e)
{
	struct tunnel_wg_peer_spec peers[3], peers_before[3];
	struct tunnel_wg_device dev, dev_before;
	size_t n = 1;

	memset(&dev, 0x11, sizeof(dev));
	memset(peers, 0x22, sizeof(peers));
	fill_key(&peers[0].public_key, 0x99);
	memcpy(&dev_before, &dev, sizeof(dev));
	memcpy(peers_before, peers, sizeof(peers));
	errno = 0;
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 3, &n), -1);
	assert_int_equal(errno, e);
	assert_int_equal(n, 1);
	assert_memory_equal(&dev, &dev_before, sizeof(dev));
	assert_memory_equal(peers, peers_before, sizeof(peers));
}

/* A reply whose one peer carries one odd attribute. */
static struct nlmsghdr *reply_with_peer_attr(uint16_t type, const void *data, size_t len)
{
	struct nlmsghdr *nlh = get_reply_start(true, true);
	struct nlattr *nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0);
	struct tunnel_wg_key k;

	fill_key(&k, 0x50);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k.b);
	mnl_attr_put(nlh, type, len, data);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct nlmsghdr *reply_with_aip(uint16_t family, size_t addr_len, uint8_t cidr, bool all)
{
	struct nlmsghdr *nlh = get_reply_start(true, true);
	struct nlattr *nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0), *ips, *ip;
	static const uint8_t addr[16];
	struct tunnel_wg_key k;

	fill_key(&k, 0x50);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k.b);
	ips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	ip = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, family);
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, addr_len, addr);
	if (all)
		mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, cidr);
	mnl_attr_nest_end(nlh, ip);
	mnl_attr_nest_end(nlh, ips);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_parse_get_malformed(void **state)
{
	static const uint8_t z[64];
	struct tunnel_wg_peer_spec peers[3];
	struct tunnel_wg_device dev;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t n;

	(void)state;
	/* The reply itself. */
	nlh = get_reply_start(true, true);
	nlh->nlmsg_len = GENL_HDR - 1;
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = WG_CMD_SET_DEVICE;
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	nlh->nlmsg_len -= 4; /* the public key overruns */
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	mnl_attr_put(nlh, WGDEVICE_A_LISTEN_PORT, 4, z);
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, 31, z);
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	mnl_attr_put(nlh, WGDEVICE_A_PUBLIC_KEY, 33, z);
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "sixteen-chars-xx");
	expect_get_malformed(nlh, EBADMSG);
	nlh = get_reply_start(true, true);
	mnl_attr_put(nlh, WGDEVICE_A_IFNAME, 3, "wg0");
	expect_get_malformed(nlh, EBADMSG);

	/* A peer's attributes. */
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_PUBLIC_KEY, z, 31), EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_PRESHARED_KEY, z, 16), EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, z, 4),
			     EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_LAST_HANDSHAKE_TIME, z, 8), EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_RX_BYTES, z, 4), EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_TX_BYTES, z, 9), EBADMSG);
	expect_get_malformed(reply_with_peer_attr(WGPEER_A_ALLOWEDIPS, z, 2), EBADMSG);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET };
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
		struct sockaddr_in6 sin_long = { .sin6_family = AF_INET };

		/* An endpoint of the wrong size for its family, or of no family. */
		expect_get_malformed(reply_with_peer_attr(WGPEER_A_ENDPOINT, &sin_long,
							  sizeof(sin6)),
				     EBADMSG);
		expect_get_malformed(reply_with_peer_attr(WGPEER_A_ENDPOINT, &sin6, sizeof(sin)),
				     EBADMSG);
		expect_get_malformed(reply_with_peer_attr(WGPEER_A_ENDPOINT, &sin, 1), EBADMSG);
		sin.sin_family = AF_UNIX;
		expect_get_malformed(reply_with_peer_attr(WGPEER_A_ENDPOINT, &sin, sizeof(sin)),
				     EBADMSG);
	}
	/* A peer without its public key. */
	nlh = get_reply_start(true, true);
	nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	{
		struct nlattr *peer = mnl_attr_nest_start(nlh, 0);

		mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 1);
		mnl_attr_nest_end(nlh, peer);
	}
	mnl_attr_nest_end(nlh, nest);
	expect_get_malformed(nlh, EBADMSG);

	/* Allowed IPs: family and size must agree, the mask must fit, all are needed. */
	nlh = reply_with_aip(AF_INET, 4, 32, true);
	n = 0;
	memset(&dev, 0, sizeof(dev));
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 3, &n), 0);
	assert_int_equal(peers[0].n_allowed_ips, 1);
	expect_get_malformed(reply_with_aip(AF_INET, 4, 33, true), EBADMSG);
	expect_get_malformed(reply_with_aip(AF_INET6, 16, 129, true), EBADMSG);
	expect_get_malformed(reply_with_aip(AF_INET, 16, 8, true), EBADMSG);
	expect_get_malformed(reply_with_aip(AF_INET6, 4, 8, true), EBADMSG);
	expect_get_malformed(reply_with_aip(AF_UNIX, 4, 8, true), EBADMSG);
	expect_get_malformed(reply_with_aip(AF_INET, 4, 8, false), EBADMSG);

	/* A nest overrunning its parent, and bytes trailing inside a nest. */
	nlh = get_reply_start(true, true);
	nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	put_peer(nlh, 0x40, true, 2);
	mnl_attr_nest_end(nlh, nest);
	{
		struct nlattr *peer = (struct nlattr *)mnl_attr_get_payload(nest);

		peer->nla_len += 8;
		mnl_attr_put_u32(nlh, 200, 0);
		expect_get_malformed(nlh, EBADMSG);
		peer->nla_len -= 8;
		nest->nla_len += 4; /* the extra attribute's header, now inside PEERS */
		expect_get_malformed(nlh, EBADMSG);
	}

	/* More peers than room. */
	nlh = get_reply_start(true, true);
	nest = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	for (uint8_t i = 0; i < 3; i++)
		put_peer(nlh, (uint8_t)(0x10 * i), true, 1);
	mnl_attr_nest_end(nlh, nest);
	expect_get_malformed(nlh, ENOSPC); /* room for 2 after the one already there */

	/* Bad arguments. */
	n = 0;
	assert_int_equal(tunnel_wg_parse_get(NULL, &dev, peers, 3, &n), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tunnel_wg_parse_get(nlh, NULL, peers, 3, &n), -1);
	assert_int_equal(errno, EINVAL);
	n = 4;
	assert_int_equal(tunnel_wg_parse_get(nlh, &dev, peers, 3, &n), -1);
	assert_int_equal(errno, EINVAL);
}

/* Random damage to a good reply, parsed from an exactly sized heap copy. */
static void test_parse_get_fuzz(void **state)
{
	struct tunnel_wg_peer_spec peers[8];
	struct tunnel_wg_device dev;
	struct nlattr *nest;
	struct nlmsghdr *good;
	uint32_t len;

	(void)state;
	good = get_reply_start(true, true);
	nest = mnl_attr_nest_start(good, WGDEVICE_A_PEERS);
	put_peer(good, 0x40, true, 3);
	put_peer(good, 0x60, true, 2);
	mnl_attr_nest_end(good, nest);
	len = good->nlmsg_len;
	for (int round = 0; round < 20000; round++) {
		struct nlmsghdr *nlh = malloc(len);
		size_t n = 0;
		int ret;

		assert_non_null(nlh);
		memcpy(nlh, good, len);
		for (int flips = 1 + (int)(prng() % 4); flips > 0; flips--)
			((uint8_t *)nlh)[GENL_HDR + prng() % (len - GENL_HDR)] = (uint8_t)prng();
		if (round % 7 == 0)
			nlh->nlmsg_len = GENL_HDR + prng() % (len - GENL_HDR + 1);
		memset(&dev, 0, sizeof(dev));
		errno = 0;
		ret = tunnel_wg_parse_get(nlh, &dev, peers, 8, &n);
		assert_true(ret == 0 || ret == -1);
		if (ret < 0) {
			assert_true(errno == EBADMSG || errno == ENOSPC);
			assert_int_equal(n, 0);
		} else {
			assert_true(n <= 8);
			assert_true(strnlen(dev.name, sizeof(dev.name)) < sizeof(dev.name));
		}
		free(nlh);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),
		cmocka_unit_test(test_b64_round_trip),
		cmocka_unit_test(test_b64_rejected),
		cmocka_unit_test(test_key_wipe),
		cmocka_unit_test_setup_teardown(test_key_file, setup_dir, teardown_dir),
		cmocka_unit_test(test_getfamily),
		cmocka_unit_test(test_parse_family),
		cmocka_unit_test(test_build_get),
		cmocka_unit_test(test_set_two_peers),
		cmocka_unit_test(test_set_minimal),
		cmocka_unit_test(test_set_invalid),
		cmocka_unit_test(test_set_split),
		cmocka_unit_test(test_set_buffer_sizes),
		cmocka_unit_test(test_parse_get),
		cmocka_unit_test(test_parse_get_malformed),
		cmocka_unit_test(test_parse_get_fuzz),
	};

	return cmocka_run_group_tests_name("tunnel_wg", tests, NULL, NULL);
}
