/* diffout.c — print a comparison and its impact (see diffout.h). */
#include "diffout.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/text.h"
#include "runtime/write.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_DEL "\033[9;31m"
#define C_INS "\033[1;32m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

/* ---- shared ---------------------------------------------------------------------- */

enum { G_POLICY, G_INPUTS, G_ITEMS, G_INDICES, G_VETOES, G_RATING, G_POPULATION };

static int df_group(const df_change *c) {
  switch (c->what) {
  case DF_POLICY: return G_POLICY;
  case DF_INPUT: return G_INPUTS;
  case DF_TABLE: case DF_SECTION: case DF_ITEM: case DF_RULE: return G_ITEMS;
  case DF_INDEX: case DF_CHECK: return G_INDICES;
  case DF_VETO: return G_VETOES;
  case DF_RATING: case DF_LEVEL: return G_RATING;
  default: return G_POPULATION;
  }
}

static const char *const df_group_title[] = {"policy", "inputs", "items", "indices", "vetoes", "rating", "population"};

static int df_streq(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* "3 changes: 1 rule, 1 item, 1 level" */
static void df_counts(FILE *f, const df_list *l) {
  static const char *const one[] = {"header field", "input", "table", "section", "item", "rule", "veto", "rating",
                                    "level", "index", "check", "quota", "target", "audit"};
  static const char *const many[] = {"header fields", "inputs", "tables", "sections", "items", "rules", "vetoes",
                                     "rating", "levels", "indices", "checks", "quotas", "targets", "audits"};
  size_t n[DF_AUDIT + 1] = {0};
  for (size_t i = 0; i < l->n; i++)
    if (!l->v[i].implied) n[l->v[i].what]++;
  size_t total = df_count(l);
  if (!total) {
    fputs("no changes", f);
    return;
  }
  fprintf(f, "%zu change%s:", total, total == 1 ? "" : "s");
  const char *sep = " ";
  for (int w = 0; w <= DF_AUDIT; w++)
    if (n[w]) {
      fprintf(f, "%s%zu %s", sep, n[w], n[w] == 1 ? one[w] : many[w]);
      sep = ", ";
    }
}

static const char *df_place_name(const im_report *im, int old, int32_t place) {
  const int32_t *pl = old ? im->old_place : im->new_place;
  uint32_t n = old ? im->nold : im->nnew;
  for (uint32_t k = 0; k < n; k++)
    if (pl[k] == place) return (old ? im->old_names : im->new_names)[k];
  return "?";
}

/* Places shown in the matrix: every level, the others when they occur. */
static int df_place_shown(const im_report *im, int old, uint32_t k) {
  if ((old ? im->old_place : im->new_place)[k] >= 0) return 1;
  long sum = 0;
  for (uint32_t o = 0; o < im->nold; o++)
    for (uint32_t n = 0; n < im->nnew; n++)
      if ((old ? o : n) == k) sum += im->matrix[o * im->nnew + n];
  return sum > 0;
}

static dec df_mean(const dec *v, long n) {
  dec sum = 0, r = 0;
  for (long i = 0; i < n; i++) sum += v[i];
  if (n && dec_div(sum, DEC_INT(n), &r) != DEC_OK) r = 0;
  return r;
}

static dec df_median(const dec *v, long n) {
  if (!n) return 0;
  if (n % 2) return v[n / 2];
  dec r = 0;
  if (dec_div(v[n / 2 - 1] + v[n / 2], DEC_INT(2), &r) != DEC_OK) r = 0;
  return r;
}

/* Ten bands of a tenth of the scale each; the top one takes the scale
 * itself and anything above it. */
#define DF_BANDS 10
static void df_bands(const im_report *im, long old_n[DF_BANDS], long new_n[DF_BANDS]) {
  dec width = im->scale / DF_BANDS;
  if (width <= 0) width = DEC_INT(10);
  for (int k = 0; k < DF_BANDS; k++) old_n[k] = new_n[k] = 0;
  for (long i = 0; i < im->nscores; i++) {
    long bo = im->old_scores[i] / width, bn = im->new_scores[i] / width;
    old_n[bo < 0 ? 0 : bo >= DF_BANDS ? DF_BANDS - 1 : bo]++;
    new_n[bn < 0 ? 0 : bn >= DF_BANDS ? DF_BANDS - 1 : bn]++;
  }
}

static void df_band_label(const im_report *im, int k, char *buf, size_t n) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  dec width = im->scale / DF_BANDS;
  if (width <= 0) width = DEC_INT(10);
  if (k == DF_BANDS - 1) snprintf(buf, n, "%s and above", dec_format(width * k, b1));
  else snprintf(buf, n, "%s to under %s", dec_format(width * k, b1), dec_format(width * (k + 1), b2));
}

