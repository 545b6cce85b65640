/* fixtures.h — policies shared by several test programs. */
#ifndef TALLY_TEST_FIXTURES_H
#define TALLY_TEST_FIXTURES_H

/* The smallest policy with an input of the common kinds, one rule of each
 * common form and a rating (the one the helpers' briefs used). */
#define FIXTURE_MINI                                   \
  "policy t.mini \"测试\" { scale 10 }\n"              \
  "input {\n"                                          \
  "  id   text \"单位名称\" key\n"                     \
  "  ok   bool \"达标\"\n"                             \
  "  rate percent \"职工入会率\"\n"                    \
  "  n    int \"次数\"\n"                              \
  "}\n"                                                \
  "section \"S\" 10 {\n"                               \
  "  item 1 \"t\" 10 {\n"                              \
  "    deduct 1 unless ok \"r1\"\n"                    \
  "    deduct 1 per started 1 of 90 - rate \"r2\"\n"   \
  "    award 1 per n max 2 \"r3\"\n"                   \
  "  }\n"                                              \
  "}\n"                                                \
  "rating \"星级\" { \"A\" if score >= 9  else none }\n"

#endif
