/* isup/iam_latency.h - how long cfwdd takes to pass a call on: from an IAM arriving on
 * one link (the RX SU hook, after the span read it) to the onward IAM leaving libss7 on
 * another (the TX SU hook, before the span sends it). Process-wide histogram with 10 us
 * buckets up to 100 ms; percentiles for status and the benchmark. */
#ifndef ISUP_IAM_LATENCY_H
#define ISUP_IAM_LATENCY_H

#include <stdint.h>

struct iam_latency {
	uint64_t n;
	uint32_t p50_us, p99_us, max_us;
};

void iam_latency_record(uint64_t us);
void iam_latency_get(struct iam_latency *out);
void iam_latency_reset(void);

#endif