static const char *df_cmp(uint8_t c) {
  static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
  return c < 6 ? ops[c] : "?";
}

/* ---- text ------------------------------------------------------------------------ */

static void df_text_lines(FILE *f, const char *indent, char mark, const char *s, int colour) {
  while (s && *s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    fprintf(f, "%s%s%c %.*s%s\n", indent, colour ? (mark == '-' ? C_RED : C_GREEN) : "", mark, (int)n, s,
            colour ? C_OFF : "");
    s = nl ? nl + 1 : s + n;
  }
}

static void df_text_wording(FILE *f, const char *indent, const df_change *c, int colour) {
  df_span *sp;
  size_t n = df_spans(c->text_old, c->text_new, &sp);
  fprintf(f, "%s~ ", indent);
  for (size_t k = 0; k < n; k++) {
    if (sp[k].op == '=') fprintf(f, "%.*s", (int)sp[k].len, sp[k].s);
    else if (colour) fprintf(f, "%s%.*s%s", sp[k].op == '-' ? C_DEL : C_INS, (int)sp[k].len, sp[k].s, C_OFF);
    else fprintf(f, "%s%.*s%s", sp[k].op == '-' ? "[-" : "{+", (int)sp[k].len, sp[k].s, sp[k].op == '-' ? "-]" : "+}");
  }
  fputc('\n', f);
  free(sp);
}

static void df_text_side(FILE *f, char mark, const df_side *s, int colour) {
  fprintf(f, "%s%c%c%c %s%s  %s \"%s\"", colour ? C_BOLD : "", mark, mark, mark, s->path, colour ? C_OFF : "", s->p->id,
          s->p->title);
  if (s->table) fprintf(f, "  table \"%s\"", s->table);
  fputc('\n', f);
}

