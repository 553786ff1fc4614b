/* isup/link_conf.c - [linkset NAME] sections in chan_dahdi.conf's SS7 vocabulary:
 *   span = local   ss7type = itu   pointcode = 1001   adjpointcode = 2001
 *   networkindicator = national   sigchan = 16   cicbeginswith = 1
 *   channel => 1-15,17-31   (CICs are numbered from cicbeginswith in channel order;
 *   cicbeginswith may be repeated before further channel lines)
 *   max_setups = 200   service_setups = 10   isup_timer.t7 / .t9 / .t1 (ms)
 *   nationalprefix = 0   internationalprefix = 010   (numbers on this linkset's wire in
 *   Q.763 form: the prefix is taken off with NAI national/international and put back on
 *   receipt; unset, numbers go out as we hold them; docs/numbers.md)
 * Every error is reported as file:line. Does not open anything. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libss7.h>

#include "core/conf.h"
#include "core/util.h"
#include "isup/link.h"

static const struct value_string ni_names[] = {
	{ SS7_NI_INT, "international" },
	{ SS7_NI_INT_SPARE, "international_spare" },
	{ SS7_NI_NAT, "national" },
	{ SS7_NI_NAT_SPARE, "national_spare" },
	{ 0, NULL },
};

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *out > max)
		return -EINVAL;
	return 0;
}

/* "1-15,17-31": append each channel to cfg with consecutive CICs from *cic. */
/* -EEXIST with *dup_ts / *dup_cic set (the other 0) when a timeslot or a CIC comes twice. */
static int add_channels(struct linkset_cfg *cfg, const char *spec, unsigned *cic,
			unsigned *dup_ts, unsigned *dup_cic)
{
	char buf[128], *save = NULL, *tok;

	str_copy(buf, spec, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long a, b;
		char *dash = strchr(tok, '-');

		while (*tok == ' ')
			tok++;
		if (dash)
			*dash = '\0';
		if (parse_ulong(tok, 31, &a) < 0 || (dash && parse_ulong(dash + 1, 31, &b) < 0))
			return -EINVAL;
		if (!dash)
			b = a;
		if (!a || b < a)
			return -EINVAL;
		for (unsigned long ch = a; ch <= b; ch++) {
			if (cfg->n_cics >= LINKSET_CICS_MAX || ch == cfg->sigchan)
				return -EINVAL;
			for (unsigned i = 0; i < cfg->n_cics; i++) {
				if (cfg->timeslots[i] == ch || cfg->cics[i] == *cic) {
					*dup_ts = cfg->timeslots[i] == ch ? (unsigned)ch : 0;
					*dup_cic = cfg->cics[i] == *cic ? *cic : 0;
					return -EEXIST;
				}
			}
			cfg->timeslots[cfg->n_cics] = (uint8_t)ch;
			cfg->cics[cfg->n_cics++] = (uint16_t)(*cic)++;
		}
	}
	return 0;
}

static void linkset_cfg_default(struct linkset_cfg *cfg, const char *name)
{
	memset(cfg, 0, sizeof(*cfg));
	str_copy(cfg->name, name, sizeof(cfg->name));
	cfg->ni = SS7_NI_NAT;
	cfg->sigchan = 16;
	cfg->max_setups = 200;
	cfg->service_setups = 10;
	cfg->t7_ms = 25000;
	cfg->t9_ms = 90000;
	cfg->t1_ms = 15000;
}

