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
 * command does not pull again.
 */
int uc3_remote_sync(struct uc3_store *st);

#endif