static void df_text_impact(FILE *f, const im_report *im, const char *data, int colour) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  fprintf(f, "\n%simpact on %s%s\n", colour ? C_BOLD : "", data, colour ? C_OFF : "");
  fprintf(f, "  %ld record%s: %ld scored by both standards (error rows: %ld under the old, %ld under the new)\n",
          im->rows, im->rows == 1 ? "" : "s", im->both, im->old_errors, im->new_errors);
  /* the matrix */
  fputs("\n  levels: old standard down, new across\n", f);
  size_t w0 = 4;
  for (uint32_t o = 0; o < im->nold; o++)
    if (df_place_shown(im, 1, o)) {
      size_t w = txt_width(im->old_names[o], strlen(im->old_names[o]));
      if (w > w0) w0 = w;
    }
  size_t *wc = calloc(im->nnew + 1, sizeof *wc);
  if (!wc) abort();
  fputs("    ", f);
  txt_pad(f, "", w0, 0);
  for (uint32_t n = 0; n < im->nnew; n++) {
    if (!df_place_shown(im, 0, n)) continue;
    wc[n] = txt_width(im->new_names[n], strlen(im->new_names[n]));
    if (wc[n] < 5) wc[n] = 5;
    fputs("  ", f);
    txt_pad(f, im->new_names[n], wc[n], 1);
  }
  fputc('\n', f);
  for (uint32_t o = 0; o < im->nold; o++) {
    if (!df_place_shown(im, 1, o)) continue;
    fputs("    ", f);
    txt_pad(f, im->old_names[o], w0, 0);
    for (uint32_t n = 0; n < im->nnew; n++) {
      if (!df_place_shown(im, 0, n)) continue;
      char num[24];
      long v = im->matrix[o * im->nnew + n];
      snprintf(num, sizeof num, "%ld", v);
      fputs("  ", f);
      txt_pad(f, v ? num : ".", wc[n], 1);
    }
    fputc('\n', f);
  }
  free(wc);
  /* the unions that moved */
  fprintf(f, "\n  %zu union%s change%s level%s\n", im->nmovers, im->nmovers == 1 ? "" : "s", im->nmovers == 1 ? "s" : "",
          im->nmovers ? ":" : "");
  size_t wk = 0, ws = 0, wl = 0;
  char (*cells)[2][160] = calloc(im->nmovers + 1, sizeof *cells);
  if (!cells) abort();
  for (size_t k = 0; k < im->nmovers; k++) {
    const im_mover *m = &im->movers[k];
    if (im->has_items)
      snprintf(cells[k][0], sizeof cells[k][0], "%s → %s", m->old_ok ? dec_format(m->old_score, b1) : "error",
               m->new_ok ? dec_format(m->new_score, b2) : "error");
    snprintf(cells[k][1], sizeof cells[k][1], "%s → %s", df_place_name(im, 1, m->old_level), df_place_name(im, 0, m->new_level));
    size_t w = txt_width(m->key ? m->key : "", m->key ? strlen(m->key) : 0);
    if (w > wk) wk = w;
    if ((w = txt_width(cells[k][0], strlen(cells[k][0]))) > ws) ws = w;
    if ((w = txt_width(cells[k][1], strlen(cells[k][1]))) > wl) wl = w;
  }
  for (size_t k = 0; k < im->nmovers; k++) {
    const im_mover *m = &im->movers[k];
    char row[32];
    snprintf(row, sizeof row, "row %ld", m->row);
    fputs("    ", f);
    txt_pad(f, row, 9, 0);
    fputs("  ", f);
    txt_pad(f, m->key ? m->key : "", wk, 0);
    fputs("  ", f);
    if (im->has_items) {
      txt_pad(f, cells[k][0], ws, 0);
      fputs("  ", f);
    }
    txt_pad(f, cells[k][1], wl, 0);
    fprintf(f, "  %s\n", m->why);
  }
  free(cells);
  /* targets */
  if (im->ntargets) fputs("\n  targets: old → new\n", f);
  for (size_t t = 0; t < im->ntargets; t++) {
    const im_target *x = &im->targets[t];
    const char *pct = x->percent ? "%" : "";
    fprintf(f, "    \"%s\": ", x->text);
    if (!x->in_old) fputs("(new target)", f);
    else if (!x->has_old) fputs("no value", f);
    else fprintf(f, "%s%s%s", dec_format(x->old_value, b1), pct, x->old_met ? " met" : " not met");
    fputs(" → ", f);
    if (!x->in_new) fputs("(target removed)", f);
    else if (!x->has_new) fputs("no value", f);
    else fprintf(f, "%s%s%s (goal %s %s%s)", dec_format(x->new_value, b1), pct, x->new_met ? " met" : " not met",
                 df_cmp(x->new_cmp), dec_format(x->new_goal, b2), pct);
    fputc('\n', f);
  }
  /* the distribution */
  if (!im->nscores || !im->has_items) return;
  long on[DF_BANDS], nn[DF_BANDS];
  df_bands(im, on, nn);
  fputs("\n  scores (records scored by both)       old      new\n", f);
  for (int k = DF_BANDS - 1; k >= 0; k--) {
    if (!on[k] && !nn[k]) continue;
    char label[64];
    df_band_label(im, k, label, sizeof label);
    fprintf(f, "    ");
    txt_pad(f, label, 31, 0);
    fprintf(f, "%7ld  %7ld\n", on[k], nn[k]);
  }
  const char *names[] = {"mean", "median", "lowest", "highest"};
  dec ov[] = {df_mean(im->old_scores, im->nscores), df_median(im->old_scores, im->nscores), im->old_scores[0],
              im->old_scores[im->nscores - 1]};
  dec nv[] = {df_mean(im->new_scores, im->nscores), df_median(im->new_scores, im->nscores), im->new_scores[0],
              im->new_scores[im->nscores - 1]};
  for (int k = 0; k < 4; k++) {
    fputs("    ", f);
    txt_pad(f, names[k], 31, 0);
    txt_pad(f, dec_format(ov[k], b1), 7, 1);
    fputs("  ", f);
    txt_pad(f, dec_format(nv[k], b2), 7, 1);
    fputc('\n', f);
  }
}

