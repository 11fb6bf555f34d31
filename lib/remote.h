#ifndef UC3_REMOTE_H
#define UC3_REMOTE_H

#include "store.h"

/*
 * The central repository, uc3.remote in git's configuration (DESIGN
 * section 7). A write pulls (fast-forward only) before it builds its
 * commit and pushes the commit before it moves the local branch; a push
 * the central branch refuses because it moved is redone on what it has
 * then. That is in the store's write; this header is for the commands
 * that read before they write.
 */

/*
 * With uc3.remote set, bring the branch up to the central repository
 * (fast-forward only) so that a command about to write reads what is
 * there now. Without it, nothing. The write that follows in the same
 * command does not pull again, and after a write the central took,
 * neither does this (the clone is where the central was a moment ago).
 */
int uc3_remote_sync(struct uc3_store *st);

/*
 * For a command that only reads (list, show, log, overdue): with
 * uc3.remote set, fetch from the central repository and bring the branch
 * up to it (fast-forward only, under the writers' lock, as a write's
 * pull does), when the last try is older than the policy's
 * central.fetch_after (or the branch moved since a try that went
 * wrong). The time of the try, and of the last time the branch held all
 * the central had, are kept in $GIT_DIR/uc3/fetch; a write's pull counts
 * as a try that went well.
 *
 * Never fails, and never stops the read: returns NULL when there is
 * nothing to say, else a warning for stderr (free()), one line per
 * thing: the central cannot be reached, the branch cannot be brought
 * up to it or has commits it lacks, or the repository is not writable
 * here; each names the remote, git's reason, how old the records shown
 * are ("showing the records as of 2026-11-27 09:00, 40m ago") and the
 * way out where there is one. Within the interval the same warning is
 * given again from the file, without asking the central. Without
 * uc3.remote, or with fetch_after never, nothing is done and nothing
 * written.
 */
char *uc3_remote_freshen(struct uc3_store *st);

#endif
