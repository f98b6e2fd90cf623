// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The frr-tunneld authors */
/*
 * libFuzzer target for the probe codecs (core/tunnel_stamp.c and
 * core/tunnel_icmp.c): every input goes to both STAMP decoders, the
 * stateless reflector with output buffers of several sizes, and both ICMP
 * reply parsers.  What decodes is encoded again and must decode to the same
 * fields, and each result is checked against the input bytes read here
 * independently; any mismatch abort()s, so libFuzzer keeps the input.
 *
 * Output buffers are malloc()ed at their exact size, so ASan catches a write
 * even one byte past them.
 *
 * With FUZZ_STAMP_SEEDS=DIR in the environment the program writes a few
 * valid packets into DIR (one file each) and exits: tests/fuzz/run.sh seeds
 * the corpus with them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tunnel_icmp.h"
#include "tunnel_stamp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                \
			abort();                                                       \
		}                                                                      \
	} while (0)

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((unsigned int)p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	CHECK(p);
	return p;
}

/* Some value the input decides, so the reflector's other arguments vary too. */
static uint32_t tail32(const uint8_t *data, size_t size, size_t back)
{
	return size >= back + 4 ? be32(data + size - back - 4) : (uint32_t)size * 2654435761U;
}

static void check_ntp(struct tunnel_ntp_ts ts)
{
	struct timespec tsp = tunnel_ntp_to_timespec(ts);
	struct tunnel_ntp_ts back = tunnel_ntp_from_timespec(tsp);
	int64_t d = tunnel_ntp_diff_ns(back, ts);

	CHECK(tsp.tv_nsec >= 0 && tsp.tv_nsec < 1000000000L);
	CHECK(d >= -1 && d <= 1);
	CHECK(tunnel_ntp_diff_ns(ts, ts) == 0);
	CHECK(tunnel_ntp_diff_ns(ts, back) == -d);
}

static void check_errest(uint16_t raw)
{
	struct tunnel_stamp_errest e = tunnel_stamp_errest_decode(raw), e2;
	uint64_t ns = tunnel_stamp_errest_ns(&e);

	CHECK(tunnel_stamp_errest_encode(&e) == raw);
	CHECK((ns == 0) == (e.multiplier == 0));
	e2 = tunnel_stamp_errest_from_ns(ns, e.synced, e.ptp);
	CHECK(e2.multiplier != 0 && e2.scale < 64);
	CHECK(e2.synced == e.synced && e2.ptp == e.ptp);
	CHECK(tunnel_stamp_errest_ns(&e2) >= ns);
}

static void check_sender(const uint8_t *data, size_t size)
{
	struct tunnel_stamp_test t, t2;
	bool mbz = false, mbz2 = true;
	size_t len = size > TUNNEL_STAMP_MAX_LEN ? TUNNEL_STAMP_MAX_LEN : size;
	int ret = tunnel_stamp_test_decode(data, size, &t, &mbz);
	uint8_t *buf;

	if (size < TUNNEL_STAMP_BASE_LEN) {
		CHECK(ret == TUNNEL_STAMP_ERR_SHORT);
		return;
	}
	CHECK(ret == 0);
	CHECK(t.seq == be32(data) && t.ts.sec == be32(data + 4) && t.ts.frac == be32(data + 8));
	CHECK(t.errest == be16(data + 12));
	CHECK(mbz == !zero(data + 14, 30));

	buf = xmalloc(len);
	CHECK(tunnel_stamp_test_encode(&t, buf, len, len) == (int)len);
	CHECK(memcmp(buf, data, 14) == 0);
	CHECK(zero(buf + 14, len - 14));
	CHECK(tunnel_stamp_test_decode(buf, len, &t2, &mbz2) == 0);
	CHECK(!mbz2);
	CHECK(t2.seq == t.seq && t2.ts.sec == t.ts.sec && t2.ts.frac == t.ts.frac);
	CHECK(t2.errest == t.errest);
	CHECK(tunnel_stamp_test_encode(&t, buf, len - 1, len) == -EMSGSIZE);
	free(buf);

	check_ntp(t.ts);
	check_errest(t.errest);
}

static bool reply_equal(const struct tunnel_stamp_reply *a, const struct tunnel_stamp_reply *b)
{
	return a->seq == b->seq && a->ts.sec == b->ts.sec && a->ts.frac == b->ts.frac &&
	       a->errest == b->errest && a->rx_ts.sec == b->rx_ts.sec &&
	       a->rx_ts.frac == b->rx_ts.frac && a->sender_seq == b->sender_seq &&
	       a->sender_ts.sec == b->sender_ts.sec && a->sender_ts.frac == b->sender_ts.frac &&
	       a->sender_errest == b->sender_errest && a->sender_ttl == b->sender_ttl;
}

