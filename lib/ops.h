#ifndef UC3_OPS_H
#define UC3_OPS_H

#include <stddef.h>

#include "buf.h"
#include "store.h"
#include "ticket.h"
#include "transition.h"

/*
 * The commands' operations on a records repository, each one commit:
 * what cmd/ calls after parsing its options.
 */

struct uc3_new_input {
	const char *subject;
	const char *kind;
	const char *channel;
	const char *from; /* "Name <email>", "email", "@account" or "Name"; may be NULL */
	const char *phone;
	const char *social;  /* a social-media account, one line; may be NULL */
	const char *address; /* a postal address, may be several lines; may be NULL */
	const char *unit;
	const char *received; /* RFC 3339 or local time in the policy's zone; NULL: now */
	const char *body;     /* may be NULL */
	size_t body_len;
	/* Mail in (see the fields of struct uc3_ticket); each may be NULL. */
	const char *message_id; /* "<left@right>" */
	const char *sent;	/* RFC 3339 */
	const char *follows;	/* a ticket id */
	const char *automatic;	/* a word of uc3_mail_in.automatic, or "loop" */
	/*
	 * A file waiting in quarantine/ (as uc3 list shows it) that this
	 * ticket was typed from: the same commit removes it, and the ticket
	 * says `quarantined: PATH`. UC3_EINVAL when no such file waits.
	 */
	const char *quarantined;
};

/*
 * Register a ticket (DESIGN section 6, first row): status open at the
 * bottom of the chain, deadline received + that role's step on the
 * business calendar. Allocates the id under the store's compare-and-swap.
 * On success *id is the new id (free()). Errors: UC3_EINVAL for bad input,
 * naming the option; the store's errors otherwise. Nothing is written
 * on error.
 */
int uc3_op_new(char **id, struct uc3_store *st, const struct uc3_new_input *in,
	       struct uc3_write_result *res);

/*
 * What uc3_op_new checks of in->quarantined, without writing: path is
 * one line naming a file of the quarantine that waits at the tip; else
 * UC3_EINVAL saying so. uc3 new asks before the editor opens.
 */
int uc3_op_new_quarantined_check(struct uc3_store *st, const char *path);

/*
 * Keep the files at paths[0..n) (as typed) with ticket id, in one commit
 * that writes the ticket's file and each file at
 * tickets/YEAR/MM/ID/NAME (ops_attach.c; see attach.h for the names,
 * types and the step). note (may be NULL) is the event's. Every file is
 * read before anything is written: one that is missing, not a regular
 * file (a directory), empty or over the policy's limits.attachment is
 * UC3_EINVAL naming it as typed. The step is bound to the ticket as this
 * store first read it, as uc3_op_transition's. *ticket_out (may be NULL)
 * gets the ticket as written (uc3_ticket_free); its last n attachments
 * are the files, in the order given. Nothing is written on error.
 */
int uc3_op_attach(struct uc3_store *st, const char *id, const char *const *paths, size_t n,
		  const char *note, struct uc3_ticket **ticket_out, struct uc3_write_result *res);

/*
 * As uc3_op_attach, for files held in memory (uc3 new --mail): names[i]
 * is the name the file came with (made safe and free as uc3 attach makes
 * a path's), data[i][0..lens[i]) its content. A file empty or over
 * limits.attachment is UC3_EINVAL, as uc3_op_attach's.
 */
int uc3_op_attach_data(struct uc3_store *st, const char *id, const char *const *names,
		       const char *const *data, const size_t *lens, size_t n, const char *note,
		       struct uc3_ticket **ticket_out, struct uc3_write_result *res);

/*
 * Keep data[0..len), a mail uc3 new --mail could not read, as it came,
 * in one commit that adds quarantine/NAME.eml (uc3_records_quarantine_name)
 * with why (one line) in its message. *path (free()) gets the path.
 * Anybody in single-user mode, else any of the people, service
 * identities included. Nothing is written on error. The same bytes
 * handed over again (an MTA that retries) while a file holding them
 * waits: 0, nothing written (res->commit ""), *path that file's path.
 * why is made one line (controls escaped, line breaks made blanks).
 * (ops_quarantine.c)
 */
int uc3_op_quarantine(char **path, struct uc3_store *st, const char *data, size_t len,
		      const char *why, struct uc3_write_result *res);

