/* tests/soak/soak_hostile.c - a hostile adjacent exchange for the soak battery. It aligns
 * a sim-span signalling link with cfwdd using libss7, then takes MTP2 over itself and
 * sends N generated and mutated MSUs: every ISUP type the encoder knows, on right and
 * wrong CICs and point codes, in the wrong state, with parameters truncated, over-long,
 * duplicated or unknown, and raw SIFs of 0-272 octets. It stays a polite peer meanwhile:
 * acknowledges cfwdd's MSUs, answers SLTM, REL, RSC, GRS, CGB/CGU, BLO/UBL and IAM (REL
 * 17), so cfwdd's circuits can return to idle. At the end a valid GRS must get its GRA.
 * Prints one "hostile:" figures line. Exit 0 when the link stayed up and the GRS was
 * answered; not a proof of anything about calls (the soak script checks those). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libss7.h>

#include "core/clock.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "isup/msu.h"
#include "isup/msu_enc.h"
#include "tests/fixture_msu.h"
#include "tests/fixture_ss7.h"

#define WINDOW 32	/* MSUs sent and not yet acknowledged */

enum hclass { HC_STATE, HC_CIC, HC_PC, HC_MUTATE, HC_PARAM, HC_OVERLONG, HC_SIF, HC_N };
static const char *const hclass_names[HC_N] = {
	"wrong-state", "wrong-cic", "wrong-pc", "mutated", "param", "overlong", "raw-sif",
};

struct hostile {
	struct loop *loop;
	struct tdm_span *span;
	struct tdm_link *link;
	struct fx_point pt;	/* libss7 until aligned, then our MTP2 on pt.fd */
	uint32_t opc, dpc;
	unsigned cics;
	/* cfwdd's last SU header, and our next FSN */
	uint8_t r_bsn, r_bib, r_fsn, r_fib, next_fsn;
	bool have_r;
	unsigned long sent[HC_N], types_sent[256], stalls, lssu_seen, msus_in;
	unsigned long replies_in[256], answered, realigns;
	bool gra_seen;
};

static unsigned rnd(unsigned n)
{
	return n ? (unsigned)random() % n : 0;
}

static void set_label(uint8_t *su, uint32_t opc, uint32_t dpc, uint8_t sls)
{
	uint32_t l = (dpc & 0x3fff) | (opc & 0x3fff) << 14 | (uint32_t)(sls & 15) << 28;

	su[4] = (uint8_t)l;
	su[5] = (uint8_t)(l >> 8);
	su[6] = (uint8_t)(l >> 16);
	su[7] = (uint8_t)(l >> 24);
}

static void set_li(uint8_t *su, size_t len)
{
	su[2] = (uint8_t)(len - 3 < 63 ? len - 3 : 63);
}

/* ---- MTP2 by hand ------------------------------------------------------------------ */

static void send_su(struct hostile *h, uint8_t *su, size_t len, bool msu)
{
	su[0] = (uint8_t)(h->r_fsn | h->r_fib << 7);	/* BSN: acknowledge cfwdd */
	if (msu) {
		su[1] = (uint8_t)(h->next_fsn | h->r_bib << 7);
		h->next_fsn = (h->next_fsn + 1) & 0x7f;
	} else {
		su[1] = (uint8_t)(((h->next_fsn - 1) & 0x7f) | h->r_bib << 7);
	}
	su[len] = su[len + 1] = 0;	/* FCS */
	if (send(h->pt.fd, su, len + 2, 0) < 0 && errno != EAGAIN)
		perror("soak-hostile: send");
}

static void send_isup(struct hostile *h, uint8_t *su, size_t len)
{
	uint8_t li = su[2];

	if (len < 8)
		return;
	/* an LI below 3 makes it a FISU/LSSU for MTP2: no new FSN, or cfwdd's MTP2 waits
	 * for an MSU that never comes */
	send_su(h, su, len, (li & 0x3f) >= 3);
	su[2] = li;
}