static void check_reply(const uint8_t *data, size_t size)
{
	struct tunnel_stamp_reply r, r2;
	bool mbz = false, mbz2 = true;
	size_t len = size > TUNNEL_STAMP_MAX_LEN ? TUNNEL_STAMP_MAX_LEN : size;
	int ret = tunnel_stamp_reply_decode(data, size, &r, &mbz);
	uint8_t *buf;

	if (size < TUNNEL_STAMP_BASE_LEN) {
		CHECK(ret == TUNNEL_STAMP_ERR_SHORT);
		return;
	}
	CHECK(ret == 0);
	CHECK(r.rx_ts.sec == be32(data + 16) && r.sender_seq == be32(data + 24));
	CHECK(r.sender_ts.frac == be32(data + 32) && r.sender_errest == be16(data + 36));
	CHECK(r.sender_ttl == data[40]);
	CHECK(mbz == !(zero(data + 14, 2) && zero(data + 38, 2) && zero(data + 41, 3)));

	buf = xmalloc(len);
	CHECK(tunnel_stamp_reply_encode(&r, buf, len, len) == (int)len);
	CHECK(memcmp(buf, data, 14) == 0 && memcmp(buf + 16, data + 16, 22) == 0);
	CHECK(buf[40] == data[40]);
	CHECK(tunnel_stamp_reply_decode(buf, len, &r2, &mbz2) == 0);
	CHECK(!mbz2);
	CHECK(reply_equal(&r, &r2));
	free(buf);

	check_ntp(r.rx_ts);
	check_ntp(r.sender_ts);
	check_errest(r.sender_errest);
}

static void check_reflect_into(const uint8_t *data, size_t size, size_t out_size)
{
	struct tunnel_ntp_ts rx = { tail32(data, size, 0), tail32(data, size, 4) };
	struct tunnel_ntp_ts tx = { tail32(data, size, 8), tail32(data, size, 12) };
	uint16_t errest = (uint16_t)tail32(data, size, 16);
	uint8_t ttl = (uint8_t)tail32(data, size, 20);
	uint8_t *out = xmalloc(out_size);
	struct tunnel_stamp_reply r;
	bool mbz = true;
	int ret;

	memset(out, 0xa5, out_size);
	ret = tunnel_stamp_reflect(data, size, rx, tx, errest, ttl, out, out_size);
	if (size < TUNNEL_STAMP_BASE_LEN) {
		CHECK(ret == TUNNEL_STAMP_ERR_SHORT);
	} else if (out_size < size) {
		CHECK(ret == -EMSGSIZE);
	} else {
		CHECK(ret == (int)size);
		CHECK(tunnel_stamp_reply_decode(out, size, &r, &mbz) == 0);
		CHECK(!mbz);
		CHECK(r.seq == be32(data) && r.sender_seq == be32(data));
		CHECK(r.sender_ts.sec == be32(data + 4) && r.sender_ts.frac == be32(data + 8));
		CHECK(r.sender_errest == be16(data + 12) && r.errest == errest);
		CHECK(r.sender_ttl == ttl);
		CHECK(r.rx_ts.sec == rx.sec && r.rx_ts.frac == rx.frac);
		CHECK(r.ts.sec == tx.sec && r.ts.frac == tx.frac);
		CHECK(zero(out + TUNNEL_STAMP_BASE_LEN, size - TUNNEL_STAMP_BASE_LEN));
	}
	/* Nothing written on error, nor ever past the request's length. */
	for (size_t i = ret < 0 ? 0 : size; i < out_size; i++)
		CHECK(out[i] == 0xa5);
	free(out);
}

static void check_reflect(const uint8_t *data, size_t size)
{
	const size_t sizes[] = { 0, 1, 43, 44, size ? size - 1 : 0, size, size + 1, size + 64 };
	uint8_t *copy;
	int ret;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_reflect_into(data, size, sizes[i]);

	/* In place gives the same bytes as into another buffer. */
	copy = xmalloc(size);
	memcpy(copy, data, size);
	ret = tunnel_stamp_reflect(copy, size, (struct tunnel_ntp_ts){ 1, 2 },
				   (struct tunnel_ntp_ts){ 3, 4 }, 5, 6, copy, size);
	CHECK(ret == (size < TUNNEL_STAMP_BASE_LEN ? TUNNEL_STAMP_ERR_SHORT : (int)size));
	if (ret > 0) {
		CHECK(be32(copy) == be32(data) && be32(copy + 24) == be32(data));
		CHECK(be32(copy + 28) == be32(data + 4) && copy[40] == 6);
	}
	free(copy);
}

