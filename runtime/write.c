/* write.c — output formats; see write.h. */
#include "write.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

struct out_writer {
  FILE *f;
  const prog *p;
  out_format fmt;
  int explain;
  int header_done;
  /* table: rows are kept until out_finish, to size the columns */
  char **cells; /* 5 per row */
  size_t ncells, cap;
  /* items by number: tables of one policy reuse numbers, and a record is
   * scored by one table, so a column holds "item 5" of whichever applied */
  uint32_t ncols;
  const char **col_number; /* [ncols] */
  uint32_t *col_of_item;   /* [nitems] */
  uint32_t *col_item;      /* [ncols] scratch: the item shown, per record */
};

enum { TABLE_COLS = 5 };

out_writer *out_new(FILE *f, const prog *p, out_format fmt, int explain) {
  out_writer *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->f = f;
  w->p = p;
  w->fmt = fmt;
  w->explain = explain;
  size_t n = p->nitems ? p->nitems : 1;
  w->col_number = calloc(n, sizeof *w->col_number);
  w->col_of_item = calloc(n, sizeof *w->col_of_item);
  w->col_item = calloc(n, sizeof *w->col_item);
  if (!w->col_number || !w->col_of_item || !w->col_item) {
    out_free(w);
    return NULL;
  }
  /* a linear search per item: numbers are few (a table has tens) */
  for (uint32_t i = 0; i < p->nitems; i++) {
    uint32_t c = 0;
    while (c < w->ncols && strcmp(w->col_number[c], p->items[i].number)) c++;
    if (c == w->ncols) w->col_number[w->ncols++] = p->items[i].number;
    w->col_of_item[i] = c;
  }
  return w;
}

/* Which item each column shows for this record: the one that applied. */
static void out_columns(out_writer *w, const vm_result *r) {
  for (uint32_t c = 0; c < w->ncols; c++) w->col_item[c] = TBC_NONE;
  for (uint32_t i = 0; i < w->p->nitems; i++)
    if (r->item_applies[i] && w->col_item[w->col_of_item[i]] == TBC_NONE) w->col_item[w->col_of_item[i]] = i;
}

void out_free(out_writer *w) {
  if (!w) return;
  free(w->col_number);
  free(w->col_of_item);
  free(w->col_item);
  for (size_t i = 0; i < w->ncells; i++) free(w->cells[i]);
  free(w->cells);
  free(w);
}

const char *out_level_name(const prog *p, int32_t level) {
  if (level < 0) return NULL;
  if ((uint32_t)level == p->nlevels) return p->else_name;
  return p->levels[level].name;
}

/* ---- small printers ----------------------------------------------------------- */

static void csv_cell(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void out_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\r') fputs("\\r", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

static void json_str_or_null(FILE *f, const char *s) {
  if (s) out_json_str(f, s);
  else fputs("null", f);
}

/* {"row":N,"id":… — how every JSON line begins. */
static void json_head(FILE *f, long row, const char *key) {
  fprintf(f, "{\"row\":%ld,\"id\":", row);
  json_str_or_null(f, key);
}

static const char *fmt_dec(dec v, char *buf) { return dec_format(v, buf); }

static int is_award(const prog_rule *ru) { return ru->kind == TBC_R_AWARD || ru->kind == TBC_R_AWARD_PER; }

/* The most an award can give: its points, or its max. */
static dec award_max(const prog_rule *ru) { return ru->kind == TBC_R_AWARD ? ru->points : ru->max; }

/* What a rule did to its item: −2 (deducted), →0 (zeroed), +3 of 9 (an
 * award, with what it could have given). */
#define AMOUNT_BUFSZ (2 * DEC_BUFSZ + 8)
static void rule_amount(const prog_rule *ru, dec amount, char buf[AMOUNT_BUFSZ]) {
  char d[DEC_BUFSZ], m[DEC_BUFSZ];
  if (ru->kind == TBC_R_ZERO) strcpy(buf, "→0");
  else if (is_award(ru)) {
    strcpy(buf, "+");
    strcat(strcat(strcat(buf, dec_format(amount, d)), " of "), dec_format(award_max(ru), m));
  } else {
    strcpy(buf, "-");
    strcat(buf, dec_format(amount, d));
  }
}

/* Whether a rule cost the union points: a deduction or zero that fired, or
 * an award short of its maximum. */
static int rule_cost(const prog_rule *ru, const vm_result *r, uint32_t i) {
  if (!r->rule_ran[i]) return 0; /* it did not apply to this record */
  return is_award(ru) ? r->rule_amount[i] < award_max(ru) : r->rule_fired[i];
}

/* "5: 入会率…扣完为止 (−2); 6: … (+3 of 9)": why points were lost. */
static char *reasons_text(const prog *p, const vm_result *r) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) return NULL;
  int first = 1;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const prog_rule *ru = &p->rules[i];
    if (!rule_cost(ru, r, i)) continue;
    char amt[AMOUNT_BUFSZ];
    rule_amount(ru, r->rule_amount[i], amt);
    if (!first) fputs("; ", m);
    fputs(p->items[ru->item].number, m);
    fputs(": ", m);
    fputs(ru->reason, m);
    fputs(" (", m);
    fputs(amt, m);
    fputc(')', m);
    first = 0;
  }
  /* checks that failed, under their index's name */
  for (uint32_t i = 0; i < p->nchecks; i++) {
    if (r->check_state[i] != 2) continue;
    if (!first) fputs("; ", m);
    fprintf(m, "%s: %s", p->indices[p->checks[i].index].label, p->checks[i].text);
    first = 0;
  }
  fclose(m);
  return text;
}

