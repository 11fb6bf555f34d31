#ifndef UC3_REQUESTER_H
#define UC3_REQUESTER_H

/*
 * Who sent a ticket, as a person types it (uc3 new --from): the
 * requester's name and email of the ticket (see ticket.h).
 */

/*
 * Split "Name <email>", "<email>", "email" or "Name" into name and email
 * (either may come back NULL; free() both). UC3_EINVAL for anything else:
 * an unclosed "<", an email without "@" or with blanks, line breaks.
 */
int uc3_requester_parse(char **name, char **email, const char *from);

#endif
