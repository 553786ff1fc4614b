/* isup/cic.c - CIC pool of one linkset: state per circuit, outgoing selection with the
 * Q.764 2.10.1.4 preference (the exchange with the higher point code controls the even
 * CICs, so it seizes those first and the other side the odd ones), counts and leak
 * audit. Pure bookkeeping: no signalling, no timers. */
#include <errno.h>
#include <stdlib.h>

#include "core/util.h"
#include "isup/cic.h"

struct cic_pool {
	unsigned n;
	unsigned next;		/* round-robin start */
	bool we_control_even;
	struct cic *c;
};

static const struct value_string cic_state_names[] = {
	{ CIC_IDLE, "idle" },
	{ CIC_BUSY_IN, "busy-in" },
	{ CIC_BUSY_OUT, "busy-out" },
	{ CIC_RESET, "reset" },
	{ 0, NULL },
};

const char *cic_state_name(enum cic_state s)
{
	return get_value_string(cic_state_names, s);
}

struct cic_pool *cic_pool_alloc(const uint16_t *cics, const uint8_t *timeslots, unsigned n,
				bool we_control_even)
{
	struct cic_pool *p;

	if (!n)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->c = calloc(n, sizeof(*p->c));
	if (!p->c) {
		free(p);
		return NULL;
	}
	p->n = n;
	p->we_control_even = we_control_even;
	for (unsigned i = 0; i < n; i++) {
		p->c[i].cic = cics[i];
		p->c[i].timeslot = timeslots[i];
		p->c[i].state = CIC_RESET;	/* until the group reset at link up */
	}
	return p;
}

void cic_pool_free(struct cic_pool *p)
{
	if (!p)
		return;
	free(p->c);
	free(p);
}

unsigned cic_pool_size(const struct cic_pool *p)
{
	return p->n;
}

struct cic *cic_pool_at(struct cic_pool *p, unsigned i)
{
	return i < p->n ? &p->c[i] : NULL;
}

struct cic *cic_pool_find(struct cic_pool *p, uint16_t cic)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->c[i].cic == cic)
			return &p->c[i];
	return NULL;
}

uint16_t cic_pool_first(const struct cic_pool *p)
{
	uint16_t m = p->c[0].cic;

	for (unsigned i = 1; i < p->n; i++)
		m = MIN(m, p->c[i].cic);
	return m;
}

uint16_t cic_pool_last(const struct cic_pool *p)
{
	uint16_t m = p->c[0].cic;

	for (unsigned i = 1; i < p->n; i++)
		m = MAX(m, p->c[i].cic);
	return m;
}

bool cic_we_control(const struct cic_pool *p, uint16_t cic)
{
	bool even = !(cic & 1);

	return even == p->we_control_even;
}

static bool cic_free_for_out(const struct cic *c)
{
	return c->state == CIC_IDLE && !c->blocked_remote && !c->blocked_local && !c->leg;
}

struct cic *cic_seize_out(struct cic_pool *p, struct call_leg *leg)
{
	struct cic *fallback = NULL;

	for (unsigned k = 0; k < p->n; k++) {
		unsigned i = (p->next + k) % p->n;
		struct cic *c = &p->c[i];

		if (!cic_free_for_out(c))
			continue;
		if (!cic_we_control(p, c->cic)) {
			if (!fallback)
				fallback = c;
			continue;
		}
		p->next = (i + 1) % p->n;
		fallback = c;
		break;
	}
	if (!fallback)
		return NULL;
	fallback->state = CIC_BUSY_OUT;
	fallback->leg = leg;
	return fallback;
}

struct cic *cic_seize_this(struct cic_pool *p, uint16_t cicn, struct call_leg *leg)
{
	struct cic *c = cic_pool_find(p, cicn);

	if (!c || !cic_free_for_out(c))
		return NULL;
	c->state = CIC_BUSY_OUT;
	c->leg = leg;
	return c;
}

int cic_seize_in(struct cic_pool *p, uint16_t cic, struct call_leg *leg, struct cic **out)
{
	struct cic *c = cic_pool_find(p, cic);

	if (!c)
		return -ENOENT;
	if (c->state != CIC_IDLE || c->leg)
		return -EBUSY;
	c->state = CIC_BUSY_IN;
	c->leg = leg;
	*out = c;
	return 0;
}

void cic_release(struct cic *c)
{
	c->leg = NULL;
	if (c->state != CIC_RESET)
		c->state = CIC_IDLE;
}

void cic_set_state(struct cic *c, enum cic_state s)
{
	c->state = s;
}

void cic_pool_counts(const struct cic_pool *p, unsigned counts[CIC_STATE_COUNT],
		     unsigned *blocked)
{
	for (unsigned s = 0; s < CIC_STATE_COUNT; s++)
		counts[s] = 0;
	*blocked = 0;
	for (unsigned i = 0; i < p->n; i++) {
		counts[p->c[i].state]++;
		if (p->c[i].blocked_remote || p->c[i].blocked_local)
			(*blocked)++;
	}
}

unsigned cic_pool_leaked(const struct cic_pool *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->n; i++) {
		const struct cic *c = &p->c[i];
		bool busy = c->state == CIC_BUSY_IN || c->state == CIC_BUSY_OUT;

		if (busy != (c->leg != NULL))
			n++;
	}
	return n;
}

unsigned cic_pool_available(const struct cic_pool *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->n; i++)
		n += cic_free_for_out(&p->c[i]);
	return n;
}