static char *vetoes_text(const prog *p, const vm_result *r) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) return NULL;
  int first = 1;
  for (uint32_t v = 0; v < p->nvetoes; v++)
    if (r->veto_fired[v]) {
      fprintf(m, "%s%s", first ? "" : "; ", p->vetoes[v].reason);
      if (p->vetoes[v].cap != TBC_NONE) fprintf(m, " (at most %s)", out_level_name(p, (int32_t)p->vetoes[v].cap));
      first = 0;
    }
  if (r->demoted) {
    fprintf(m, "%squota: %s → %s", first ? "" : "; ", out_level_name(p, r->capped_level) ? out_level_name(p, r->capped_level) : "none",
            out_level_name(p, r->level) ? out_level_name(p, r->level) : "none");
  }
  fclose(m);
  return text;
}

/* "5/6": checks of an index passed, of those that apply. */
static void index_count(const prog *p, const vm_result *r, uint32_t x, long *passed, long *applied) {
  const prog_index *ix = &p->indices[x];
  *passed = *applied = 0;
  for (uint32_t k = ix->first_check; k < ix->first_check + ix->nchecks; k++) {
    *applied += r->check_state[k] != 0;
    *passed += r->check_state[k] == 1;
  }
}

/* The level just above the one the score reaches, and how far the score is
 * from it, when that level is set by a threshold.  Returns its index or -1. */
static int32_t next_level(const prog *p, const vm_result *r, dec *short_by) {
  int32_t cur = r->score_level < 0 ? (int32_t)p->nlevels : r->score_level;
  if (cur == 0) return -1;
  const prog_level *l = &p->levels[cur - 1];
  if (!(l->flags & TBC_LV_THRESHOLD) || l->threshold <= r->total) return -1;
  *short_by = l->threshold - r->total;
  return cur - 1;
}

/* ---- CSV ------------------------------------------------------------------------ */

static void csv_header(out_writer *w) {
  const prog *p = w->p;
  fputs("row,", w->f);
  csv_cell(w->f, p->key != TBC_NONE ? p->inputs[p->key].label : "id");
  if (p->category != TBC_NONE) {
    fputc(',', w->f);
    csv_cell(w->f, p->inputs[p->category].label);
  }
  if (p->nitems) fputs(",score", w->f);
  fputs(",rating,vetoes", w->f);
  for (uint32_t c = 0; c < w->ncols; c++) {
    fputs(",item ", w->f);
    csv_cell(w->f, w->col_number[c]);
  }
  for (uint32_t x = 0; x < p->nindices; x++) {
    fputc(',', w->f);
    csv_cell(w->f, p->indices[x].label);
  }
  fputs(",reasons,error\n", w->f);
}

