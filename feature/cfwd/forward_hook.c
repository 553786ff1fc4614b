/* feature/cfwd/forward_hook.c - the dispatcher in front of the call layer: service code
 * and access-number IAMs to the session handler (when one is installed), everything
 * else to forwarding, the rest to plain routing. It holds no call state. */
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/util.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/forward_hook.h"
#include "feature/cfwd/numbers.h"
#include "isup/call_leg.h"

struct forward_hook {
	struct forward *fw;
	forward_session_fn session;
	void *session_user;
	char numbers[FORWARD_HOOK_SESSION_MAX][CFWD_PATTERN_SIZE];
	unsigned n_numbers;
};

struct forward_hook *forward_hook_alloc(struct forward *fw, struct conf *c, char *err,
					size_t errlen)
{
	struct forward_hook *h = calloc(1, sizeof(*h));
	struct cfwd_refused r;
	const char *code = CFWD_SERVICE_CODE_DEFAULT;

	if (!h) {
		str_copy(err, "out of memory", errlen);
		return NULL;
	}
	h->fw = fw;
	cfwd_refused_default(&r);
	if (c && (cfwd_refused_load(c, &r, err, errlen) < 0 ||
		  conf_get_str(c, "service", "service_code", CFWD_SERVICE_CODE_DEFAULT, &code, err,
			       errlen) < 0)) {
		free(h);
		return NULL;
	}
	str_copy(h->numbers[h->n_numbers++], code, CFWD_PATTERN_SIZE);
	for (size_t i = 0; i < r.n_access && h->n_numbers < FORWARD_HOOK_SESSION_MAX; i++)
		str_copy(h->numbers[h->n_numbers++], r.access[i], CFWD_PATTERN_SIZE);
	return h;
}

void forward_hook_free(struct forward_hook *h)
{
	free(h);
}

void forward_hook_set_session(struct forward_hook *h, forward_session_fn fn, void *user)
{
	h->session = fn;
	h->session_user = user;
}

bool forward_hook_is_session_number(const struct forward_hook *h, const char *called)
{
	for (unsigned i = 0; i < h->n_numbers; i++)
		if (!strcmp(h->numbers[i], called))
			return true;
	return false;
}

bool forward_hook_incoming(void *user, struct call_ctx *ctx, struct call_leg *in)
{
	struct forward_hook *h = user;
	const char *called = call_leg_facts(in)->called.digits;

	if (forward_hook_is_session_number(h, called))
		return h->session && h->session(h->session_user, ctx, in);
	return h->fw && forward_incoming(h->fw, ctx, in);
}
