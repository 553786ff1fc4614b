/* isup/msu_enc.h - builds ITU ISUP MSUs (MTP2 header + SIO + routing label + ISUP, no
 * FCS) for tests, the fuzzer, the pcap self-test and the lab's raw sender. The builder
 * writes whatever it is told (it can make malformed messages on purpose); the sample
 * functions make valid ones. Not used on the call path: libss7 encodes calls. */
#ifndef ISUP_MSU_ENC_H
#define ISUP_MSU_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct msu_builder {
	uint8_t *b;
	size_t cap, len;
	size_t ptr_at;		/* next pointer octet to fill */
	size_t opt_ptr_at;	/* the optional-part pointer octet, 0 if none */
	bool has_opt;
	bool overflow;
};

/* Header: BSN/BIB/FSN/FIB 0/1, SIO with ni (2 = national) and SI 5, label, CIC, type. */
void msb_init(struct msu_builder *mb, uint8_t *buf, size_t cap, uint8_t ni, uint32_t opc,
	      uint32_t dpc, uint8_t sls, uint16_t cic, uint8_t type);
void msb_fixed(struct msu_builder *mb, const uint8_t *p, size_t n);
/* Reserve nvar pointers (+1 for the optional part when opt) after the fixed part. */
void msb_pointers(struct msu_builder *mb, unsigned nvar, bool opt);
void msb_var(struct msu_builder *mb, const uint8_t *p, size_t n);	/* fills next pointer */
void msb_opt(struct msu_builder *mb, uint8_t code, const uint8_t *p, size_t n);
/* Ends the optional part (if any), sets LI. Returns the SU length, 0 on overflow. */
size_t msb_end(struct msu_builder *mb);

/* Value of a number parameter: [odd|nai, o2, BCD...]. digits: 0-9, B, C, F. Returns its
 * length or 0 if it does not fit. o2: e.g. 0x10 (E.164) | pres << 2 | screen. */
size_t msu_enc_number(uint8_t *out, size_t cap, const char *digits, uint8_t nai, uint8_t o2);

/* The parameters the forwarding tests care about (NULL / 0 = absent). */
struct msu_iam_spec {
	uint32_t opc, dpc;
	uint16_t cic;
	const char *called, *calling, *ocn, *rgn;
	uint8_t calling_pres, ocn_pres, rgn_pres;
	bool ri;
	uint8_t ri_ind, ri_orig_reason, ri_counter, ri_reason;
	bool redirect_counter_77;	/* add the national 0x77 parameter (value 1) */
};
size_t msu_enc_iam(uint8_t *su, size_t cap, const struct msu_iam_spec *s);
size_t msu_enc_rel(uint8_t *su, size_t cap, uint32_t opc, uint32_t dpc, uint16_t cic,
		   uint8_t cause);

/* A valid sample of message type `type` (every type the validator knows); variant picks
 * among optional-parameter sets. 0 for an unknown type. */
size_t msu_enc_sample(uint8_t *su, size_t cap, int type, unsigned variant, uint16_t cic);
/* The message types msu_enc_sample() knows, in a static array. */
const uint8_t *msu_enc_sample_types(size_t *n);

#endif