static void csv_result(out_writer *w, long row, const char *key, const vm_result *r, const int64_t *slots) {
  const prog *p = w->p;
  char d[DEC_BUFSZ];
  const char *lv = out_level_name(p, r->level);
  fprintf(w->f, "%ld,", row);
  csv_cell(w->f, key ? key : "");
  if (p->category != TBC_NONE) {
    fputc(',', w->f);
    csv_cell(w->f, slots ? p->inputs[p->category].val_label[slots[p->category]] : "");
  }
  if (p->nitems) fprintf(w->f, ",%s", fmt_dec(r->total, d));
  fputc(',', w->f);
  csv_cell(w->f, lv ? lv : "");
  fputc(',', w->f);
  char *v = vetoes_text(p, r);
  csv_cell(w->f, v ? v : "");
  free(v);
  out_columns(w, r);
  for (uint32_t c = 0; c < w->ncols; c++) {
    fputc(',', w->f);
    if (w->col_item[c] != TBC_NONE) fputs(fmt_dec(r->item_score[w->col_item[c]], d), w->f);
  }
  for (uint32_t x = 0; x < p->nindices; x++) {
    long passed, applied;
    index_count(p, r, x, &passed, &applied);
    fprintf(w->f, ",%ld/%ld", passed, applied);
  }
  fputc(',', w->f);
  char *reasons = reasons_text(p, r);
  csv_cell(w->f, reasons ? reasons : "");
  free(reasons);
  fputs(",\n", w->f);
}

static void csv_error(out_writer *w, long row, const char *key, const char *msg) {
  const prog *p = w->p;
  fprintf(w->f, "%ld,", row);
  csv_cell(w->f, key ? key : "");
  fputs(p->category != TBC_NONE ? ",," : ",", w->f);
  if (p->nitems) fputc(',', w->f);
  fputc(',', w->f);
  for (uint32_t c = 0; c < w->ncols + p->nindices; c++) fputc(',', w->f);
  fputs(",,", w->f);
  csv_cell(w->f, msg);
  fputc('\n', w->f);
}

/* ---- JSON Lines --------------------------------------------------------------------- */

static void json_result(out_writer *w, long row, const char *key, const vm_result *r, const int64_t *slots) {
  const prog *p = w->p;
  FILE *f = w->f;
  char d[DEC_BUFSZ], d2[DEC_BUFSZ], d3[DEC_BUFSZ], d4[DEC_BUFSZ];
  json_head(f, row, key);
  if (p->category != TBC_NONE && slots) {
    fputs(",\"category\":", f);
    out_json_str(f, p->inputs[p->category].val_name[slots[p->category]]);
  }
  if (p->nitems) fprintf(f, ",\"score\":%s", fmt_dec(r->total, d));
  fputs(",\"rating\":", f);
  json_str_or_null(f, out_level_name(p, r->level));
  if (r->demoted) {
    fputs(",\"before_quota\":", f);
    json_str_or_null(f, out_level_name(p, r->capped_level));
  }
  fputs(",\"vetoes\":[", f);
  int first = 1;
  for (uint32_t v = 0; v < p->nvetoes; v++)
    if (r->veto_fired[v]) {
      if (!first) fputc(',', f);
      out_json_str(f, p->vetoes[v].reason);
      first = 0;
    }
  fputs("],\"items\":{", f);
  first = 1;
  for (uint32_t i = 0; i < p->nitems; i++) {
    if (!r->item_applies[i]) continue;
    if (!first) fputc(',', f);
    first = 0;
    out_json_str(f, p->items[i].number);
    fprintf(f, ":%s", fmt_dec(r->item_score[i], d));
  }
  fputc('}', f);
  if (p->nindices) {
    fputs(",\"indices\":{", f);
    for (uint32_t x = 0; x < p->nindices; x++) {
      long passed, applied;
      index_count(p, r, x, &passed, &applied);
      if (x) fputc(',', f);
      out_json_str(f, p->indices[x].name);
      fprintf(f, ":{\"passed\":%ld,\"applies\":%ld}", passed, applied);
    }
    fputs("},\"failed\":[", f);
    first = 1;
    for (uint32_t i = 0; i < p->nchecks; i++)
      if (r->check_state[i] == 2) {
        if (!first) fputc(',', f);
        first = 0;
        fputs("{\"index\":", f);
        out_json_str(f, p->indices[p->checks[i].index].name);
        fputs(",\"check\":", f);
        out_json_str(f, p->checks[i].text);
        fputc('}', f);
      }
    fputc(']', f);
  }
  fputs(",\"rules\":[", f);
  first = 1;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const prog_rule *ru = &p->rules[i];
    if (!r->rule_ran[i] || (!r->rule_fired[i] && !is_award(ru))) continue;
    if (!first) fputc(',', f);
    first = 0;
    fputs("{\"item\":", f);
    out_json_str(f, p->items[ru->item].number);
    fputs(",\"reason\":", f);
    out_json_str(f, ru->reason);
    if (ru->kind == TBC_R_ZERO) fputs(",\"zero\":true", f);
    else if (is_award(ru))
      fprintf(f, ",\"points\":%s,\"max\":%s", fmt_dec(r->rule_amount[i], d), fmt_dec(award_max(ru), d2));
    else
      fprintf(f, ",\"points\":-%s", fmt_dec(r->rule_amount[i], d));
    if (w->explain) {
      fputs(",\"rule\":", f);
      out_json_str(f, ru->source);
    }
    fputc('}', f);
  }
  fputc(']', f);
  if (w->explain) {
    fputs(",\"ledger\":[", f);
    first = 1;
    for (uint32_t i = 0; i < p->nitems; i++) {
      const prog_item *it = &p->items[i];
      if (!r->item_applies[i]) continue;
      fprintf(f, "%s{\"item\":", first ? "" : ",");
      first = 0;
      out_json_str(f, it->number);
      fputs(",\"section\":", f);
      out_json_str(f, p->sections[it->section].title);
      fprintf(f, ",\"points\":%s,\"base\":%s,\"before_clamp\":%s,\"score\":%s,\"zeroed\":%s}",
              fmt_dec(it->points, d), fmt_dec(it->base, d2), fmt_dec(r->item_raw[i], d3),
              fmt_dec(r->item_score[i], d4), r->item_zero[i] ? "true" : "false");
    }
    fputc(']', f);
    dec short_by = 0;
    int32_t nl = r->nvetoed ? -1 : next_level(p, r, &short_by); /* points cannot lift a veto */
    fputs(",\"score_level\":", f);
    json_str_or_null(f, out_level_name(p, r->score_level));
    if (nl >= 0) {
      fputs(",\"next\":{\"level\":", f);
      out_json_str(f, p->levels[nl].name);
      fprintf(f, ",\"short_by\":%s}", fmt_dec(short_by, d));
    } else {
      fputs(",\"next\":null", f);
    }
  }
  fputs("}\n", f);
}

