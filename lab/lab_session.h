/* lab/lab_session.h - `cfwd-lab session`: calls 142 (or a remote-control access number)
 * as a subscriber's line would, presses keys as DTMF audio with realistic timing (level,
 * twist, on/off, gaps, optional white noise), optionally loops the guidance it hears
 * back at a gain (echo), records it, waits for each prompt to start (energy) before the
 * next key group with --wait-prompts, then hangs up. N sessions at once with --count.
 * Does not understand the guidance: the store and the ladder tell what happened. */
#ifndef LAB_LAB_SESSION_H
#define LAB_LAB_SESSION_H

#include <stdio.h>

struct lab;

/* The session command's options (argv[0] = "session"); exit status 0 ok, 1 a session
 * failed (not answered, timeout, an --expect failed), 2 usage. */
int lab_session_main(struct lab *lab, int argc, char **argv);
void lab_session_usage(FILE *f);

#endif
