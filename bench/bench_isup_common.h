/* bench/bench_isup_common.h - what the CFU runs of bench-isup share (bench/bench_isup_cfu.c
 * and bench/bench_isup_held.c): cfwdd started as a process beside this program, a store
 * provisioned with CFU subscribers, the generated sim topology, waiting on the lab-side
 * node (links up, every circuit idle), and the forward-to exchange that answers at once.
 * Not here: the runs themselves, what they print. */
#ifndef BENCH_ISUP_COMMON_H
#define BENCH_ISUP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct call_leg;
struct isup_node;
struct loop;

/* cfwdd (beside self, argv[0]) on conf, db and ctl, logging errors only; its pid or -1. */
pid_t bench_cfwdd_start(const char *self, const char *conf, const char *db, const char *ctl);
void bench_cfwdd_stop(pid_t pid);	/* SIGTERM and wait; pid <= 0 ignored */
void bench_rmdir(const char *dir);	/* rm -rf dir (a run's temporary folder) */

/* Subscriber number and forward-to of subscriber i (into len-byte buffers). */
typedef void (*bench_sub_fn)(unsigned i, char *sub, char *to, size_t len);
/* n subscribers with unconditional forwarding into the store at db, synchronous=OFF for
 * the bulk load only (cfwdd opens the file with the store's own settings). what names
 * the run in messages. 0 or -1. */
int bench_provision_cfu(const char *db, unsigned n, bench_sub_fn sub, const char *what);

/* The sim topology both CFU runs use: spans E1s a side, "local1.."/"transit1..", forward-to
 * numbers 0398K... (K of route_width digits) routed to transitK+1. Writes
 * dir/<prefix>cfwd.conf and dir/<prefix>lab.conf; 0 or -1. */
int bench_write_topology(const char *dir, const char *prefix, unsigned spans,
			 int route_width);

/* Every circuit of every linkset of the node idle. */
bool bench_node_idle(struct isup_node *n);
bool bench_node_up(struct isup_node *n);
/* Run the loop until cond(n) or ms passed; 0 or -1. */
int bench_node_wait(struct loop *l, struct isup_node *n, bool (*cond)(struct isup_node *),
		    uint64_t ms);

/* The forward-to's exchange: take the leg and answer it at once. */
void bench_far_answer(struct call_leg *leg);

#endif