static void check_icmp_strerror(int ret)
{
	CHECK(strcmp(tunnel_icmp_strerror(ret), tunnel_icmp_strerror(-1)) != 0);
}

static void check_icmp4(const uint8_t *data, size_t size)
{
	size_t ihl = size ? (size_t)(data[0] & 0x0f) * 4 : 0;
	/* The identifier the packet has, so parsing gets past that check. */
	uint16_t id = ihl + 6 <= size ? be16(data + ihl + 4) : 0x1234;
	struct tunnel_icmp_echo e, e2;
	size_t tot, icmp_len;
	uint16_t csum;
	uint8_t *pkt;
	int ret;

	ret = tunnel_icmp4_reply_parse(data, size, id, TUNNEL_ICMP_MAGIC, &e);
	check_icmp_strerror(ret);
	CHECK(ret == 0 || (ret >= TUNNEL_ICMP_ERR_MAGIC && ret <= TUNNEL_ICMP_ERR_SHORT));
	if (ret)
		return;

	tot = be16(data + 2);
	CHECK(data[0] >> 4 == 4 && ihl >= 20 && tot <= size && tot >= ihl + TUNNEL_ICMP_MIN_LEN);
	CHECK(data[9] == 1 && data[ihl] == 0 && data[ihl + 1] == 0);
	CHECK(tunnel_icmp_checksum(data + ihl, tot - ihl) == 0);
	CHECK(e.id == id && e.seq == be16(data + ihl + 6));
	CHECK(be64(data + ihl + 8) == TUNNEL_ICMP_MAGIC && e.send_ns == be64(data + ihl + 16));

	/* Our own request for the same probe, answered, reads back the same. */
	icmp_len = tot - ihl;
	if (icmp_len > TUNNEL_ICMP_MAX_LEN)
		return;
	pkt = xmalloc(ihl + icmp_len);
	memcpy(pkt, data, ihl);
	CHECK(tunnel_icmp4_echo_build(&e, TUNNEL_ICMP_MAGIC, pkt + ihl, icmp_len, icmp_len) ==
	      (int)icmp_len);
	CHECK(pkt[ihl] == TUNNEL_ICMP_ECHO_REQUEST);
	CHECK(tunnel_icmp_checksum(pkt + ihl, icmp_len) == 0);
	CHECK(tunnel_icmp4_reply_parse(pkt, ihl + icmp_len, id, TUNNEL_ICMP_MAGIC, &e2) ==
	      TUNNEL_ICMP_ERR_TYPE);
	/* The type changed, so the request's checksum no longer holds. */
	pkt[ihl] = TUNNEL_ICMP_ECHO_REPLY;
	CHECK(tunnel_icmp4_reply_parse(pkt, ihl + icmp_len, id, TUNNEL_ICMP_MAGIC, &e2) ==
	      TUNNEL_ICMP_ERR_CHECKSUM);
	pkt[ihl + 2] = pkt[ihl + 3] = 0;
	csum = tunnel_icmp_checksum(pkt + ihl, icmp_len);
	pkt[ihl + 2] = (uint8_t)(csum >> 8);
	pkt[ihl + 3] = (uint8_t)csum;
	CHECK(tunnel_icmp4_reply_parse(pkt, ihl + icmp_len, id, TUNNEL_ICMP_MAGIC, &e2) == 0);
	CHECK(e2.id == e.id && e2.seq == e.seq && e2.send_ns == e.send_ns);
	free(pkt);
}

