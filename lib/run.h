#ifndef UC3_RUN_H
#define UC3_RUN_H

#include <stddef.h>

#include "buf.h"

/*
 * Child processes: signers, the editor, sendmail, git itself.
 */

/*
 * Run argv[0] (looked up in PATH) with argv, feeding in[0..inlen) on its
 * standard input (in NULL: /dev/null) and collecting its standard output
 * and error into out and err (either NULL: discarded). *status gets the
 * exit status, or 128+signal. Returns 0 when the program ran, else
 * UC3_ERROR ("cannot run gpg: No such file or directory").
 */
int uc3_run(int *status, const char *const *argv, const char *in, size_t inlen, struct uc3_buf *out,
	    struct uc3_buf *err);

/*
 * The same, with the child started in the folder dir (NULL: ours) and
 * its environment changed by env (NULL, or a NULL-terminated list):
 * "NAME=VALUE" sets NAME, "NAME" alone removes it. The strings of env
 * must stay valid until the call returns.
 */
int uc3_run_at(int *status, const char *const *argv, const char *dir, const char *const *env,
	       const char *in, size_t inlen, struct uc3_buf *out, struct uc3_buf *err);

/*
 * Run a shell command line with the terminal (for $EDITOR): as git does,
 * `sh -c 'CMD "$@"' CMD arg`. Returns 0 and *status, or UC3_ERROR.
 */
int uc3_run_interactive(int *status, const char *cmd, const char *arg);

/* Start argv in the background, detached, all output to /dev/null; no waiting. */
void uc3_run_background(const char *const *argv);

#endif