static void reply_range(struct hostile *h, uint8_t type, uint16_t cic, const uint8_t *in,
			size_t len, bool with_cgsmti)
{
	uint8_t su[64], val[6] = { 0 }, range;
	struct msu_builder mb;
	size_t off, n;

	if (with_cgsmti) {
		if (len < 14)
			return;
		val[0] = in[11];	/* supervision type */
		off = in[12] + 12u;
	} else {
		off = in[11] + 11u;
	}
	if (off + 1 >= len)
		return;
	range = in[off + 1];
	if (range > 31)
		return;
	n = 1 + ((size_t)range + 1 + 7) / 8;
	msb_init(&mb, su, sizeof(su) - 2, 2, h->opc, h->dpc, 0, cic, type);
	if (with_cgsmti)
		msb_fixed(&mb, val, 1);
	msb_pointers(&mb, 1, false);
	val[1] = range;
	if (type == ISUP_MT_GRA)
		memset(val + 2, 0, 4);	/* no circuit blocked */
	else if (off + 2 + n - 1 <= len)
		memcpy(val + 2, in + off + 2, n - 1);
	msb_var(&mb, val + 1, n);
	send_isup(h, su, msb_end(&mb));
}

/* cfwdd's ISUP towards us: answer as a plain exchange would. */
static void answer(struct hostile *h, const uint8_t *su, size_t len)
{
	uint16_t cic;
	uint8_t type, out[64];
	size_t n;

	if (len < 11)
		return;
	cic = (uint16_t)(su[8] | (su[9] & 0x0f) << 8);
	type = su[10];
	h->replies_in[type]++;
	switch (type) {
	case ISUP_MT_IAM:
		n = msu_enc_rel(out, sizeof(out) - 2, h->opc, h->dpc, cic, 17);
		send_isup(h, out, n);
		break;
	case ISUP_MT_REL:
	case ISUP_MT_RSC:
		n = msu_enc_sample(out, sizeof(out) - 2, ISUP_MT_RLC, 0, cic);
		set_label(out, h->opc, h->dpc, 0);
		send_isup(h, out, n);
		break;
	case ISUP_MT_BLO:
	case ISUP_MT_UBL:
		n = msu_enc_sample(out, sizeof(out) - 2,
				   type == ISUP_MT_BLO ? ISUP_MT_BLA : ISUP_MT_UBA, 0, cic);
		set_label(out, h->opc, h->dpc, 0);
		send_isup(h, out, n);
		break;
	case ISUP_MT_GRS:
		reply_range(h, ISUP_MT_GRA, cic, su, len, false);
		break;
	case ISUP_MT_CGB:
	case ISUP_MT_CGU:
		reply_range(h, type == ISUP_MT_CGB ? ISUP_MT_CGBA : ISUP_MT_CGUA, cic, su, len,
			    true);
		break;
	case ISUP_MT_GRA:
		h->gra_seen = true;
		break;
	default:
		return;
	}
	h->answered++;
}

static void answer_sltm(struct hostile *h, const uint8_t *su, size_t len)
{
	uint8_t out[64];
	size_t n = len;

	if (len < 10 || len > sizeof(out) - 2)
		return;
	memcpy(out, su, len);
	out[8] = 0x21;	/* SLTA */
	set_label(out, h->opc, h->dpc, su[9] & 15);
	send_su(h, out, n, true);
}