static void df_text(FILE *f, int colour, const df_side *a, const df_side *b, const df_list *l, const im_report *im,
                    const char *data) {
  df_text_side(f, '-', a, colour);
  df_text_side(f, '+', b, colour);
  int group = -1;
  const char *table = NULL, *section = NULL;
  for (size_t i = 0; i < l->n; i++) {
    const df_change *c = &l->v[i];
    int g = df_group(c);
    if (g != group) {
      fprintf(f, "\n%s%s%s\n", colour ? C_BOLD : "", df_group_title[g], colour ? C_OFF : "");
      group = g;
      table = section = NULL;
    }
    const char *indent = "  ";
    if (g == G_ITEMS) {
      if (!df_streq(c->table, table) && c->table) fprintf(f, "  table \"%s\"\n", c->table), section = NULL;
      table = c->table;
      if (!df_streq(c->section, section) && c->section) fprintf(f, "%s  section \"%s\"\n", table ? "  " : "", c->section);
      section = c->section;
      indent = table ? "      " : "    ";
      if (!c->section) indent = table ? "    " : "  ";
    }
    fprintf(f, "%s%s\n", indent, c->words);
    char deeper[16];
    snprintf(deeper, sizeof deeper, "%s    ", indent);
    df_text_lines(f, deeper, '-', c->old, colour);
    df_text_lines(f, deeper, '+', c->new_, colour);
    if (c->text_old && c->text_new) df_text_wording(f, deeper, c, colour);
  }
  fputc('\n', f);
  df_counts(f, l);
  fputc('\n', f);
  if (im) df_text_impact(f, im, data, colour);
}

/* ---- markdown -------------------------------------------------------------------- */

static void df_md_str(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (strchr("\\`*_~|<>[]#", s[i])) fputc('\\', f);
    fputc(s[i] == '\n' ? ' ' : s[i], f);
  }
}
static void df_md(FILE *f, const char *s) { df_md_str(f, s, strlen(s)); }

static void df_md_lines(FILE *f, char mark, const char *s) {
  while (s && *s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    fprintf(f, "  %c %.*s\n", mark, (int)n, s);
    s = nl ? nl + 1 : s + n;
  }
}

static void df_markdown_impact(FILE *f, const im_report *im, const char *data) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  fputs("\n## Impact on `", f);
  fputs(data, f);
  fprintf(f, "`\n\n%ld records, %ld scored by both standards (error rows: %ld under the old, %ld under the new).\n",
          im->rows, im->both, im->old_errors, im->new_errors);
  fputs("\n### Levels\n\nRows: the old standard; columns: the new.\n\n| old \\\\ new |", f);
  for (uint32_t n = 0; n < im->nnew; n++)
    if (df_place_shown(im, 0, n)) fprintf(f, " %s |", im->new_names[n]);
  fputs("\n|---|", f);
  for (uint32_t n = 0; n < im->nnew; n++)
    if (df_place_shown(im, 0, n)) fputs("---:|", f);
  fputc('\n', f);
  for (uint32_t o = 0; o < im->nold; o++) {
    if (!df_place_shown(im, 1, o)) continue;
    fprintf(f, "| %s |", im->old_names[o]);
    for (uint32_t n = 0; n < im->nnew; n++)
      if (df_place_shown(im, 0, n)) fprintf(f, " %ld |", im->matrix[o * im->nnew + n]);
    fputc('\n', f);
  }
  fprintf(f, "\n### Unions that change level (%zu)\n\n", im->nmovers);
  if (im->nmovers) fputs("| row | union | score | level | why |\n|---:|---|---|---|---|\n", f);
  for (size_t k = 0; k < im->nmovers; k++) {
    const im_mover *m = &im->movers[k];
    fprintf(f, "| %ld | ", m->row);
    if (m->key) df_md(f, m->key);
    fprintf(f, " | %s → %s | %s → %s | ", m->old_ok ? dec_format(m->old_score, b1) : "error",
            m->new_ok ? dec_format(m->new_score, b2) : "error", df_place_name(im, 1, m->old_level),
            df_place_name(im, 0, m->new_level));
    df_md(f, m->why);
    fputs(" |\n", f);
  }
  if (im->ntargets) fputs("\n### Targets\n\n| target | old | new | goal |\n|---|---|---|---|\n", f);
  for (size_t t = 0; t < im->ntargets; t++) {
    const im_target *x = &im->targets[t];
    const char *pct = x->percent ? "%" : "";
    fputs("| ", f);
    df_md(f, x->text);
    fputs(" | ", f);
    if (!x->in_old) fputs("(new)", f);
    else if (!x->has_old) fputs("no value", f);
    else fprintf(f, "%s%s %s", dec_format(x->old_value, b1), pct, x->old_met ? "met" : "not met");
    fputs(" | ", f);
    if (!x->in_new) fputs("(removed)", f);
    else if (!x->has_new) fputs("no value", f);
    else fprintf(f, "%s%s %s", dec_format(x->new_value, b1), pct, x->new_met ? "met" : "not met");
    if (x->in_new) fprintf(f, " | %s %s%s |\n", df_cmp(x->new_cmp) , dec_format(x->new_goal, b2), pct);
    else fputs(" | |\n", f);
  }
  if (!im->nscores || !im->has_items) return;
  long on[DF_BANDS], nn[DF_BANDS];
  df_bands(im, on, nn);
  fputs("\n### Scores\n\nRecords scored by both standards.\n\n| score | old | new |\n|---|---:|---:|\n", f);
  for (int k = DF_BANDS - 1; k >= 0; k--) {
    if (!on[k] && !nn[k]) continue;
    char label[64];
    df_band_label(im, k, label, sizeof label);
    fprintf(f, "| %s | %ld | %ld |\n", label, on[k], nn[k]);
  }
  fprintf(f, "| mean | %s |", dec_format(df_mean(im->old_scores, im->nscores), b1));
  fprintf(f, " %s |\n", dec_format(df_mean(im->new_scores, im->nscores), b1));
  fprintf(f, "| median | %s |", dec_format(df_median(im->old_scores, im->nscores), b1));
  fprintf(f, " %s |\n", dec_format(df_median(im->new_scores, im->nscores), b1));
  fprintf(f, "| lowest | %s | %s |\n", dec_format(im->old_scores[0], b1), dec_format(im->new_scores[0], b2));
  fprintf(f, "| highest | %s | %s |\n", dec_format(im->old_scores[im->nscores - 1], b1),
          dec_format(im->new_scores[im->nscores - 1], b2));
}

