/* isup/msu_enc.c - ITU ISUP MSU builder (Q.763 layout: fixed part, pointers, optional
 * part) and valid sample messages of every type the validator knows. Writes what it is
 * told, so tests can build malformed messages too. Not on the call path. */
#include "isup/msu_enc.h"

#include <string.h>

#include "isup/msu.h"

static void put(struct msu_builder *mb, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (mb->overflow || mb->len + n > mb->cap) {
		mb->overflow = true;
		return;
	}
	memcpy(mb->b + mb->len, p, n);
	mb->len += n;
}

static void put1(struct msu_builder *mb, uint8_t c)
{
	put(mb, &c, 1);
}

void msb_init(struct msu_builder *mb, uint8_t *buf, size_t cap, uint8_t ni, uint32_t opc,
	      uint32_t dpc, uint8_t sls, uint16_t cic, uint8_t type)
{
	uint8_t hdr[11] = {
		0x7f | 0x80, 0x00 | 0x80, 0,	/* BSN 127 BIB 1, FSN 0 FIB 1, LI */
		(uint8_t)(ni << 6 | 5),
		(uint8_t)dpc, (uint8_t)((dpc >> 8 & 0x3f) | (opc & 3) << 6),
		(uint8_t)(opc >> 2), (uint8_t)((opc >> 10 & 0x0f) | (sls & 0x0f) << 4),
		(uint8_t)cic, (uint8_t)(cic >> 8 & 0x0f), type,
	};

	memset(mb, 0, sizeof(*mb));
	mb->b = buf;
	mb->cap = cap;
	put(mb, hdr, sizeof(hdr));
}

void msb_fixed(struct msu_builder *mb, const uint8_t *p, size_t n)
{
	put(mb, p, n);
}

void msb_pointers(struct msu_builder *mb, unsigned nvar, bool opt)
{
	unsigned i;

	mb->ptr_at = mb->len;
	for (i = 0; i < nvar; i++)
		put1(mb, 0);
	if (opt) {
		mb->opt_ptr_at = mb->len;
		put1(mb, 0);
	}
}

void msb_var(struct msu_builder *mb, const uint8_t *p, size_t n)
{
	if (mb->overflow || n > 255)
		return;
	mb->b[mb->ptr_at] = (uint8_t)(mb->len - mb->ptr_at);
	mb->ptr_at++;
	put1(mb, (uint8_t)n);
	put(mb, p, n);
}

void msb_opt(struct msu_builder *mb, uint8_t code, const uint8_t *p, size_t n)
{
	if (mb->overflow || !mb->opt_ptr_at || n > 255)
		return;
	if (!mb->has_opt) {
		mb->b[mb->opt_ptr_at] = (uint8_t)(mb->len - mb->opt_ptr_at);
		mb->has_opt = true;
	}
	put1(mb, code);
	put1(mb, (uint8_t)n);
	put(mb, p, n);
}

size_t msb_end(struct msu_builder *mb)
{
	if (mb->has_opt)
		put1(mb, 0);
	if (mb->overflow)
		return 0;
	mb->b[2] = (uint8_t)(mb->len - 3 < 63 ? mb->len - 3 : 63);
	return mb->len;
}

static int digit_code(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t msu_enc_number(uint8_t *out, size_t cap, const char *digits, uint8_t nai, uint8_t o2)
{
	size_t n = strlen(digits), i, len = 2 + (n + 1) / 2;

	if (len > cap)
		return 0;
	memset(out, 0, len);
	out[0] = (uint8_t)((n & 1) << 7 | (nai & 0x7f));
	out[1] = o2;
	for (i = 0; i < n; i++) {
		int d = digit_code(digits[i]);

		if (d < 0)
			return 0;
		out[2 + i / 2] |= (uint8_t)(d << ((i & 1) ? 4 : 0));
	}
	return len;
}

static void opt_number(struct msu_builder *mb, uint8_t code, const char *digits, uint8_t o2)
{
	uint8_t v[64];
	size_t n = msu_enc_number(v, sizeof(v), digits, 3, o2);

	if (n)
		msb_opt(mb, code, v, n);
	else
		mb->overflow = true;
}

size_t msu_enc_iam(uint8_t *su, size_t cap, const struct msu_iam_spec *s)
{
	static const uint8_t fixed[5] = { 0x00, 0x60, 0x01, 0x0a, 0x00 };	/* NCI FCI CPC TMR */
	struct msu_builder mb;
	uint8_t v[64];
	size_t n;

	msb_init(&mb, su, cap, 2, s->opc, s->dpc, 0, s->cic, ISUP_MT_IAM);
	msb_fixed(&mb, fixed, sizeof(fixed));
	msb_pointers(&mb, 1, true);
	n = msu_enc_number(v, sizeof(v), s->called ? s->called : "", 3, 0x10);
	if (!n)
		return 0;
	msb_var(&mb, v, n);
	if (s->calling)
		opt_number(&mb, 0x0a, s->calling, 0x10 | (s->calling_pres & 3) << 2 | 3);
	if (s->rgn)
		opt_number(&mb, 0x0b, s->rgn, 0x10 | (s->rgn_pres & 3) << 2);
	if (s->ri) {
		uint8_t ri[2] = { (uint8_t)((s->ri_ind & 7) | s->ri_orig_reason << 4),
				  (uint8_t)((s->ri_counter & 7) | s->ri_reason << 4) };

		msb_opt(&mb, 0x13, ri, 2);
	}
	if (s->redirect_counter_77) {
		uint8_t one = 1;

		msb_opt(&mb, 0x77, &one, 1);
	}
	if (s->ocn)
		opt_number(&mb, 0x28, s->ocn, 0x10 | (s->ocn_pres & 3) << 2);
	return msb_end(&mb);
}

size_t msu_enc_rel(uint8_t *su, size_t cap, uint32_t opc, uint32_t dpc, uint16_t cic,
		   uint8_t cause)
{
	struct msu_builder mb;
	uint8_t c[2] = { 0x80 | 0x00, (uint8_t)(0x80 | cause) };

	msb_init(&mb, su, cap, 2, opc, dpc, 0, cic, ISUP_MT_REL);
	msb_pointers(&mb, 1, true);
	msb_var(&mb, c, 2);
	return msb_end(&mb);
}