/* Read what cfwdd sent; note its sequence numbers; acknowledge and answer. */
static void drain(struct hostile *h)
{
	uint8_t buf[300], fisu[8];
	ssize_t n;

	while ((n = recv(h->pt.fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 5) {
		size_t len = (size_t)n - 2;
		unsigned li = buf[2] & 0x3f;

		if (li == 1 || li == 2) {
			h->lssu_seen++;
			continue;
		}
		h->r_bsn = buf[0] & 0x7f;
		if (h->have_r && (buf[0] >> 7) != h->r_bib)	/* negative ack: resync */
			h->next_fsn = (h->r_bsn + 1) & 0x7f;
		h->r_bib = buf[0] >> 7;
		h->have_r = true;
		if (li < 3)
			continue;
		h->r_fsn = buf[1] & 0x7f;
		h->r_fib = buf[1] >> 7;
		h->msus_in++;
		fisu[2] = 0;
		send_su(h, fisu, 3, false);
		if ((buf[3] & 0x0f) == 1 && len >= 9 && buf[8] == 0x11)
			answer_sltm(h, buf, len);
		else if ((buf[3] & 0x0f) == 5)
			answer(h, buf, len);
	}
}

static void pump(struct hostile *h, int ms)
{
	loop_run_once(h->loop, ms);
	drain(h);
}

static unsigned outstanding(const struct hostile *h)
{
	return (unsigned)((h->next_fsn - 1 - h->r_bsn) & 0x7f);
}

/* ---- alignment with libss7, then take over ---------------------------------------- */

static void ss7_service(struct hostile *h)
{
	fx_point_service(&h->pt, ~0u, NULL, NULL);
}

static bool note_tx(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		    size_t *len, size_t cap)
{
	struct hostile *h = user;

	if (dir == TDM_SU_RX && *len >= 3 && (su[2] & 0x3f) >= 3) {
		h->r_bsn = su[0] & 0x7f;
		h->r_bib = su[0] >> 7;
		h->r_fsn = su[1] & 0x7f;
		h->r_fib = su[1] >> 7;
	} else if (dir == TDM_SU_RX && *len >= 3 && (su[2] & 0x3f) == 0) {
		h->r_bsn = su[0] & 0x7f;
		h->r_bib = su[0] >> 7;
	}
	return true;
}

static int align(struct hostile *h, int timeout_s)
{
	uint64_t end = clock_now_ms() + (uint64_t)timeout_s * 1000;
	int rc;

	fx_ss7_quiet();
	rc = fx_point_open(&h->pt, h->pt.fd, SS7_TRANSPORT_DAHDIMTP2, h->opc, h->dpc);
	if (rc < 0)
		return rc;
	while (!h->pt.up && clock_now_ms() < end) {
		loop_run_once(h->loop, 5);
		ss7_service(h);
	}
	/* let the SLTM/SLTA after alignment pass, then libss7 is read no more */
	for (end = clock_now_ms() + 1500; h->pt.up && clock_now_ms() < end;) {
		loop_run_once(h->loop, 5);
		ss7_service(h);
	}
	h->next_fsn = (h->r_bsn + 1) & 0x7f;
	h->have_r = true;
	return h->pt.up ? 0 : -ETIMEDOUT;
}

/* ---- generation -------------------------------------------------------------------- */

static size_t sample(struct hostile *h, uint8_t *su, size_t cap, uint8_t *type)
{
	size_t ntypes;
	const uint8_t *types = msu_enc_sample_types(&ntypes);
	size_t len;

	*type = types[rnd((unsigned)ntypes)];
	len = msu_enc_sample(su, cap, *type, rnd(3), (uint16_t)(1 + rnd(h->cics)));
	if (len >= 8)
		set_label(su, h->opc, h->dpc, (uint8_t)rnd(16));
	return len;
}

static size_t mutate(uint8_t *su, size_t len, size_t cap)
{
	unsigned i, k;

	if (len <= 11)
		return len;
	switch (rnd(7)) {
	case 0:		/* truncate */
		len = 8 + rnd((unsigned)len - 8);
		break;
	case 1:		/* extend with random bytes */
		for (k = 1 + rnd(60), i = 0; i < k && len < cap; i++)
			su[len++] = (uint8_t)rnd(256);
		break;
	case 2:		/* flip bits */
		for (k = 1 + rnd(4), i = 0; i < k; i++)
			su[8 + rnd((unsigned)len - 8)] ^= (uint8_t)(1u << rnd(8));
		break;
	case 3:		/* a random byte (pointers, lengths, codes) */
		su[11 + rnd((unsigned)len - 11)] = (uint8_t)rnd(256);
		break;
	case 4:		/* duplicate the tail (parameters twice) */
		k = rnd((unsigned)len - 8);
		if (len + k < cap) {
			memmove(su + len, su + len - k, k);
			len += k;
		}
		break;
	case 5:		/* wrong LI */
		su[2] = (uint8_t)rnd(64);
		return len;
	default:	/* pointer past the end */
		su[11] = (uint8_t)(len + rnd(200));
		break;
	}
	set_li(su, len);
	return len;
}

/* Optional parameters: one unknown, duplicated, over-long or cut short. */
static size_t param_abuse(uint8_t *su, size_t len, size_t cap)
{
	uint8_t code = (uint8_t)(0xe0 + rnd(31)), plen;
	size_t i;

	if (len < 12 || su[len - 1] != 0)	/* no optional part to play with */
		return mutate(su, len, cap);
	len--;	/* drop the end-of-optional-parameters octet */
	switch (rnd(4)) {
	case 0:		/* unknown code */
		plen = (uint8_t)rnd(20);
		break;
	case 1:		/* a known code twice (cause, hop counter, generic number...) */
		code = (uint8_t[]){ 0x12, 0x3d, 0xc0, 0x0a, 0x28, 0x13 }[rnd(6)];
		plen = (uint8_t)(1 + rnd(12));
		break;
	case 2:		/* over-long */
		code = (uint8_t[]){ 0x0a, 0x28, 0x0b, 0xc0, 0x12 }[rnd(5)];
		plen = (uint8_t)(40 + rnd(200));
		break;
	default:	/* length beyond the end */
		code = (uint8_t)rnd(256);
		plen = (uint8_t)(100 + rnd(150));
		if (len + 3 < cap) {
			su[len++] = code;
			su[len++] = plen;
			su[len++] = 0x55;
		}
		set_li(su, len);
		return len;
	}
	if (len + 3 + plen > cap)
		plen = (uint8_t)(cap - len - 3);
	su[len++] = code;
	su[len++] = plen;
	for (i = 0; i < plen; i++)
		su[len++] = (uint8_t)rnd(256);
	su[len++] = 0;
	set_li(su, len);
	return len;
}

static size_t overlong_iam(struct hostile *h, uint8_t *su, size_t cap)
{
	unsigned n = 17 + rnd(84), which = rnd(4);	/* 17..100 digits */
	struct msu_iam_spec s = { .opc = h->opc, .dpc = h->dpc,
				  .cic = (uint16_t)(1 + rnd(h->cics)),
				  .called = "0312345678", .calling = "0311112222" };

	return fx_overlong_iam(su, cap, s, n, which);
}

static size_t generate(struct hostile *h, uint8_t *su, size_t cap, enum hclass *cls)
{
	unsigned r = rnd(100);
	uint8_t type;
	size_t len, i;

	*cls = r < 25 ? HC_STATE : r < 33 ? HC_CIC : r < 40 ? HC_PC : r < 65 ? HC_MUTATE :
	       r < 80 ? HC_PARAM : r < 87 ? HC_OVERLONG : HC_SIF;
	if (*cls == HC_OVERLONG)
		return overlong_iam(h, su, cap);
	if (*cls == HC_SIF) {	/* SIO + SIF of 0..272 octets of noise behind a header */
		size_t sif = rnd(273);

		len = 4 + sif;
		if (len > cap)
			len = cap;
		su[3] = rnd(4) ? 0x85 : (uint8_t)rnd(256);
		if (sif < 2)	/* LI 1-2 is an LSSU: a spare status, not SIO/SIOS */
			su[3] |= 6;
		for (i = 4; i < len; i++)
			su[i] = (uint8_t)rnd(256);
		if (sif >= 4 && rnd(2))
			set_label(su, h->opc, h->dpc, 0);
		set_li(su, len);
		return len;
	}
	len = sample(h, su, cap, &type);
	h->types_sent[type]++;
	if (len < 11)
		return len;
	switch (*cls) {
	case HC_CIC: {
		uint16_t cic = rnd(3) ? (uint16_t)(h->cics + 1 + rnd(4095 - h->cics)) : 0;

		su[8] = (uint8_t)cic;
		su[9] = (uint8_t)(cic >> 8 & 0x0f);
		break;
	}
	case HC_PC:
		if (rnd(2))
			set_label(su, h->opc, (uint32_t)rnd(16384) | 1, 0);	/* not for cfwdd */
		else
			set_label(su, (uint32_t)rnd(16384), h->dpc, 0);	/* unknown origin */
		break;
	case HC_MUTATE:
		len = mutate(su, len, cap);
		break;
	case HC_PARAM:
		len = param_abuse(su, len, cap);
		break;
	default:
		break;
	}
	return len;
}

/* ---- main ---------------------------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: soak-hostile --local-port P --remote-port P [--opc PC] [--dpc PC]\n"
	      "                    [--count N] [--seed S] [--rate N/s] [--cics N]\n", stderr);
	exit(2);
}

static int final_grs(struct hostile *h)
{
	uint8_t su[64], range = (uint8_t)(h->cics - 1);
	struct msu_builder mb;
	uint64_t end;

	h->gra_seen = false;
	msb_init(&mb, su, sizeof(su) - 2, 2, h->opc, h->dpc, 0, 1, ISUP_MT_GRS);
	msb_pointers(&mb, 1, false);
	msb_var(&mb, &range, 1);
	send_isup(h, su, msb_end(&mb));
	for (end = clock_now_ms() + 8000; !h->gra_seen && clock_now_ms() < end;)
		pump(h, 10);
	return h->gra_seen ? 0 : -ETIMEDOUT;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "local-port", 1, NULL, 'l' }, { "remote-port", 1, NULL, 'r' },
		{ "opc", 1, NULL, 'o' }, { "dpc", 1, NULL, 'd' }, { "count", 1, NULL, 'n' },
		{ "seed", 1, NULL, 's' }, { "rate", 1, NULL, 'R' }, { "cics", 1, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct hostile h = { .opc = 4001, .dpc = 1001, .cics = 30 };
	struct tdm_span_cfg cfg;
	unsigned long count = 10000, rate = 2000, i, total = 0;
	unsigned seed = 1;
	uint64_t t0, due;
	char err[200];
	int c;

	tdm_span_cfg_default(&cfg, "hostile");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': cfg.local_port = (uint16_t)atoi(optarg); break;
		case 'r': cfg.remote_port = (uint16_t)atoi(optarg); break;
		case 'o': h.opc = (uint32_t)atoi(optarg); break;
		case 'd': h.dpc = (uint32_t)atoi(optarg); break;
		case 'n': count = strtoul(optarg, NULL, 10); break;
		case 's': seed = (unsigned)atoi(optarg); break;
		case 'R': rate = strtoul(optarg, NULL, 10); break;
		case 'C': h.cics = (unsigned)atoi(optarg); break;
		default: usage();
		}
	}
	if (!cfg.local_port || !cfg.remote_port || !rate || !h.cics || h.cics > 32)
		usage();
	srandom(seed);
	h.loop = loop_alloc();
	h.span = h.loop ? tdm_span_open(h.loop, &cfg, NULL, NULL, err, sizeof(err)) : NULL;
	if (!h.span) {
		fprintf(stderr, "soak-hostile: %s\n", h.loop ? err : "no memory");
		return 1;
	}
	h.link = tdm_link_open(h.span, 16, 0, note_tx, NULL, &h);
	h.pt.fd = h.link ? tdm_link_fd(h.link) : -1;
	if (h.pt.fd < 0 || align(&h, 20) < 0) {
		fprintf(stderr, "soak-hostile: the link did not align with cfwdd\n");
		return 1;
	}
	printf("hostile: link aligned, sending %lu MSUs at %lu/s, seed %u\n", count, rate, seed);
	fflush(stdout);
	t0 = clock_now_us();
	for (i = 0; i < count; i++) {
		uint8_t su[300];
		enum hclass cls;
		size_t len = generate(&h, su, 280, &cls);
		uint64_t wait_end = clock_now_ms() + 200;

		due = t0 + i * 1000000ull / rate;
		while (clock_now_us() < due)
			pump(&h, 1);
		while (outstanding(&h) >= WINDOW && clock_now_ms() < wait_end)
			pump(&h, 1);
		if (outstanding(&h) >= WINDOW) {
			h.stalls++;	/* cfwdd did not acknowledge: resync */
			h.next_fsn = (h.r_bsn + 1) & 0x7f;
		}
		if (h.lssu_seen) {	/* cfwdd's MTP2 lost alignment: align again */
			h.realigns++;
			h.lssu_seen = 0;
			h.pt.up = false;
			if (h.realigns > 20 || align(&h, 20) < 0) {
				fprintf(stderr, "soak-hostile: link lost at MSU %lu\n", i);
				break;
			}
		}
		if (len < 3)
			continue;
		send_isup(&h, su, len);
		h.sent[cls]++;
		total++;
		if (!(i % 64))
			pump(&h, 0);
	}
	for (due = clock_now_ms() + 3000; clock_now_ms() < due;)
		pump(&h, 10);
	c = final_grs(&h);
	printf("hostile: sent %lu in %.1f s;", total, (clock_now_us() - t0) / 1e6);
	for (i = 0; i < HC_N; i++)
		printf(" %s %lu", hclass_names[i], h.sent[i]);
	printf("\nhostile: from cfwdd %lu MSUs (%lu answered: rel %lu rlc %lu iam %lu rsc %lu "
	       "grs %lu cfn %lu ucic %lu), realigns %lu, stalls %lu, final GRS %s\n",
	       h.msus_in, h.answered, h.replies_in[ISUP_MT_REL], h.replies_in[ISUP_MT_RLC],
	       h.replies_in[ISUP_MT_IAM], h.replies_in[ISUP_MT_RSC], h.replies_in[ISUP_MT_GRS],
	       h.replies_in[ISUP_MT_CFN], h.replies_in[ISUP_MT_UCIC], h.realigns, h.stalls,
	       c ? "NOT answered" : "answered (GRA)");
	tdm_link_close(h.link);
	tdm_span_close(h.span);
	loop_free(h.loop);
	return c ? 1 : 0;
}
