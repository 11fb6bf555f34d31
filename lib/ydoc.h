#ifndef UC3_YDOC_H
#define UC3_YDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * YAML documents as a small tree of nodes, read and written with libyaml
 * (this module is the only one that includes <yaml.h>).
 *
 * The reader is strict, for records that must stay plain and safe: one
 * document; no anchors, aliases or tags (other than the implicit ones);
 * no duplicate keys; mapping keys are scalars; well-formed UTF-8; at most
 * max_bytes of input, UC3_YDOC_MAX_DEPTH levels and UC3_YDOC_MAX_NODES
 * nodes. Every refusal is UC3_EINVAL with "name:line:column: what".
 * Every scalar is kept as a string; interpreting it is the caller's job.
 *
 * The writer emits a tree in block style, 2-space indent, unicode as is,
 * keys in tree order, each scalar in the style its node asks for, so the
 * same tree always gives the same bytes.
 */

#define UC3_YDOC_MAX_DEPTH 32
#define UC3_YDOC_MAX_NODES 100000

enum uc3_ynode_type { UC3_YSCALAR, UC3_YSEQ, UC3_YMAP };

enum uc3_ystyle {
	UC3_YSTYLE_ANY = 0, /* plain when the emitter can, else quoted */
	UC3_YSTYLE_SQUOTED, /* 'single-quoted' (falls back to "double") */
	UC3_YSTYLE_DQUOTED, /* "double-quoted" */
	UC3_YSTYLE_LITERAL, /* | block (falls back to "double" if it must) */
	UC3_YSTYLE_FLOW	    /* for maps and sequences: {a: 1} / [a, b] */
};

struct uc3_ynode {
	enum uc3_ynode_type type;
	enum uc3_ystyle style; /* as read, or as to be written */
	bool plain;	       /* scalar was read plain (unquoted): may be null/bool */
	unsigned line, col;    /* 1-based position in the source (0 if built) */
	char *str;	       /* scalar: NUL-terminated value */
	size_t len;	       /* scalar: length of str (may contain NUL? never: refused) */
	size_t n;	       /* seq/map: number of items / pairs */
	size_t alloc;
	struct uc3_ynode **items;     /* seq: items; map: values */
	char **keys;		      /* map: keys, parallel to items */
	unsigned *key_line, *key_col; /* map: key positions (may be NULL if built) */
};

/*
 * Parse data[0..len) (a file called name in messages) into *out, which the
 * caller frees with uc3_ynode_free. An empty document is an error.
 */
int uc3_ydoc_parse(struct uc3_ynode **out, const char *data, size_t len, const char *name,
		   size_t max_bytes);

/* Emit root as a YAML document (no "---", ends with a newline) to out. */
int uc3_ydoc_emit(struct uc3_buf *out, const struct uc3_ynode *root);

/* Builders. Each returns a new node (free with uc3_ynode_free, or let the parent own it). */
struct uc3_ynode *uc3_ynode_scalar(const char *s, enum uc3_ystyle style);
struct uc3_ynode *uc3_ynode_map(enum uc3_ystyle style);
struct uc3_ynode *uc3_ynode_seq(enum uc3_ystyle style);
/* The map/seq takes ownership of val. Keys are copied. */
void uc3_ynode_map_add(struct uc3_ynode *map, const char *key, struct uc3_ynode *val);
void uc3_ynode_seq_add(struct uc3_ynode *seq, struct uc3_ynode *val);
/* Deep copy. */
struct uc3_ynode *uc3_ynode_dup(const struct uc3_ynode *n);
void uc3_ynode_free(struct uc3_ynode *n);

/* True when a and b hold the same keys and values in the same order (styles aside). */
bool uc3_ynode_equal(const struct uc3_ynode *a, const struct uc3_ynode *b);

/* The value of key in map, or NULL (also when map is not a map). Borrowed. */
const struct uc3_ynode *uc3_ynode_get(const struct uc3_ynode *map, const char *key);

/*
 * True when a plain scalar s would be read by common YAML 1.1/1.2 loaders
 * as something else than a string (null, ~, bool, yes/no/on/off, number,
 * date or timestamp) or is empty: writers quote such text.
 */
bool uc3_ydoc_ambiguous(const char *s);

/* True when a plain scalar means null ("", "~", "null", "Null", "NULL"). */
bool uc3_ynode_is_null(const struct uc3_ynode *n);

#endif
