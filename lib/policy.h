#ifndef UC3_POLICY_H
#define UC3_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct uc3_ynode;

/*
 * The policy, uc3.yaml: the office's SOP as data (DESIGN section 5).
 * Read from the records repository's committed tree; an invalid policy is
 * refused whole with "uc3.yaml:line:column: what" and no tool runs on it.
 * The module is policy.c and the policy_*.c files, which share the
 * private policy_read.h (it lists what each file holds).
 */

struct uc3_role {
	char *id;   /* "staf" */
	char *name; /* "Staf Humas"; the id when the file gives none */
	long step;  /* seconds this role has for its step */
};

/* A business-hours range, minutes since local midnight, start < end. */
struct uc3_range {
	int start, end;
};

struct uc3_calendar {
	bool always;		  /* hours: always (24/7, no holidays) */
	struct uc3_range *day[7]; /* by tm_wday: 0 sun .. 6 sat; sorted, disjoint */
	size_t nday[7];
	int *holidays; /* yyyymmdd, sorted */
	size_t nholidays;
};

/*
 * A unit of the university a ticket may be addressed to (units:): its
 * name, written in tickets, and the other ways people type it.
 */
struct uc3_unit {
	char *name;	/* "Bagian Keuangan" */
	char **aliases; /* "Keuangan", "BAK"; may be none */
	size_t naliases;
};

struct uc3_person {
	char *email;  /* as written; compare with strcasecmp */
	char *name;   /* NULL when the file gives none */
	char **roles; /* role ids, each one of the chain; none for a service */
	size_t nroles;
	bool service; /* service: true, an account such as cron's that only records notices */
	char **keys;  /* ssh public keys or OpenPGP fingerprints */
	size_t nkeys;
};

/* The corrections, by their key under corrections: in uc3.yaml. */
enum uc3_correction {
	UC3_CORRECT_EDIT,     /* edit: uc3 edit */
	UC3_CORRECT_REOPEN,   /* reopen: uc3 reopen */
	UC3_CORRECT_CLOSE_AS, /* close_as: uc3 close --as spam|duplicate */
	UC3_NCORRECTIONS
};

/* One rule of mail_in.kinds: a kind, and a PCRE2 pattern checked when the policy is read. */
struct uc3_mail_rule {
	char *kind;
	char *match;
};

struct uc3_policy {
	char *office;
	char *sop;	 /* NULL when the file gives none */
	char *id_prefix; /* "UC3": [A-Z][A-Z0-9]* */
	char *timezone;	 /* tz database name, checked */
	/*
	 * language: the office's language for the text uc3 writes into mail
	 * and records, "id" or "en"; NULL when the file gives none (then the
	 * locale's).
	 */
	char *language;
	bool require_signed;
	struct uc3_role *roles; /* the chain, bottom to top; at least one */
	size_t nroles;
	long step_deliver; /* seconds */
	long step_archive;
	struct uc3_calendar calendar;
	char **kinds;
	size_t nkinds;
	char **channels;
	size_t nchannels;
	struct uc3_unit *units; /* none: a unit is free text */
	size_t nunits;
	struct uc3_person *people;
	size_t npeople;
	char *mail_from;   /* NULL when the file gives none */
	char *sendmail;	   /* default "/usr/sbin/sendmail -t -i" */
	size_t body_limit; /* limits.body: bytes; default 1 MiB */
	/*
	 * corrections: the roles that may do each (by enum uc3_correction),
	 * each one of the chain; the defaults when the file gives none are
	 * every role (edit), the top two (reopen), all but the bottom one
	 * (close_as; every role of a chain of one).
	 */
	char **correct_roles[UC3_NCORRECTIONS];
	size_t ncorrect_roles[UC3_NCORRECTIONS];
	/* limits.attachment: the most bytes of a file uc3 attach keeps; default 10 MiB */
	size_t attachment_limit;
	/* notify: whom uc3 overdue --mail tells of a late step, and when */
	bool notify_holders;	       /* the people holding the step's role (default true) */
	bool notify_next_up;	       /* and, for a breach, the next role up (default true) */
	bool notify_office_hours_only; /* hold mail outside office hours (default false) */
	char **notify_fallback;	       /* whom to tell when nobody holds the role */
	size_t nnotify_fallback;
	/* notify.acknowledge: uc3 new mails the requester "received as ID" (default false) */
	bool notify_acknowledge;
	/*
	 * notify.warn: warn the holders of a step before its deadline, when
	 * notify_warn_share percent (1 to 99) of the step's time has run
	 * ("80%"), or notify_warn_before seconds of office time before the
	 * deadline ("10m"); both 0: no warnings (default, "off").
	 */
	int notify_warn_share;
	long notify_warn_before;
	/* notify.repeat: office seconds between reminders of a step still late; 0: none (default)
	 */
	long notify_repeat;
	/*
	 * notify.digest: the time of day (minutes after midnight in the
	 * policy's zone, "07:30") from which the first run of uc3 overdue
	 * --mail on an office day mails the top role everything late; -1:
	 * no digest (default, "off").
	 */
	int notify_digest;
	/*
	 * central.fetch_after: how old the last fetch from the central
	 * repository (uc3.remote) may be before a command that only reads
	 * fetches again, in seconds: 0 every time, UC3_FETCH_NEVER never;
	 * default UC3_FETCH_AFTER_DEFAULT.
	 */
	long fetch_after;
	/*
	 * central.skew: how far, in seconds, the time of a pushed commit
	 * (its committer date, and the time of the event it appends) may be
	 * from the central's clock, ahead or behind, for its pre-receive hook
	 * (uc3 verify --pre-receive); default UC3_CENTRAL_SKEW_DEFAULT.
	 */
	long central_skew;
	/*
	 * central.backfill: the role of the chain whose holders may record a
	 * step at a past time, with a reason (UC3_BACKFILL), for paper forms
	 * entered later; NULL: nobody (default, or "none").
	 */
	char *backfill_role;
	/*
	 * central.offline_ids: how many ticket numbers a clone sets aside
	 * at a time, while the central can be reached, to give to tickets
	 * registered while it cannot; 0: none (then uc3 new needs the
	 * central). Default UC3_OFFLINE_IDS_DEFAULT.
	 */
	long offline_ids;
	/*
	 * mail_in: what uc3 new --mail makes of a mail: the kind of the
	 * first rule whose pattern matches the subject or the body, else
	 * mail_in_kind (uc3_policy_mail_kind); the channel mail_in_channel
	 * (uc3_policy_mail_channel). Each NULL when the file gives none.
	 */
	struct uc3_mail_rule *mail_rules;
	size_t nmail_rules;
	char *mail_in_kind;
	char *mail_in_channel;
};