/* What became of a mail (uc3_op_mail). */
struct uc3_mail_outcome {
	char *id;	  /* the ticket it went to; NULL when it went to quarantine */
	char *quarantine; /* quarantine/NAME.eml when it could not be read */
	char *why;	  /* why it could not be read */
	char *follows;	  /* the closed ticket it answered: id is a new ticket after it */
	bool followup;	  /* added to id as a follow-up (action followup) */
	bool duplicate;	  /* id already had it (delivered again): nothing new but its files */
	const char
		*automatic; /* "auto-reply", "bounce", "bulk", "list", "loop": never acknowledged */
	size_t kept;	    /* its files kept with id */
	char *left_out;	    /* its files not kept (too big, empty), for people; NULL: none */
	char *warning;	    /* something after a write that landed did not */
};
void uc3_mail_outcome_release(struct uc3_mail_outcome *o);

/*
 * uc3 new --mail: the RFC 5322 message raw[0..len) (see uc3-new(1)).
 * Read with uc3_mail_parse; a mail that does not read, or that makes a
 * ticket uc3 refuses (UC3_EINVAL), goes to quarantine (uc3_op_quarantine),
 * as it came. Else it goes to the ticket it belongs to:
 *   - the subject's [PREFIX-YYYY-N] names a ticket not closed and the
 *     mail is from its requester (or answers one of its mails), or its
 *     In-Reply-To or References name a mail of a ticket not closed: a
 *     follow-up (UC3_ACT_FOLLOWUP) on it;
 *   - such a ticket is closed: a new ticket, `follows` it;
 *   - else a new ticket: the requester from From, the subject, the kind
 *     of mail_in's rules, the channel mail_in.channel, the text (cut to
 *     the body limit), message_id, sent (the Date) and automatic.
 * Then its files (within limits.attachment) are kept with that ticket in
 * a second write (uc3_op_attach_data, note "from the mail <ID>"); the
 * ones left out are said at the end of the ticket's text. A mail whose
 * Message-ID the ticket already has from the same sender (delivered
 * again) writes nothing but the files a first delivery did not keep.
 * Mail is taken in one at a time (uc3_store_lock_mail). Returns 0 (o filled;
 * uc3_mail_outcome_release) or the store's error (busy: UC3_ECONFLICT, UC3_ELOCKED; the central:
 * UC3_ERROR), when the MTA should try again.
 */
int uc3_op_mail(struct uc3_mail_outcome *o, struct uc3_store *st, const char *raw, size_t len);

/*
 * Do one step of the SOP on ticket id (see transition.h): a->action, and
 * a->note, a->text, a->unit as that action takes them (a correction:
 * a->edits, a->as, a->of; a duplicate's a->of must be a ticket of these
 * records, else UC3_EINVAL); a->policy, a->actor and a->now are filled
 * in here. The step is bound to the ticket as this
 * store first read it (uc3_store_pin: before catching up with a central
 * repository, and across uc3_op_transition_check): if the ticket is not
 * that same file when the write is made, on any attempt (somebody else
 * acted on it in between, here or elsewhere), nothing is written and the
 * result is UC3_ECONFLICT ("UC3-2026-0042 changed while this command
 * ran ..."), so a step is never done twice, nor again from where another
 * person left it. An attempt redone because another ticket moved the
 * branch goes on. *ticket_out (may be NULL) gets the ticket as written
 * (uc3_ticket_free).
 */
int uc3_op_transition(struct uc3_store *st, const char *id, const struct uc3_act *a,
		      struct uc3_ticket **ticket_out, struct uc3_write_result *res);

/*
 * Whether uc3_op_transition would refuse a on ticket id now, without
 * writing (an answer without its text yet is tried with a stand-in), so
 * that nobody types an answer that cannot be recorded. 0 or the refusal.
 */
int uc3_op_transition_check(struct uc3_store *st, const char *id, const struct uc3_act *a);

/*
 * Ticket numbers for writes made without the central (DESIGN section 3,
 * "Ticket ids"). While the central can be reached, a clone sets aside a
 * block of central.offline_ids numbers of the current year, recorded in
 * the records (a commit of its own, Action: reserve), which no other
 * clone and no online uc3 new ever gives out; uc3 new made offline takes
 * the next number of its block (uc3_records_next_number, when
 * uc3_store_offline). uc3_op_reserve makes such a block when this clone
 * has none for year with numbers left, or fewer than half of one left;
 * else does nothing. *said (may be NULL) gets a line for the user
 * ("set aside UC3-2026-0101 to UC3-2026-0120 for tickets registered
 * offline"), or NULL; free(). Returns 0, 1 when it made one, or a
 * negative UC3_E* (the caller warns: the write it follows stands).
 */
int uc3_op_reserve(struct uc3_store *st, int year, char **said);

#endif
