/* tests/fixture_isup.c - the cfwd/net signalling point pair of the call-layer tests (see
 * fixture_isup.h). What the calls do and what is asserted stays in each test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/route.h"
#include "tests/fixture_isup.h"

unsigned fx_port_base(void)
{
	const char *env = getenv("CFWD_PORT_BASE");

	return env ? (unsigned)atoi(env) : 20000 + (unsigned)(getpid() % 160) * 100;
}

int fx_temp_path(char *path, size_t len, const char *name)
{
	int fd;

	snprintf(path, len, "/tmp/%s.XXXXXX", name);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	return 0;
}

static const char node_fmt[] =
	"[span local]\nbackend = sim\nlocal_port = %u\nremote_port = %u\n"
	"[span transit]\nbackend = sim\nlocal_port = %u\nremote_port = %u\n"
	"[linkset local]\nspan = local\npointcode = %u\nadjpointcode = %u\nsigchan = 16\n"
	"cicbeginswith = 1\nchannel => 1-4\n"
	"[linkset transit]\nspan = transit\npointcode = %u\nadjpointcode = %u\nsigchan = 16\n"
	"cicbeginswith = 1\nchannel => 1-4\n"
	"[route]\nroute => 0312 local\nroute => 0 transit\n";

struct isup_node *fx_node_open(struct loop *l, bool cfwd, unsigned base, unsigned off,
			       struct conf **c, const struct isup_node_owner *owner, void *user)
{
	char text[1024], err[256];
	unsigned p = cfwd ? 0 : 2, b = base + off;

	snprintf(text, sizeof(text), node_fmt, b + p, b + 2 - p, b + 1 + p, b + 3 - p,
		 cfwd ? 1001 : 2001, cfwd ? 2001 : 1001, cfwd ? 1001 : 3001, cfwd ? 3001 : 1001);
	*c = conf_load_string(cfwd ? "cfwd" : "net", text, err, sizeof(err));
	if (!*c)
		return NULL;
	return isup_node_open(l, *c, owner, user, err, sizeof(err));
}

void fx_call_layer(struct call_ctx *calls, struct isup_node *cfwd, struct conf *c,
		   call_incoming_hook hook, void *user)
{
	char err[256];

	call_ctx_set_routes(calls, route_table_load(c, err, sizeof(err)));
	for (unsigned i = 0; i < cfwd->n_links; i++)
		call_ctx_add_link(calls, cfwd->links[i]);
	call_ctx_set_hook(calls, hook, user);
}

bool fx_nodes_idle(struct isup_node *cfwd, struct isup_node *net)
{
	struct isup_node *n[2] = { cfwd, net };

	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < n[k]->n_links; i++) {
			struct isup_link *lk = n[k]->links[i];

			if (!isup_link_is_up(lk) || isup_link_legs(lk) ||
			    cic_pool_available(isup_link_cics(lk)) != 4)
				return false;
		}
	return true;
}

void fx_facts(struct call_facts *fa, const char *from, const char *to)
{
	memset(fa, 0, sizeof(*fa));
	str_copy(fa->called.digits, to, sizeof(fa->called.digits));
	fa->called.nai = 3;
	str_copy(fa->calling.digits, from, sizeof(fa->calling.digits));
	fa->calling.nai = 3;
	fa->calling.screen = 3;
	fa->has_calling = true;
	fa->category = CALL_CATEGORY_ORDINARY;
}