#define UC3_POLICY_FILE	       "uc3.yaml"
#define UC3_BODY_LIMIT_DEFAULT (1024 * 1024)

/* limits.attachment: its default, and the most it may be. */
#define UC3_ATTACHMENT_LIMIT_DEFAULT (10 * 1024 * 1024)
#define UC3_ATTACHMENT_LIMIT_MAX     (64 * 1024 * 1024)

/* central.fetch_after: never, and the default (a minute). */
#define UC3_FETCH_NEVER		(-1L)
#define UC3_FETCH_AFTER_DEFAULT 60L

/* central.skew and central.offline_ids: their defaults, and the most numbers a block may have. */
#define UC3_CENTRAL_SKEW_DEFAULT 300L
#define UC3_OFFLINE_IDS_DEFAULT	 20L
#define UC3_OFFLINE_IDS_MAX	 1000

/* The largest uc3.yaml that is read at all. */
#define UC3_POLICY_FILE_MAX (1024 * 1024)

/*
 * Parse and validate a policy from data[0..len), called name in messages.
 * On success *out is a new policy (free with uc3_policy_free). Unknown
 * keys, missing required keys, a bad duration, time range, zone, role
 * reference or duplicate are errors: UC3_EPOLICY, "name:line:col: what".
 */
int uc3_policy_parse(struct uc3_policy **out, const char *data, size_t len, const char *name);
void uc3_policy_free(struct uc3_policy *p);

/* The role with this id, or NULL. Borrowed from p. */
const struct uc3_role *uc3_policy_role(const struct uc3_policy *p, const char *id);
/* Index of role id in the chain (0 = bottom), or -1. */
int uc3_policy_role_index(const struct uc3_policy *p, const char *id);
/* The person with this email (case-insensitive), or NULL. */
const struct uc3_person *uc3_policy_person(const struct uc3_policy *p, const char *email);
bool uc3_policy_has_kind(const struct uc3_policy *p, const char *kind);

/* "edit", "reopen", "close_as": the key of correction c under corrections:. */
const char *uc3_policy_correction_key(enum uc3_correction c);
/* Whether the policy lets role do correction c. */
bool uc3_policy_may_correct(const struct uc3_policy *p, enum uc3_correction c, const char *role);
bool uc3_policy_has_channel(const struct uc3_policy *p, const char *channel);

/*
 * The unit typed names: the name of the unit of p->units whose name or
 * alias it is, compared without regard to (ASCII) case and to blanks
 * around it. NULL when it names none, or when p lists no units. Borrowed
 * from p.
 */
const char *uc3_policy_unit(const struct uc3_policy *p, const char *typed);

/*
 * A unit as a command takes it (--unit), what names it in messages
 * ("--unit"): *out gets what is written in the ticket, a new string
 * (free()): the unit's name when p lists units, else the text typed
 * without blanks around it; NULL when typed is NULL or only blanks.
 * When p lists units and typed names none: UC3_EINVAL, "--unit \"Keuangn\"
 * is not a unit of uc3.yaml; did you mean \"Bagian Keuangan\"?" when
 * one is close, else with the list of units.
 */
int uc3_policy_unit_resolve(char **out, const struct uc3_policy *p, const char *typed,
			    const char *what);

/*
 * Rewrite the top-level entry key of the policy text[0..len) to value,
 * keeping every other byte (comments, order, layout); an entry that is not
 * there is added at the end. The entry's own comments go with it. out gets
 * the new text; the caller parses it again before using it. Returns 0, or
 * UC3_EPOLICY when key is there twice.
 */
int uc3_policy_rewrite(struct uc3_buf *out, const char *text, size_t len, const char *key,
		       const struct uc3_ynode *value);

/* people[0..n) as the value of "people:" (free with uc3_ynode_free). */
struct uc3_ynode *uc3_policy_people_node(const struct uc3_person *people, size_t n);

/* mail_in.kind, else pertanyaan when it is a kind, else the first kind. Borrowed. */
const char *uc3_policy_mail_kind(const struct uc3_policy *p);
/* mail_in.channel, else "email". Borrowed. */
const char *uc3_policy_mail_channel(const struct uc3_policy *p);

#endif
