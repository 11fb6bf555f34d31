#ifndef UC3_REQUESTER_H
#define UC3_REQUESTER_H

/*
 * Who sent a ticket, as a person types it (uc3 new --from and
 * --address): the requester's fields of the ticket (see ticket.h).
 */

/*
 * Split "Name <email>", "<email>", "email", "@account" or "Name" into
 * name, email and social account (any may come back NULL; free() all
 * three). "@account" is a social-media handle: an "@" first, no other
 * "@" and no blanks. UC3_EINVAL for anything else: an unclosed "<", an
 * email without "@" or with blanks, line breaks.
 */
int uc3_requester_parse(char **name, char **email, char **social, const char *from);

/*
 * A postal address as typed (uc3 new --address), one or several lines:
 * normalised as free text is (uc3_text_normalize: CR LF and CR are line
 * breaks, tabs blanks), then each line without the blanks around it,
 * empty lines dropped, every line ending in LF. Returns a new string
 * (free()), or NULL when s is NULL or holds nothing but blanks.
 */
char *uc3_requester_address(const char *s);

#endif
