/* tools/cfwdctl_order.h - what cfwdctl's order, doc and bill groups share: options
 * (more than cfwdctl_args holds), the orders context on the open store, conf/fees.conf,
 * the operator name and the CFWD_TODAY override of "today" (tests, back-dated entry). */
#ifndef TOOLS_CFWDCTL_ORDER_H
#define TOOLS_CFWDCTL_ORDER_H

#include "feature/cfwd/fees.h"
#include "feature/cfwd/order.h"
#include "tools/cfwdctl.h"

#define OCTL_MAX_OPTS 24

struct octl {
	struct cfwdctl *ctx;
	int npos;
	const char *pos[4];
	int nopt;
	const char *opt_name[OCTL_MAX_OPTS];
	const char *opt_value[OCTL_MAX_OPTS];	/* "" for flags */
	struct fees fees;
	struct orders *o;
	int nout;			/* objects written to a --json array */
};

/* Split argv (argv[0] is the group word) by spec "name: address: corporate" (':' takes
 * a value); --operator: and --fees: are always accepted. Loads the fees file and sets
 * today. 0 or CFWDCTL_BAD after the error line. */
int octl_init(struct octl *c, struct cfwdctl *ctx, int argc, char **argv, const char *spec);
const char *octl_opt(const struct octl *c, const char *name);	/* NULL if absent */
/* Open the store and the orders on it, sweep leftover images. 0 or an exit status. */
int octl_open(struct octl *c);
void octl_close(struct octl *c);

/* --json output (tools/cfwdctl_order_json.c). */
void octl_json_order(FILE *f, const struct order *r);
void octl_json_verify(FILE *f, const struct order *r, const struct order_verify_result *v);
int octl_json_show(struct octl *c, const struct order *r);

int cfwdctl_doc_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_bill_main(struct cfwdctl *ctx, int argc, char **argv);

#endif
