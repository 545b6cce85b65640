/* limits.h — how big a policy may be.  Each limit is enforced with a
 * message that names it (docs/limits.md lists them all, with the limits of
 * the bytecode and of the record files). */
#ifndef TALLY_LIMITS_H
#define TALLY_LIMITS_H

#define LIM_SOURCE_BYTES  (16u << 20) /* a policy file */
#define LIM_STRING_BYTES  65536u      /* one string (after joining adjacent ones: each part) */
#define LIM_NAME_BYTES    255u        /* a name or a policy id */
#define LIM_PARSER_DEPTH  2000        /* open constructs: nested parentheses and operators */
#define LIM_ENUM_VALUES   65535       /* values of one enum (a u16 in the bytecode) */
#define LIM_EXPR_DEPTH    1000        /* depth of an expression tree: a and b and c … counts each and */

/* Files: includes nest at most this deep, and a policy reads at most
 * LIM_FILES files in all (its own, its base's, every include). */
#define LIM_INCLUDE_DEPTH 16
#define LIM_FILES 64

#endif
