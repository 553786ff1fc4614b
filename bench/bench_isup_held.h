/* bench/bench_isup_held.h - the held-480 run of bench-isup: the forwarded-call rate
 * through cfwdd while 480 CFU calls (16 E1s a side) are held up, against the rate with
 * none held on the same spare spans. Prints its own lines; never fails on a figure. */
#ifndef BENCH_ISUP_HELD_H
#define BENCH_ISUP_HELD_H

/* self: argv[0] (cfwdd is beside it). 0, or 1 when the run could not be made. */
int bench_isup_held(const char *self);

#endif