static void df_markdown(FILE *f, const df_side *a, const df_side *b, const df_list *l, const im_report *im,
                        const char *data) {
  fputs("# Comparison of two standards\n\n| | old | new |\n|---|---|---|\n", f);
  fprintf(f, "| file | `%s` | `%s` |\n| policy | ", a->path, b->path);
  df_md(f, a->p->id);
  fputs(" ", f);
  df_md(f, a->p->title);
  fputs(" | ", f);
  df_md(f, b->p->id);
  fputs(" ", f);
  df_md(f, b->p->title);
  fputs(" |\n", f);
  if (a->table || b->table) {
    fputs("| table | ", f);
    df_md(f, a->table ? a->table : "(whole policy)");
    fputs(" | ", f);
    df_md(f, b->table ? b->table : "(whole policy)");
    fputs(" |\n", f);
  }
  fputs("\n**", f);
  df_counts(f, l);
  fputs("**\n", f);
  int group = -1;
  const char *table = NULL, *section = NULL;
  for (size_t i = 0; i < l->n; i++) {
    const df_change *c = &l->v[i];
    int g = df_group(c);
    if (g != group || (g == G_ITEMS && (!df_streq(c->table, table) || !df_streq(c->section, section)))) {
      fputs("\n## ", f);
      if (g == G_ITEMS && (c->table || c->section)) {
        if (c->table) fputs("Table ", f), df_md(f, c->table);
        if (c->table && c->section) fputs(" › ", f);
        if (c->section) fputs(c->table ? "section " : "Section ", f), df_md(f, c->section);
      } else {
        fprintf(f, "%c%s", df_group_title[g][0] - 'a' + 'A', df_group_title[g] + 1);
      }
      fputs("\n\n", f);
      group = g;
      table = c->table;
      section = c->section;
    }
    fputs("- ", f);
    df_md(f, c->words);
    fputc('\n', f);
    if (c->text_old && c->text_new) {
      df_span *sp;
      size_t n = df_spans(c->text_old, c->text_new, &sp);
      fputs("\n  ", f);
      /* HTML, not ~~ and **: emphasis next to Chinese punctuation does
       * not open or close in CommonMark */
      for (size_t k = 0; k < n; k++) {
        if (sp[k].op == '-') fputs("<del>", f);
        if (sp[k].op == '+') fputs("<ins>", f);
        df_md_str(f, sp[k].s, sp[k].len);
        if (sp[k].op == '-') fputs("</del>", f);
        if (sp[k].op == '+') fputs("</ins>", f);
      }
      fputc('\n', f);
      free(sp);
    }
    if (c->old || c->new_) {
      fputs("\n  ```diff\n", f);
      df_md_lines(f, '-', c->old);
      df_md_lines(f, '+', c->new_);
      fputs("  ```\n", f);
    }
  }
  if (im) df_markdown_impact(f, im, data);
}

