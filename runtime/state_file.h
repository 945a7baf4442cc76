/*
 * runtime/state_file.h: an engine's states saved to a file and read back,
 * so that connections survive a planned restart of picketd.
 *
 * The file is little-endian and fixed width, as the .pkb: a header (magic,
 * version, record size, the checksum of the ruleset the states were made
 * under, the wall-clock time of the save, the count), one record per live
 * state, and a SHA-256 of everything before it. A record holds the state's
 * keys in full, its peers, counters, side record, scrub options and source
 * node, and its ages (since its last packet, since its creation) rather than
 * clock values: the reading engine's clock need not be the writer's, and the
 * time between the save and the restore is added to every age. Writing goes
 * through a temporary file, synced and renamed (runtime/afile.h).
 *
 * A file saved under another ruleset is refused whole, since its rule
 * indices would name other rules; so is a damaged one, and one whose records
 * do not all hold values the engine can take (each field is checked before
 * anything is restored).
 */
#ifndef PK_RUNTIME_STATE_FILE_H
#define PK_RUNTIME_STATE_FILE_H

#include <stdint.h>

#include "runtime/engine.h"
#include "runtime/err.h"

#define PK_STATE_FILE_VERSION 1

/* What a restore did with the states of the file. */
struct pk_state_restore {
	uint32_t saved;     /* states in the file */
	uint32_t restored;  /* now in the table */
	uint32_t expired;   /* their timeout passed while no picketd ran */
	uint32_t refused;   /* no room: the table was full, or a state with the same key was there */
	uint64_t gap_ms;    /* wall-clock time between the save and the restore */
};

/* Write the live states of e, their ages taken at now_ns (the engine's
 * clock), to path; wall_ms (ms since the Unix epoch) dates the save. *n
 * receives the states written. 0, or -1 with err (path left as it was). */
int pk_engine_save_states(const struct pk_engine *e, const char *path, uint64_t now_ns, uint64_t wall_ms,
			  uint32_t *n, struct pk_err *err);

/* Read the states path holds into e, which holds no state yet, at now_ns
 * (the engine's clock) and wall_ms (ms since the Unix epoch). 0 with *r
 * filled, or -1 with err when the file is refused (nothing restored then). */
int pk_engine_restore_states(struct pk_engine *e, const char *path, uint64_t now_ns, uint64_t wall_ms,
			     struct pk_state_restore *r, struct pk_err *err);

#endif
