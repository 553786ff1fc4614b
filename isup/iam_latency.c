/* isup/iam_latency.c - IAM-in -> IAM-out latency histogram (see iam_latency.h). One
 * process-wide table: cfwdd is single-threaded. Percentiles are bucket upper bounds. */
#include <string.h>

#include "isup/iam_latency.h"

#define LAT_BUCKET_US 10
#define LAT_BUCKETS 10000	/* 100 ms; slower ones land in the last bucket */

static uint32_t hist[LAT_BUCKETS];
static uint64_t count;
static uint32_t max_us;

void iam_latency_record(uint64_t us)
{
	uint64_t b = us / LAT_BUCKET_US;

	hist[b < LAT_BUCKETS ? b : LAT_BUCKETS - 1]++;
	count++;
	if (us > max_us)
		max_us = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static uint32_t percentile(uint64_t rank)
{
	uint64_t seen = 0;

	for (unsigned b = 0; b < LAT_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			return (b + 1) * LAT_BUCKET_US;
	}
	return LAT_BUCKETS * LAT_BUCKET_US;
}

void iam_latency_get(struct iam_latency *out)
{
	memset(out, 0, sizeof(*out));
	out->n = count;
	if (!count)
		return;
	out->p50_us = percentile((count + 1) / 2);
	out->p99_us = percentile(count - count / 100);
	out->max_us = max_us;
}

void iam_latency_reset(void)
{
	memset(hist, 0, sizeof(hist));
	count = 0;
	max_us = 0;
}