/* ---- json -------------------------------------------------------------------------- */

static void df_json_opt(FILE *f, const char *s) {
  if (s) out_json_str(f, s);
  else fputs("null", f);
}

static void df_json_side(FILE *f, const df_side *s) {
  fputs("{\"file\":", f);
  out_json_str(f, s->path);
  fputs(",\"id\":", f);
  out_json_str(f, s->p->id);
  fputs(",\"title\":", f);
  out_json_str(f, s->p->title);
  fputs(",\"table\":", f);
  df_json_opt(f, s->table);
  fputc('}', f);
}

static void df_json_impact(FILE *f, const im_report *im, const char *data) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  fputs(",\"impact\":{\"data\":", f);
  out_json_str(f, data);
  fprintf(f, ",\"records\":%ld,\"scored_by_both\":%ld,\"old_errors\":%ld,\"new_errors\":%ld", im->rows, im->both,
          im->old_errors, im->new_errors);
  fputs(",\"levels\":{\"old\":[", f);
  const char *sep = "";
  for (uint32_t o = 0; o < im->nold; o++)
    if (df_place_shown(im, 1, o)) fputs(sep, f), out_json_str(f, im->old_names[o]), sep = ",";
  fputs("],\"new\":[", f);
  sep = "";
  for (uint32_t n = 0; n < im->nnew; n++)
    if (df_place_shown(im, 0, n)) fputs(sep, f), out_json_str(f, im->new_names[n]), sep = ",";
  fputs("],\"matrix\":[", f);
  sep = "";
  for (uint32_t o = 0; o < im->nold; o++) {
    if (!df_place_shown(im, 1, o)) continue;
    fputs(sep, f);
    sep = ",";
    fputc('[', f);
    const char *s2 = "";
    for (uint32_t n = 0; n < im->nnew; n++)
      if (df_place_shown(im, 0, n)) fprintf(f, "%s%ld", s2, im->matrix[o * im->nnew + n]), s2 = ",";
    fputc(']', f);
  }
  fputs("]},\"movers\":[", f);
  for (size_t k = 0; k < im->nmovers; k++) {
    const im_mover *m = &im->movers[k];
    fprintf(f, "%s{\"row\":%ld,\"id\":", k ? "," : "", m->row);
    df_json_opt(f, m->key);
    fputs(",\"old\":{\"score\":", f);
    fputs(m->old_ok ? dec_format(m->old_score, b1) : "null", f);
    fputs(",\"level\":", f);
    out_json_str(f, df_place_name(im, 1, m->old_level));
    fputs("},\"new\":{\"score\":", f);
    fputs(m->new_ok ? dec_format(m->new_score, b1) : "null", f);
    fputs(",\"level\":", f);
    out_json_str(f, df_place_name(im, 0, m->new_level));
    fputs("},\"why\":", f);
    out_json_str(f, m->why);
    fputc('}', f);
  }
  fputs("],\"targets\":[", f);
  for (size_t t = 0; t < im->ntargets; t++) {
    const im_target *x = &im->targets[t];
    fprintf(f, "%s{\"text\":", t ? "," : "");
    out_json_str(f, x->text);
    fputs(",\"old\":", f);
    if (x->in_old) fprintf(f, "{\"value\":%s,\"met\":%s}", x->has_old ? dec_format(x->old_value, b1) : "null",
                           x->has_old ? (x->old_met ? "true" : "false") : "null");
    else fputs("null", f);
    fputs(",\"new\":", f);
    if (x->in_new) fprintf(f, "{\"value\":%s,\"met\":%s,\"cmp\":\"%s\",\"goal\":%s}", x->has_new ? dec_format(x->new_value, b1) : "null",
                           x->has_new ? (x->new_met ? "true" : "false") : "null", df_cmp(x->new_cmp), dec_format(x->new_goal, b2));
    else fputs("null", f);
    fprintf(f, ",\"percent\":%s}", x->percent ? "true" : "false");
  }
  fputs("],\"scores\":", f);
  if (!im->nscores || !im->has_items) {
    fputs("null}", f);
    return;
  }
  long on[DF_BANDS], nn[DF_BANDS];
  df_bands(im, on, nn);
  dec width = im->scale / DF_BANDS;
  if (width <= 0) width = DEC_INT(10);
  fputs("{\"bands\":[", f);
  sep = "";
  for (int k = DF_BANDS - 1; k >= 0; k--) {
    if (!on[k] && !nn[k]) continue;
    fprintf(f, "%s{\"from\":%s,\"to\":%s,\"old\":%ld,\"new\":%ld}", sep, dec_format(width * k, b1),
            k == DF_BANDS - 1 ? "null" : dec_format(width * (k + 1), b2), on[k], nn[k]);
    sep = ",";
  }
  fputs("]", f);
  const char *side[] = {"old", "new"};
  for (int s = 0; s < 2; s++) {
    const dec *v = s ? im->new_scores : im->old_scores;
    fprintf(f, ",\"%s\":{\"mean\":%s", side[s], dec_format(df_mean(v, im->nscores), b1));
    fprintf(f, ",\"median\":%s", dec_format(df_median(v, im->nscores), b1));
    fprintf(f, ",\"lowest\":%s,\"highest\":%s}", dec_format(v[0], b1), dec_format(v[im->nscores - 1], b2));
  }
  fputs("}}", f);
}