static void check_icmp6(const uint8_t *data, size_t size)
{
	uint16_t id = size >= 6 ? be16(data + 4) : 0x1234;
	struct tunnel_icmp_echo e, e2;
	uint8_t *pkt;
	int ret;

	ret = tunnel_icmp6_reply_parse(data, size, id, TUNNEL_ICMP_MAGIC, &e);
	check_icmp_strerror(ret);
	CHECK(ret == 0 || ret == TUNNEL_ICMP_ERR_SHORT || ret == TUNNEL_ICMP_ERR_TYPE ||
	      ret == TUNNEL_ICMP_ERR_ID || ret == TUNNEL_ICMP_ERR_MAGIC);
	if (ret)
		return;
	CHECK(size >= TUNNEL_ICMP_MIN_LEN && data[0] == 129 && data[1] == 0);
	CHECK(e.id == id && e.seq == be16(data + 6) && e.send_ns == be64(data + 16));
	if (size > TUNNEL_ICMP_MAX_LEN)
		return;

	pkt = xmalloc(size);
	CHECK(tunnel_icmp6_echo_build(&e, TUNNEL_ICMP_MAGIC, pkt, size, size) == (int)size);
	CHECK(pkt[0] == TUNNEL_ICMP6_ECHO_REQUEST && be16(pkt + 2) == 0);
	CHECK(tunnel_icmp6_reply_parse(pkt, size, id, TUNNEL_ICMP_MAGIC, &e2) ==
	      TUNNEL_ICMP_ERR_TYPE);
	pkt[0] = TUNNEL_ICMP6_ECHO_REPLY;
	CHECK(tunnel_icmp6_reply_parse(pkt, size, id, TUNNEL_ICMP_MAGIC, &e2) == 0);
	CHECK(e2.id == e.id && e2.seq == e.seq && e2.send_ns == e.send_ns);
	free(pkt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t empty = 0;

	if (!data) /* libFuzzer may pass NULL for an empty input */
		data = &empty;
	check_sender(data, size);
	check_reply(data, size);
	check_reflect(data, size);
	check_icmp4(data, size);
	check_icmp6(data, size);
	return 0;
}

/* Seed mode: a few valid packets, made by the encoders under test. */

static void write_seed(const char *dir, const char *name, const uint8_t *buf, int len)
{
	char path[4096];
	FILE *f;

	CHECK(len > 0);
	CHECK(snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
	f = fopen(path, "wb");
	CHECK(f);
	CHECK(fwrite(buf, 1, (size_t)len, f) == (size_t)len);
	CHECK(fclose(f) == 0);
}

static void write_seeds(const char *dir)
{
	struct timespec t2026 = { .tv_sec = 1767225600, .tv_nsec = 123456789 };
	struct timespec t2036 = { .tv_sec = 2085978495, .tv_nsec = 999999999 };
	struct tunnel_stamp_errest ms = tunnel_stamp_errest_from_ns(1000000, true, false);
	struct tunnel_stamp_test t = {
		.seq = 1,
		.ts = tunnel_ntp_from_timespec(t2026),
		.errest = tunnel_stamp_errest_encode(&ms),
	};
	struct tunnel_icmp_echo e = { .id = 0x1234, .seq = 7, .send_ns = 1000000000123ULL };
	struct tunnel_ntp_ts rx = tunnel_ntp_from_timespec(t2036);
	uint8_t req[128], buf[128];
	int n;

	n = tunnel_stamp_test_encode(&t, req, sizeof(req), 44);
	write_seed(dir, "stamp-sender-44", req, n);
	n = tunnel_stamp_reflect(req, 44, rx, rx, 0x0001, 64, buf, sizeof(buf));
	write_seed(dir, "stamp-reflector-44", buf, n);
	t.seq = 0xffffffff;
	t.ts = rx;
	n = tunnel_stamp_test_encode(&t, req, sizeof(req), 128);
	write_seed(dir, "stamp-sender-128-2036", req, n);
	n = tunnel_stamp_reflect(req, 128, rx, tunnel_ntp_from_timespec(t2026), 0xffff, 1, buf,
				 sizeof(buf));
	write_seed(dir, "stamp-reflector-128", buf, n);
	write_seed(dir, "stamp-short-43", req, 43);

	/* An IPv4 reply as a raw socket reads it: 20-byte header, then ICMP. */
	memcpy(buf, (const uint8_t[]){ 0x45, 0x00, 0x00, 0x34, 0x12, 0x34, 0x40, 0x00, 0x40,
				       0x01, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x02, 0xc0, 0x00,
				       0x02, 0x01 },
	       20);
	n = tunnel_icmp4_echo_build(&e, TUNNEL_ICMP_MAGIC, buf + 20, sizeof(buf) - 20, 32);
	buf[20] = TUNNEL_ICMP_ECHO_REPLY;
	buf[22] = buf[23] = 0;
	{
		uint16_t c = tunnel_icmp_checksum(buf + 20, 32);

		buf[22] = (uint8_t)(c >> 8);
		buf[23] = (uint8_t)c;
	}
	CHECK(tunnel_icmp4_reply_parse(buf, 52, 0x1234, TUNNEL_ICMP_MAGIC, &e) == 0);
	write_seed(dir, "icmp4-reply-52", buf, n + 20);

	n = tunnel_icmp6_echo_build(&e, TUNNEL_ICMP_MAGIC, buf, sizeof(buf), 40);
	buf[0] = TUNNEL_ICMP6_ECHO_REPLY;
	CHECK(tunnel_icmp6_reply_parse(buf, 40, 0x1234, TUNNEL_ICMP_MAGIC, &e) == 0);
	write_seed(dir, "icmp6-reply-40", buf, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_STAMP_SEEDS");

	(void)argc;
	(void)argv;
	if (dir) {
		write_seeds(dir);
		exit(0);
	}
	return 0;
}
