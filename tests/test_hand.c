/* test_hand.c — the sample unions of the Rushan policies against scores
 * computed by hand from the document (tests/golden/NAME.hand.csv: id, total,
 * rating, vetoed, then every item), record by record and item by item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "runtime/csv.h"
#include "runtime/prog.h"
#include "runtime/record.h"
#include "runtime/vm.h"
#include "runtime/write.h"

static void against_hand(const char *policy, const char *samples, const char *hand) {
  size_t len;
  char *text = compile_read_file(policy, &len);
  assert_non_null(text);
  compile_result cr;
  compile_source(policy, text, len, stderr, 1, &cr);
  assert_int_equal(cr.errors, 0);
  prog_error err;
  prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
  assert_non_null(p);
  vm_ctx *vm = vm_new(p);

  FILE *fs = fopen(samples, "rb"), *fh = fopen(hand, "rb");
  assert_non_null(fs);
  assert_non_null(fh);
  csv_reader *rs = csv_open_file(fs), *rh = csv_open_file(fh);
  csv_row srow, hrow;
  assert_int_equal(csv_next(rs, &srow), CSV_ROW);
  rec_map map;
  char msg[1024];
  assert_int_equal(rec_map_init(&map, p, &srow, msg, sizeof msg), 0);
  assert_int_equal(csv_next(rh, &hrow), CSV_ROW); /* id,total,rating,vetoed,i1… */
  assert_int_equal(hrow.ncells, 4 + p->nitems);

  int64_t *slots = calloc(p->ninputs, sizeof *slots);
  int records = 0;
  while (csv_next(rs, &srow) == CSV_ROW) {
    assert_int_equal(csv_next(rh, &hrow), CSV_ROW);
    const char *key;
    if (rec_parse(&map, &srow, slots, &key, msg, sizeof msg)) fail_msg("%s: %s", samples, msg);
    assert_string_equal(key, hrow.cells[0].text);
    const vm_result *r = vm_eval(vm, slots);
    assert_int_equal(r->err, 0);
    char d[DEC_BUFSZ];
    for (uint32_t i = 0; i < p->nitems; i++)
      if (strcmp(dec_format(r->item_score[i], d), hrow.cells[4 + i].text))
        fail_msg("%s item %s: tally %s, by hand %s", key, p->items[i].number, d, hrow.cells[4 + i].text);
    assert_string_equal(dec_format(r->total, d), hrow.cells[1].text);
    const char *lv = out_level_name(p, r->level);
    assert_string_equal(lv ? lv : "", hrow.cells[2].text);
    assert_string_equal(r->nvetoed ? "1" : "0", hrow.cells[3].text);
    records++;
  }
  assert_int_equal(csv_next(rh, &hrow), CSV_EOF); /* as many by hand as in the file */
  assert_true(records >= 20);

  free(slots);
  rec_map_free(&map);
  csv_close(rs);
  csv_close(rh);
  fclose(fs);
  fclose(fh);
  vm_free(vm);
  prog_free(p);
  compile_result_free(&cr);
  free(text);
}

static void test_rushan_enterprise_by_hand(void **state) {
  (void)state;
  against_hand("policies/rushan-2020-enterprise.tally", "policies/rushan-2020-enterprise.csv",
               "tests/golden/rushan-2020-enterprise.hand.csv");
}

static void test_rushan_regional_by_hand(void **state) {
  (void)state;
  against_hand("policies/rushan-2020-regional.tally", "policies/rushan-2020-regional.csv",
               "tests/golden/rushan-2020-regional.hand.csv");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rushan_enterprise_by_hand),
      cmocka_unit_test(test_rushan_regional_by_hand),
  };
  return cmocka_run_group_tests_name("hand", tests, NULL, NULL);
}