static void df_json(FILE *f, const df_side *a, const df_side *b, const df_list *l, const im_report *im, const char *data) {
  static const char *const what[] = {"policy", "input", "table", "section", "item", "rule", "veto",
                                     "rating", "level", "index", "check", "quota", "target", "audit"};
  static const char *const op[] = {"added", "removed", "changed"};
  fputs("{\"old\":", f);
  df_json_side(f, a);
  fputs(",\"new\":", f);
  df_json_side(f, b);
  fprintf(f, ",\"same\":%s,\"count\":%zu,\"changes\":[", df_count(l) ? "false" : "true", df_count(l));
  for (size_t i = 0; i < l->n; i++) {
    const df_change *c = &l->v[i];
    fprintf(f, "%s{\"what\":\"%s\",\"change\":\"%s\",\"implied\":%s,\"table\":", i ? "," : "", what[c->what], op[c->op],
            c->implied ? "true" : "false");
    df_json_opt(f, c->table);
    fputs(",\"section\":", f);
    df_json_opt(f, c->section);
    fputs(",\"item\":", f);
    df_json_opt(f, c->item);
    fputs(",\"name\":", f);
    df_json_opt(f, c->name);
    fputs(",\"field\":", f);
    df_json_opt(f, c->field);
    fputs(",\"words\":", f);
    out_json_str(f, c->words);
    fputs(",\"old\":", f);
    df_json_opt(f, c->old);
    fputs(",\"new\":", f);
    df_json_opt(f, c->new_);
    if (c->text_old && c->text_new) {
      fputs(",\"wording\":{\"old\":", f);
      out_json_str(f, c->text_old);
      fputs(",\"new\":", f);
      out_json_str(f, c->text_new);
      fputs(",\"spans\":[", f);
      df_span *sp;
      size_t n = df_spans(c->text_old, c->text_new, &sp);
      for (size_t k = 0; k < n; k++) {
        fprintf(f, "%s[\"%c\",", k ? "," : "", sp[k].op);
        char *s = strndup(sp[k].s, sp[k].len);
        if (!s) abort();
        out_json_str(f, s);
        free(s);
        fputc(']', f);
      }
      free(sp);
      fputs("]}", f);
    }
    fputc('}', f);
  }
  fputc(']', f);
  if (im) df_json_impact(f, im, data);
  fputs("}\n", f);
}

void df_print(FILE *f, df_format fmt, int colour, const df_side *a, const df_side *b, const df_list *l,
              const im_report *im, const char *data) {
  if (fmt == DF_JSON) df_json(f, a, b, l, im, data);
  else if (fmt == DF_MARKDOWN) df_markdown(f, a, b, l, im, data);
  else df_text(f, colour, a, b, l, im, data);
}