static void json_error(out_writer *w, long row, const char *key, const char *msg) {
  json_head(w->f, row, key);
  fputs(",\"error\":", w->f);
  out_json_str(w->f, msg);
  fputs("}\n", w->f);
}

/* ---- the ledger (--explain) ------------------------------------------------------------ */

static void ledger(out_writer *w, long row, const char *key, const vm_result *r, const int64_t *slots) {
  const prog *p = w->p;
  FILE *f = w->f;
  char d[DEC_BUFSZ], d2[DEC_BUFSZ];
  const char *lv = out_level_name(p, r->level);
  const char *sl = out_level_name(p, r->score_level);
  if (w->header_done) fputc('\n', f);
  w->header_done = 1;
  fprintf(f, "%s  (row %ld)\n", key && *key ? key : "(no name)", row);
  if (p->category != TBC_NONE && slots)
    fprintf(f, "  %s  %s\n", p->inputs[p->category].label, p->inputs[p->category].val_label[slots[p->category]]);
  for (uint32_t t = 0; t < p->ntables; t++) {
    int used = 0;
    for (uint32_t i = 0; i < p->nitems; i++)
      if (r->item_applies[i] && p->sections[p->items[i].section].table == t) used = 1;
    if (used) fprintf(f, "  table   %s  [%s]\n", p->tables[t].title, p->tables[t].source);
  }
  if (p->nitems) fprintf(f, "  score   %s of %s\n", fmt_dec(r->total, d), fmt_dec(p->scale, d2));
  if (p->rating_title) {
    fputs("  rating  ", f);
    int by_score = 1; /* every level a score threshold: "the score alone" says it best */
    for (uint32_t l = 0; l < p->nlevels; l++) by_score &= (p->levels[l].flags & TBC_LV_THRESHOLD) != 0;
    const char *alone = by_score ? "the score alone gives" : "its conditions alone give";
    if (r->nremoving) fprintf(f, "none: vetoed (%s %s)", alone, sl ? sl : "no level");
    else if (r->demoted)
      fprintf(f, "%s: moved down by the quota (it reached %s)", lv ? lv : "none",
              out_level_name(p, r->capped_level) ? out_level_name(p, r->capped_level) : "none");
    else if (r->nvetoed && r->capped_level != r->score_level)
      fprintf(f, "%s: capped by a veto (%s %s)", lv ? lv : "none", alone, sl ? sl : "no level");
    else fputs(lv ? lv : "none", f);
    dec short_by = 0;
    int32_t nl = r->nvetoed ? -1 : next_level(p, r, &short_by); /* points cannot lift a veto */
    if (nl >= 0)
      fprintf(f, ", %s point%s short of %s", fmt_dec(short_by, d), short_by == DEC_INT(1) ? "" : "s",
              p->levels[nl].name);
    fputc('\n', f);
  }
  for (uint32_t v = 0; v < p->nvetoes; v++)
    if (r->veto_fired[v]) {
      fprintf(f, "  veto    %s  [%s]", p->vetoes[v].reason, p->vetoes[v].source);
      if (p->vetoes[v].cap != TBC_NONE) fprintf(f, "  at most %s", out_level_name(p, (int32_t)p->vetoes[v].cap));
      fputc('\n', f);
    }
  /* the indices: each check passed (✓), failed (✗), or does not apply (—) */
  for (uint32_t x = 0; x < p->nindices; x++) {
    const prog_index *ix = &p->indices[x];
    long passed, applied;
    index_count(p, r, x, &passed, &applied);
    if (!applied) continue; /* another category's index: nothing to say */
    fprintf(f, "  %s  %ld/%ld (%s%%)\n", ix->label, passed, applied, fmt_dec(passed * DEC_INT(100) / applied, d));
    for (uint32_t k = ix->first_check; k < ix->first_check + ix->nchecks; k++)
      if (r->check_state[k]) fprintf(f, "    %s  %s\n", r->check_state[k] == 1 ? "✓" : "✗", p->checks[k].text);
  }

  /* column widths by display width, so Chinese text lines up */
  size_t wnum = 4, wpts = 6;
  for (uint32_t i = 0; i < p->nitems; i++) {
    char buf[2 * DEC_BUFSZ + 4];
    size_t n = txt_width(p->items[i].number, strlen(p->items[i].number));
    if (n > wnum) wnum = n;
    snprintf(buf, sizeof buf, "%s/%s", fmt_dec(r->item_score[i], d), fmt_dec(p->items[i].points, d2));
    if (strlen(buf) > wpts) wpts = strlen(buf);
  }
  uint32_t sec = TBC_NONE;
  for (uint32_t i = 0; i < p->nitems; i++) {
    const prog_item *it = &p->items[i];
    if (!r->item_applies[i]) continue; /* another table's, or its `when` did not hold */
    if (it->section != sec) {
      sec = it->section;
      const prog_section *s = &p->sections[sec];
      dec got = 0;
      for (uint32_t k = s->first_item; k < s->first_item + s->nitems; k++) dec_add(got, r->item_score[k], &got);
      fprintf(f, "  %s  %s/%s\n", s->title, fmt_dec(got, d), fmt_dec(s->max, d2));
    }
    char pts[2 * DEC_BUFSZ + 4];
    snprintf(pts, sizeof pts, "%s/%s", fmt_dec(r->item_score[i], d), fmt_dec(it->points, d2));
    fputs("    ", f);
    txt_pad(f, it->number, wnum, 1);
    fputs("  ", f);
    txt_pad(f, pts, wpts, 1);
    if (r->item_raw[i] != r->item_score[i] && !r->item_zero[i])
      fprintf(f, "  (%s before the clamp to 0..%s)", fmt_dec(r->item_raw[i], d), fmt_dec(it->points, d2));
    fputc('\n', f);
    for (uint32_t k = it->first_rule; k < it->first_rule + it->nrules; k++) {
      const prog_rule *ru = &p->rules[k];
      if (!r->rule_ran[k] || (!r->rule_fired[k] && !is_award(ru))) continue;
      char amt[AMOUNT_BUFSZ];
      rule_amount(ru, r->rule_amount[k], amt);
      fputs("    ", f);
      txt_pad(f, "", wnum + 2 + wpts, 0);
      fputs("  ", f);
      txt_pad(f, amt, 9, 1);
      fprintf(f, "  %s  [%s]\n", ru->reason, ru->source);
    }
  }
}

