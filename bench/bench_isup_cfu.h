/* bench/bench_isup_cfu.h - the CFU run of bench-isup: forwarded calls per second through
 * cfwdd (caller leg + onward leg, each IAM->ACM->ANM->REL->RLC, the store read per call)
 * against the raw libss7 pair figure measured in the same run, and the IAM latency at
 * 1,000 forwarded calls/s. Prints its own lines; never fails on a figure. */
#ifndef BENCH_ISUP_CFU_H
#define BENCH_ISUP_CFU_H

/* self: argv[0] (cfwdd is beside it); raw: the raw pair's call cycles/s. 0 or 1. */
int bench_isup_cfu(const char *self, double raw);

#endif
