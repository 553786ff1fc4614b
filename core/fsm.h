/* core/fsm.h - small table-driven finite state machine engine (osmo_fsm's shape).
 * A machine is a table of states: allowed events (in_event_mask), allowed next states
 * (out_state_mask), onenter/onleave, an action, and a per-state timer from a tdef
 * table. Events outside the mask are logged and refused (-EPERM); transitions only via
 * fsm_state_chg(); every event and transition is logged as "name(id){STATE}: ...".
 * Instances are never freed inside their own callbacks: fsm_inst_term() marks them
 * terminated and the loop frees them after the current round. */
#ifndef CORE_FSM_H
#define CORE_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/log.h"
#include "core/tdef.h"

#define S(x) (1u << (x))

struct loop;
struct fsm_inst;

struct fsm_state {
	const char *name;
	uint32_t in_event_mask;
	uint32_t out_state_mask;
	void (*onenter)(struct fsm_inst *fi, uint32_t prev_state);
	void (*onleave)(struct fsm_inst *fi, uint32_t next_state);
	void (*action)(struct fsm_inst *fi, uint32_t event, void *data);
	int timer;		/* tdef id started on entry (0: none) */
};

struct fsm {
	const char *name;	/* "call_leg" */
	const struct fsm_state *states;
	uint32_t num_states;
	const char *const *event_names;	/* indexed by event number */
	uint32_t num_events;
	enum log_subsys log_subsys;
	const struct tdef *tdefs;	/* table for fsm_state.timer ids (may be NULL) */
	/* Per-state timer expired. Return 1 to terminate the instance, 0 to keep it. */
	int (*timer_cb)(struct fsm_inst *fi, int timer_id);
	/* Events accepted in every state, handled here before the state's action. */
	uint32_t allstate_event_mask;
	void (*allstate_action)(struct fsm_inst *fi, uint32_t event, void *data);
	void (*cleanup)(struct fsm_inst *fi);	/* called once, on termination */
};

/* NULL on ENOMEM. id is copied (e.g. "cic=17"); initial state is 0. */
struct fsm_inst *fsm_inst_alloc(const struct fsm *fsm, struct loop *l, void *priv,
				const char *id);
/* Deliver an event: 0, -EPERM (not allowed in this state: logged, refused) or
 * -ESHUTDOWN (instance already terminated). */
int fsm_inst_dispatch(struct fsm_inst *fi, uint32_t event, void *data);
/* Change state: runs onleave, onenter, (re)starts the new state's timer.
 * -EPERM if the new state is not in out_state_mask (logged; state unchanged). */
int fsm_state_chg(struct fsm_inst *fi, uint32_t new_state);
/* Same, with an explicit timer (ms 0: no timer) overriding the state's. */
int fsm_state_chg_ms(struct fsm_inst *fi, uint32_t new_state, uint32_t ms, int timer_id);
/* Restart or stop the current state's timer without changing state. */
void fsm_timer_schedule_ms(struct fsm_inst *fi, uint32_t ms, int timer_id);
void fsm_timer_stop(struct fsm_inst *fi);
/* Mark terminated: stops the timer, calls fsm->cleanup, frees after this loop round.
 * Safe from inside any callback; a second call is a no-op. */
void fsm_inst_term(struct fsm_inst *fi);

uint32_t fsm_inst_state(const struct fsm_inst *fi);
const char *fsm_inst_state_name(const struct fsm_inst *fi);
const char *fsm_event_name(const struct fsm *fsm, uint32_t event);
void *fsm_inst_priv(const struct fsm_inst *fi);
const char *fsm_inst_id(const struct fsm_inst *fi);
bool fsm_inst_terminated(const struct fsm_inst *fi);
/* Number of live (allocated, not yet freed) instances: for leak checks in tests. */
unsigned fsm_inst_live_count(void);

#define LOGPFSM(fi, lvl, fmt, ...) \
	fsm_log(fi, lvl, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
void fsm_log(const struct fsm_inst *fi, enum log_level lvl, const char *file, int line,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