/* ---- table ------------------------------------------------------------------------------ */

static void table_add(out_writer *w, long row, const char *key, const char *score, const char *rating,
                      const char *notes) {
  if (w->ncells + TABLE_COLS > w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64 * TABLE_COLS;
    char **c = realloc(w->cells, cap * sizeof *c);
    if (!c) return;
    w->cells = c;
    w->cap = cap;
  }
  char rowbuf[24];
  snprintf(rowbuf, sizeof rowbuf, "%ld", row);
  const char *vals[TABLE_COLS] = {rowbuf, key ? key : "", score, rating, notes};
  for (int i = 0; i < TABLE_COLS; i++) w->cells[w->ncells++] = strdup(vals[i] ? vals[i] : "");
}

/* One table line: cells padded to their column's display width (numbers to
 * the right), no trailing blanks. */
static void table_line(FILE *f, const char *const *cells, const size_t *width) {
  int last = TABLE_COLS - 1;
  while (last > 0 && !*cells[last]) last--;
  for (int c = 0; c <= last; c++) {
    txt_pad(f, cells[c], c == last && c != 0 && c != 2 ? 0 : width[c], c == 0 || c == 2);
    if (c < last) fputs("  ", f);
  }
  fputc('\n', f);
}

static void table_print(out_writer *w) {
  size_t width[TABLE_COLS];
  const char *heads[TABLE_COLS] = {"row", w->p->key != TBC_NONE ? w->p->inputs[w->p->key].label : "name", w->p->nitems ? "score" : "",
                                   w->p->rating_title ? w->p->rating_title : "rating", "notes"};
  for (int c = 0; c < TABLE_COLS; c++) width[c] = txt_width(heads[c], strlen(heads[c]));
  for (size_t i = 0; i < w->ncells; i++) {
    size_t n = txt_width(w->cells[i], strlen(w->cells[i]));
    if (n > width[i % TABLE_COLS]) width[i % TABLE_COLS] = n;
  }
  table_line(w->f, heads, width);
  for (size_t i = 0; i < w->ncells; i += TABLE_COLS) table_line(w->f, (const char *const *)w->cells + i, width);
}

