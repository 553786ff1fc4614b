/* feature/cfwd/forward_cdr.h - the billing record writer of cfwdd: a child process with
 * its own connection to the store file, fed through a pipe, so the fsync of each
 * commit (synchronous=FULL) never stalls the signalling loop. Records already in the
 * pipe are still written when cfwdd stops or dies (the writer drains it to EOF). When
 * the pipe is full or the writer is gone, the caller writes the record itself. */
#ifndef CFWD_FORWARD_CDR_H
#define CFWD_FORWARD_CDR_H

struct billing_record;
struct cdr_writer;

/* Fork the writer on the store file path. NULL with a message in err. */
struct cdr_writer *cdr_writer_start(const char *path, char *err, size_t errlen);
/* Queue n records, whole ones only, up to PIPE_BUF bytes per write(): how many were
 * queued (the first ones; fewer when the pipe filled), or -EAGAIN pipe full, -EPIPE
 * writer gone when none was. Never blocks. */
int cdr_writer_put(struct cdr_writer *w, const struct billing_record *rec, unsigned n);
/* Close the pipe and wait for the writer to drain it (NULL-safe). */
void cdr_writer_stop(struct cdr_writer *w);

#endif
