/* tools/cfwdctl_doc.c - `cfwdctl doc add ORDER ...`: record an uploaded identity
 * document as the operator read it (type, side, dates, name, address, masking and the
 * other observations) and keep its image until verification ends; `doc types` lists
 * the accepted types of SERVICE.md §8. The rules themselves are checked by
 * `order verify`; here only the input is checked (exit 2, nothing changed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "tools/cfwdctl_order.h"

#define DOC_USAGE                                                                        \
	"usage: doc add ORDER --type TYPE --side front|back|photo-page|holder-page "      \
	"--file F [--issued DATE] [--expires DATE] [--name ..] [--address ..] [--masked] " \
	"[--changes] [--shows-domicile] [--shows-mynumber] [--unclear] [--altered]"

static void sides_text(unsigned mask, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int s = 0; s < DOC_SIDE_COUNT && off < len; s++)
		if (mask & (1u << s))
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "," : "",
						doc_side_name(s));
}

static int check_input(struct octl *c, const struct order_doc_upload *u)
{
	const struct doc_type *t = doc_type_find(u->type);
	const char *dates[2] = { u->issued, u->expires };
	enum doc_side side;
	char sides[64];
	int32_t d;

	if (!t)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD,
				   "unknown document type '%s' (see cfwdctl doc types)", u->type);
	sides_text(t->allowed_sides, sides, sizeof(sides));
	if (doc_side_parse(u->side, &side) || !(t->allowed_sides & (1u << side)))
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s has no side '%s' (sides: %s)", u->type,
				   u->side, sides);
	for (int i = 0; i < 2; i++)
		if (dates[i] && doc_date_parse(dates[i], &d))
			return cfwdctl_err(c->ctx, CFWDCTL_BAD,
					   "--%s '%s' is not a date (YYYY-MM-DD)",
					   i ? "expires" : "issued", dates[i]);
	if (access(u->file, R_OK) != 0)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "cannot read %s: %s", u->file,
				   strerror(errno));
	return 0;
}

static int doc_add(struct octl *c)
{
	struct order_doc_upload u = {
		.type = octl_opt(c, "type"), .side = octl_opt(c, "side"),
		.file = octl_opt(c, "file"), .issued = octl_opt(c, "issued"),
		.expires = octl_opt(c, "expires"), .name = octl_opt(c, "name"),
		.address = octl_opt(c, "address"), .masked = octl_opt(c, "masked"),
		.changes = octl_opt(c, "changes"), .shows_domicile = octl_opt(c, "shows-domicile"),
		.shows_mynumber = octl_opt(c, "shows-mynumber"), .unclear = octl_opt(c, "unclear"),
		.altered = octl_opt(c, "altered"),
	};
	struct order r;
	int64_t id, doc = 0;
	bool kept = false;
	char *end;
	int rc;

	if (c->npos != 2 || !u.type || !u.side || !u.file)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, DOC_USAGE);
	id = strtoll(c->pos[1], &end, 10);
	if (end == c->pos[1] || *end || id <= 0)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "'%s' is not an order id", c->pos[1]);
	if ((rc = check_input(c, &u)) || (rc = octl_open(c)))
		return rc;
	rc = orders_doc_add(c->o, id, &u, &doc, &kept);
	switch (rc) {
	case 0:
		break;
	case -ENOENT:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "unknown order %lld", (long long)id);
	case -EPERM:
		orders_get(c->o, id, &r);
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "order %lld is %s: no upload accepted",
				   (long long)id, order_state_name(r.state));
	case -EFBIG:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s: larger than %d MiB", u.file,
				   ORDER_DOC_MAX_BYTES >> 20);
	case -EINVAL:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s: not a regular file or bad value",
				   u.file);
	default:
		return cfwdctl_store_err(c->ctx, rc, "doc add");
	}
	if (c->ctx->json)
		fprintf(c->ctx->out, "{\"ok\":true,\"document\":%lld,\"order\":%lld,"
				     "\"image_kept\":%s}\n", (long long)doc, (long long)id,
			kept ? "true" : "false");
	else if (kept)
		fprintf(c->ctx->out, "document %lld added to order %lld (image kept until "
				     "verification ends)\n", (long long)doc, (long long)id);
	else
		fprintf(c->ctx->out, "document %lld recorded for order %lld: refused upload, "
				     "image not kept\n", (long long)doc, (long long)id);
	return 0;
}

static int doc_types(struct octl *c)
{
	FILE *f = c->ctx->out;
	char sides[64], need[64];

	for (size_t i = 0; i < doc_type_count(); i++) {
		const struct doc_type *t = doc_type_at(i);

		sides_text(t->allowed_sides, sides, sizeof(sides));
		sides_text(t->required_sides, need, sizeof(need));
		fprintf(f, "%-40s %-13s %-13s sides %s (needed %s)%s%s%s\n", t->id,
			t->for_mask == (DOC_FOR_INDIVIDUAL | DOC_FOR_CORPORATION) ? "both" :
			t->for_mask == DOC_FOR_CORPORATION ? "corporation" : "individual",
			t->role == DOC_ROLE_PRIMARY ? "primary" : "supplementary", sides, need,
			t->issued_within_months ? ", issued within 6 months" : "",
			t->must_be_masked ? ", masked, plus a supplementary" : "",
			t->refused_sides ? ", back refused" : "");
		fprintf(f, "    %s\n", t->label);
	}
	return 0;
}

int cfwdctl_doc_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct octl c;
	int rc;

	rc = octl_init(&c, ctx, argc, argv,
		       "type: side: file: issued: expires: name: address: masked changes "
		       "shows-domicile shows-mynumber unclear altered");
	if (rc)
		return rc;
	if (c.npos >= 1 && !strcmp(c.pos[0], "add"))
		rc = doc_add(&c);
	else if (c.npos == 1 && !strcmp(c.pos[0], "types"))
		rc = doc_types(&c);
	else
		rc = cfwdctl_err(ctx, CFWDCTL_BAD, "usage: doc add ORDER ... | doc types");
	octl_close(&c);
	return rc;
}