/* ---- dispatch ------------------------------------------------------------------------------ */

void out_result(out_writer *w, long row, const char *key, const vm_result *r, const int64_t *slots) {
  if (w->fmt == OUT_JSONL) { json_result(w, row, key, r, slots); return; }
  if (w->explain) { ledger(w, row, key, r, slots); return; }
  if (w->fmt == OUT_CSV) {
    if (!w->header_done) csv_header(w);
    w->header_done = 1;
    csv_result(w, row, key, r, slots);
    return;
  }
  char d[DEC_BUFSZ], note[512] = "";
  const char *lv = out_level_name(w->p, r->level);
  if (r->nvetoed || r->demoted) {
    char *v = vetoes_text(w->p, r);
    snprintf(note, sizeof note, "%s%s", r->nremoving ? "vetoed: " : "", v ? v : "");
    free(v);
  } else if (w->p->nchecks && r->level != 0) {
    /* a checklist's record below the top: how many checks failed says more
     * than a score of 0 (the reasons are in the CSV and the ledger) */
    long failed = 0;
    for (uint32_t i = 0; i < w->p->nchecks; i++) failed += r->check_state[i] == 2;
    if (failed) snprintf(note, sizeof note, "%ld check%s failed", failed, failed == 1 ? "" : "s");
  }
  table_add(w, row, key, w->p->nitems ? fmt_dec(r->total, d) : "", lv ? lv : "—", note);
}

void out_error(out_writer *w, long row, const char *key, const char *msg) {
  if (w->fmt == OUT_JSONL) { json_error(w, row, key, msg); return; }
  if (w->explain) {
    if (w->header_done) fputc('\n', w->f);
    w->header_done = 1;
    fprintf(w->f, "%s  (row %ld)\n  error   %s\n", key && *key ? key : "(no name)", row, msg);
    return;
  }
  if (w->fmt == OUT_CSV) {
    if (!w->header_done) csv_header(w);
    w->header_done = 1;
    csv_error(w, row, key, msg);
    return;
  }
  char note[1024];
  snprintf(note, sizeof note, "error: %s", msg);
  table_add(w, row, key, "", "", note);
}

void out_finish(out_writer *w) {
  if (w->fmt == OUT_CSV && !w->explain && !w->header_done) csv_header(w);
  if (w->fmt == OUT_TABLE && !w->explain) table_print(w);
  fflush(w->f);
}

void out_summary(FILE *f, const out_counts *c) {
  long unrated = c->scored - c->rated - c->vetoed;
  fprintf(f, "%ld row%s: %ld scored (%ld rated, %ld vetoed, %ld below every level), %ld error%s", c->rows,
          c->rows == 1 ? "" : "s", c->scored, c->rated, c->vetoed, unrated, c->errors, c->errors == 1 ? "" : "s");
  if (c->blank) fprintf(f, "; %ld row%s of empty cells skipped", c->blank, c->blank == 1 ? "" : "s");
  fputc('\n', f);
}