static int linkset_key(struct conf *c, struct conf_entry *e, struct linkset_cfg *cfg,
		       unsigned *cic, char *err, size_t errlen)
{
	unsigned long v;
	int ni;

	if (!strcmp(e->key, "span")) {
		str_copy(cfg->span, e->value, sizeof(cfg->span));
	} else if (!strcmp(e->key, "ss7type")) {
		if (strcmp(e->value, "itu"))
			goto bad;	/* libss7 has ITU and ANSI; we run ITU only */
	} else if (!strcmp(e->key, "pointcode") || !strcmp(e->key, "adjpointcode")) {
		if (parse_ulong(e->value, 16383, &v) < 0 || !v)
			goto bad;
		*(e->key[0] == 'p' ? &cfg->opc : &cfg->dpc) = (unsigned)v;
	} else if (!strcmp(e->key, "networkindicator")) {
		if (get_string_value(ni_names, e->value, &ni) < 0)
			goto bad;
		cfg->ni = ni;
	} else if (!strcmp(e->key, "sigchan")) {
		if (parse_ulong(e->value, 31, &v) < 0 || !v || cfg->n_cics)
			goto bad;
		cfg->sigchan = (unsigned)v;
	} else if (!strcmp(e->key, "cicbeginswith")) {
		if (parse_ulong(e->value, 4095, &v) < 0)
			goto bad;
		*cic = (unsigned)v;
	} else if (!strcmp(e->key, "channel")) {
		unsigned dup_ts = 0, dup_cic = 0;
		int rc = add_channels(cfg, e->value, cic, &dup_ts, &dup_cic);

		if (rc == -EEXIST) {
			conf_errf(c, e, err, errlen, "%s %u given twice in '%s'",
				  dup_ts ? "timeslot" : "CIC", dup_ts ? dup_ts : dup_cic, e->value);
			return rc;
		}
		if (rc < 0 || *cic > 4096)
			goto bad;
	} else if (!strcmp(e->key, "max_setups")) {
		if (parse_ulong(e->value, 4000, &v) < 0 || !v)
			goto bad;
		cfg->max_setups = (unsigned)v;
	} else if (!strcmp(e->key, "service_setups")) {
		if (parse_ulong(e->value, 4000, &v) < 0)
			goto bad;
		cfg->service_setups = (unsigned)v;
	} else if (!strcmp(e->key, "nationalprefix") || !strcmp(e->key, "internationalprefix")) {
		char *dst = e->key[0] == 'n' ? cfg->numfmt.natprefix : cfg->numfmt.intlprefix;
		size_t n = strlen(e->value);

		if (!n || n >= sizeof(cfg->numfmt.natprefix) ||
		    strspn(e->value, "0123456789") != n)
			goto bad;
		memcpy(dst, e->value, n + 1);
	} else if (!strncmp(e->key, "isup_timer.", 11)) {
		const char *t = e->key + 11;

		if (parse_ulong(e->value, 600000, &v) < 0 || v < 10)
			goto bad;
		if (!strcmp(t, "t7"))
			cfg->t7_ms = (uint32_t)v;
		else if (!strcmp(t, "t9"))
			cfg->t9_ms = (uint32_t)v;
		else if (!strcmp(t, "t1"))
			cfg->t1_ms = (uint32_t)v;
		else
			goto unknown;
	} else {
		goto unknown;
	}
	e->used = true;
	return 0;
bad:
	conf_errf(c, e, err, errlen, "bad value '%s'", e->value);
	return -EINVAL;
unknown:
	conf_errf(c, e, err, errlen, "unknown key");
	return -EINVAL;
}

int linkset_cfg_parse(struct conf *c, const char *section, struct linkset_cfg *cfg,
		      char *err, size_t errlen)
{
	const char *name = section + strlen("linkset");
	unsigned cic = 1;

	while (*name == ' ')
		name++;
	linkset_cfg_default(cfg, name);
	for (size_t i = 0; i < conf_count(c); i++) {
		struct conf_entry *e = conf_entry_at(c, i);

		if (strcmp(e->section, section))
			continue;
		if (linkset_key(c, e, cfg, &cic, err, errlen) < 0)
			return -EINVAL;
	}
	if (!cfg->span[0] || !cfg->opc || !cfg->dpc || !cfg->n_cics) {
		snprintf(err, errlen, "%s: [%s] needs span, pointcode, adjpointcode and channel",
			 conf_path(c), section);
		return -EINVAL;
	}
	return 0;
}
