/* isup/msu_sample.c - one valid ITU encoding of each ISUP message type the validator
 * knows, with a few optional-parameter variants: the seeds of the fuzzer and of the
 * validator's table tests. Point codes 1001 -> 1002. */
#include "isup/msu_enc.h"

#include "core/util.h"
#include "isup/msu.h"

static const uint8_t sample_types[] = {
	ISUP_MT_IAM, ISUP_MT_SAM, ISUP_MT_INR, ISUP_MT_INF, ISUP_MT_COT, ISUP_MT_ACM,
	ISUP_MT_CON, ISUP_MT_ANM, ISUP_MT_REL, ISUP_MT_SUS, ISUP_MT_RES, ISUP_MT_RLC,
	ISUP_MT_CCR, ISUP_MT_RSC, ISUP_MT_BLO, ISUP_MT_UBL, ISUP_MT_BLA, ISUP_MT_UBA,
	ISUP_MT_GRS, ISUP_MT_CGB, ISUP_MT_CGU, ISUP_MT_CGBA, ISUP_MT_CGUA, ISUP_MT_FAR,
	ISUP_MT_FAA, ISUP_MT_LPA, ISUP_MT_GRA, ISUP_MT_CQM, ISUP_MT_CQR, ISUP_MT_CPG,
	ISUP_MT_UCIC, ISUP_MT_CFN,
};

const uint8_t *msu_enc_sample_types(size_t *n)
{
	*n = ARRAY_SIZE(sample_types);
	return sample_types;
}

static void opt_common(struct msu_builder *mb, unsigned variant)
{
	static const uint8_t cause[2] = { 0x80, 0x90 };
	static const uint8_t obci = 0x01, hop = 0x0a, gni = 0xfb, redir_cnt = 0x01;
	static const uint8_t conn[6] = { 0x03, 0x13, 0x21, 0x43, 0x65, 0x87 };
	static const uint8_t name[5] = { 0x00, 'J', 'o', 'h', 'n' };

	if (variant % 3 == 1) {
		msb_opt(mb, 0x29, &obci, 1);
		msb_opt(mb, 0x21, conn, sizeof(conn));
	} else if (variant % 3 == 2) {
		msb_opt(mb, 0x3d, &hop, 1);
		msb_opt(mb, 0x2c, &gni, 1);
		msb_opt(mb, 0x12, cause, 2);
		msb_opt(mb, 0x77, &redir_cnt, 1);
		msb_opt(mb, 0xc7, name, sizeof(name));
	}
}

static size_t sample_iam(uint8_t *su, size_t cap, unsigned variant, uint16_t cic)
{
	struct msu_iam_spec s = {
		.opc = 1001, .dpc = 1002, .cic = cic,
		.called = "0312345678", .calling = "0311112222",
	};

	if (variant % 3 == 1) {
		s.ocn = "0312345678";
		s.rgn = "0312345678";
		s.ri = true;
		s.ri_ind = 3;
		s.ri_orig_reason = 3;
		s.ri_counter = 1;
		s.ri_reason = 3;
		s.called = "0398765432";
	} else if (variant % 3 == 2) {
		s.called = "0398765432F";
		s.calling = "";
		s.calling_pres = 2;
	}
	return msu_enc_iam(su, cap, &s);
}

/* Messages with a mandatory variable part only (plus optional part when opt). */
static size_t sample_var(struct msu_builder *mb, const uint8_t *p, size_t n, bool opt,
			 unsigned variant)
{
	msb_pointers(mb, 1, opt);
	msb_var(mb, p, n);
	if (opt)
		opt_common(mb, variant);
	return msb_end(mb);
}

static size_t sample_fixed(struct msu_builder *mb, const uint8_t *p, size_t n, bool opt,
			   unsigned variant)
{
	msb_fixed(mb, p, n);
	if (opt) {
		msb_pointers(mb, 0, true);
		opt_common(mb, variant);
	}
	return msb_end(mb);
}

size_t msu_enc_sample(uint8_t *su, size_t cap, int type, unsigned variant, uint16_t cic)
{
	static const uint8_t cause[2] = { 0x80, 0x90 }, subs[4] = { 0x81, 0x21, 0x43, 0x05 };
	static const uint8_t two[2] = { 0x00, 0x00 }, one = 0x01, bci[2] = { 0x16, 0x14 };
	static const uint8_t range_only = 0x07, range_status[2] = { 0x07, 0xff };
	static const uint8_t cqr_state[8] = { 0 };
	struct msu_builder mb;

	if (type == ISUP_MT_IAM)
		return sample_iam(su, cap, variant, cic);
	msb_init(&mb, su, cap, 2, 1001, 1002, 0, cic, (uint8_t)type);
	switch (type) {
	case ISUP_MT_SAM: return sample_var(&mb, subs, sizeof(subs), true, variant);
	case ISUP_MT_REL:
	case ISUP_MT_CFN: return sample_var(&mb, cause, sizeof(cause), true, variant);
	case ISUP_MT_GRS:
	case ISUP_MT_CQM: return sample_var(&mb, &range_only, 1, false, variant);
	case ISUP_MT_GRA: return sample_var(&mb, range_status, 2, false, variant);
	case ISUP_MT_INR:
	case ISUP_MT_INF: return sample_fixed(&mb, two, 2, true, variant);
	case ISUP_MT_COT: return sample_fixed(&mb, &one, 1, false, variant);
	case ISUP_MT_ACM:
	case ISUP_MT_CON: return sample_fixed(&mb, bci, 2, true, variant);
	case ISUP_MT_ANM:
	case ISUP_MT_RLC: return sample_fixed(&mb, NULL, 0, true, variant);
	case ISUP_MT_SUS:
	case ISUP_MT_RES:
	case ISUP_MT_FAR:
	case ISUP_MT_FAA: return sample_fixed(&mb, &one, 1, true, variant);
	case ISUP_MT_CPG: return sample_fixed(&mb, &one, 1, true, variant);
	case ISUP_MT_CCR: case ISUP_MT_RSC: case ISUP_MT_BLO: case ISUP_MT_UBL:
	case ISUP_MT_BLA: case ISUP_MT_UBA: case ISUP_MT_LPA: case ISUP_MT_UCIC:
		return msb_end(&mb);
	case ISUP_MT_CGB: case ISUP_MT_CGU: case ISUP_MT_CGBA: case ISUP_MT_CGUA:
		msb_fixed(&mb, &one, 1);
		return sample_var(&mb, range_status, 2, false, variant);
	case ISUP_MT_CQR:
		msb_pointers(&mb, 2, false);
		msb_var(&mb, range_status, 2);
		msb_var(&mb, cqr_state, 8);
		return msb_end(&mb);
	}
	return 0;
}
