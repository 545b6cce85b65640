/* ast.c — arena, lists and the tree printer. */
#include "ast.h"
#include "diag.h"

#include "runtime/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arena hands out zeroed memory from 64 KiB chunks (larger requests get
 * a chunk of their own) and frees everything at once. */
typedef struct ast_chunk {
  struct ast_chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
} ast_chunk;

struct ast_arena {
  ast_chunk *head;
};

ast_arena *ast_arena_new(void) {
  ast_arena *a = calloc(1, sizeof *a);
  if (!a) abort();
  return a;
}

void ast_arena_free(ast_arena *a) {
  if (!a) return;
  for (ast_chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void *ast_alloc(ast_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  ast_chunk *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    c = calloc(1, sizeof *c + cap);
    if (!c) {
      fputs("tally: out of memory\n", stderr);
      abort();
    }
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  return p;
}

char *ast_strndup(ast_arena *a, const char *s, size_t n) {
  char *d = ast_alloc(a, n + 1);
  memcpy(d, s, n);
  return d;
}

void ast_push(ast_arena *a, ast_list *l, void *p) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 8;
    void **v = ast_alloc(a, (size_t)cap * sizeof *v);
    if (l->n) memcpy(v, l->v, (size_t)l->n * sizeof *v);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = p;
}

ast_expr *ast_expr_new(ast_arena *a, ast_expr_kind k, ast_loc at) {
  ast_expr *e = ast_alloc(a, sizeof *e);
  e->kind = k;
  e->at = at;
  e->input = -1;
  e->enum_input = -1;
  return e;
}

const char *ast_type_name(ast_type t) {
  static const char *const names[] = {"(error)", "bool", "int", "number", "percent",
                                      "date", "enum", "text", "number"};
  return names[t];
}

const char *ast_binop_text(ast_binop op) {
  static const char *const text[] = {"+", "-", "*", "/", "==", "!=", "<", "<=",
                                     ">", ">=", "and", "or", "implies"};
  return text[op];
}

/* ---- printer ------------------------------------------------------------ */

static void print_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '\n') fputs("\\n", f);
    else if (*s == '\t') fputs("\\t", f);
    else {
      if (*s == '"' || *s == '\\') fputc('\\', f);
      fputc(*s, f);
    }
  }
  fputc('"', f);
}

/* Binding strength, loosest first; the printer adds parentheses only where
 * the tree needs them, so the text reads as a person would write it. */
static int expr_prec(const ast_expr *e) {
  if (e->kind == EX_NOT) return 4;
  if (e->kind == EX_IN || e->kind == EX_WITHIN || e->kind == EX_THISYEAR) return 5;
  if (e->kind == EX_NEG) return 8;
  if (e->kind != EX_BINARY) return 9;
  switch (e->op) {
  case OPX_IMPLIES: return 1;
  case OPX_OR: return 2;
  case OPX_AND: return 3;
  case OPX_ADD: case OPX_SUB: return 6;
  case OPX_MUL: case OPX_DIV: return 7;
  default: return 5;
  }
}

static void print_expr_prec(FILE *f, const ast_expr *e, int min) {
  char buf[DEC_BUFSZ];
  static const char *const fn[] = {"min", "max", "floor", "ceil", "all", "any", "count", "share", "sum", "ratio", "year"};
  int p = expr_prec(e);
  if (p < min) fputc('(', f);
  switch (e->kind) {
  case EX_NUM: fputs(dec_format(e->num, buf), f); break;
  case EX_PERCENT: fprintf(f, "%s%%", dec_format(e->num, buf)); break;
  case EX_BOOL: fputs(e->num ? "yes" : "no", f); break;
  case EX_DATE: {
    char d[DATE_BUFSZ];
    fputs(date_format(e->num, d), f);
    break;
  }
  case EX_NAME: fputs(e->name, f); break;
  case EX_SCORE: fputs("score", f); break;
  case EX_NEG: fputs("-", f); print_expr_prec(f, e->a, 8); break;
  case EX_NOT: fputs("not ", f); print_expr_prec(f, e->a, 4); break;
  case EX_BINARY: {
    int lmin = p, rmin = p + 1;
    if (e->op == OPX_IMPLIES) { lmin = p + 1; rmin = p; }
    if (p == 5) lmin = p + 1; /* comparisons do not chain */
    print_expr_prec(f, e->a, lmin);
    fprintf(f, " %s ", ast_binop_text(e->op));
    print_expr_prec(f, e->b, rmin);
    break;
  }
  case EX_CALL:
    fprintf(f, "%s(", fn[e->op]);
    for (int i = 0; i < e->args.n; i++) {
      if (i) fputs(", ", f);
      print_expr_prec(f, e->args.v[i], 0);
    }
    if (e->where) { fputs(" where ", f); print_expr_prec(f, e->where, 0); }
    fputc(')', f);
    break;
  case EX_IN:
    print_expr_prec(f, e->a, 6);
    fputs(e->op ? " not in (" : " in (", f);
    for (int i = 0; i < e->args.n; i++) fprintf(f, "%s%s", i ? ", " : "", ((ast_expr *)e->args.v[i])->name);
    fputc(')', f);
    break;
  case EX_BY:
    fputs("by ", f);
    print_expr_prec(f, e->a, 9);
    fputs(" { ", f);
    for (int i = 0; i < e->args.n; i++) {
      const ast_arm *a = e->args.v[i];
      static const char *const cmp[] = {"", "< ", "<= ", "> ", ">= "};
      if (i) fputs(", ", f);
      if (a->kind == ARM_VALUE) fputs(a->name, f);
      else if (a->kind == ARM_ELSE) fputs("else", f);
      else if (a->kind == ARM_RANGE) { print_expr_prec(f, a->lo, 9); fputs("..", f); print_expr_prec(f, a->hi, 9); }
      else { fputs(cmp[a->kind], f); print_expr_prec(f, a->lo, 9); }
      fputs(": ", f);
      print_expr_prec(f, a->value, 0);
    }
    fputs(" }", f);
    break;
  case EX_ASOF: fputs("as of", f); break;
  case EX_WITHIN: print_expr_prec(f, e->a, 6); fprintf(f, " within %s years", dec_format(e->num, buf)); break;
  case EX_YEARS: fputs("years since ", f); print_expr_prec(f, e->a, 9); break;
  case EX_THISYEAR: print_expr_prec(f, e->a, 6); fputs(" in this year", f); break;
  case EX_NONE: fputs("none", f); break;
  case EX_RATING: fputs("rating", f); break;
  case EX_STRING: print_str(f, e->name); break;
  }
  if (p < min) fputc(')', f);
}

void ast_print_expr(FILE *f, const ast_expr *e) { print_expr_prec(f, e, 0); }

void ast_print_rule(FILE *f, const ast_rule *r) {
  static const char *const verb[] = {"deduct", "award", "zero"};
  char buf[DEC_BUFSZ];
  fputs(verb[r->verb], f);
  if (r->verb != RU_ZERO) fprintf(f, " %s", dec_format(r->points, buf));
  if (r->per == PER_NONE) {
    fprintf(f, " %s ", r->unless ? "unless" : "if");
    ast_print_expr(f, r->expr);
  } else {
    fputs(" per", f);
    if (r->per == PER_WHOLE) fputs(" whole", f);
    if (r->per == PER_STARTED) fputs(" started", f);
    if (r->has_unit) fprintf(f, " %s of", dec_format(r->unit, buf));
    if (r->expr) {
      fputc(' ', f);
      ast_print_expr(f, r->expr);
    } else {
      fputs(" missing(", f);
      for (int i = 0; i < r->missing.n; i++)
        fprintf(f, "%s%s", i ? ", " : "", ((ast_expr *)r->missing.v[i])->name);
      fputc(')', f);
    }
    if (r->has_max) fprintf(f, " max %s", dec_format(r->max, buf));
  }
  if (r->when) { fputs(" when ", f); ast_print_expr(f, r->when); }
}

/* ---- an extending policy's edits ------------------------------------------ */

static ast_item **edit_find(ast_policy *p, const char *number, const char *table, ast_section **in) {
  for (int s = 0; s < p->sections.n; s++) {
    ast_section *sec = p->sections.v[s];
    if (table ? !sec->table || strcmp(sec->table->title, table) : sec->table != NULL) continue;
    for (int i = 0; i < sec->items.n; i++) {
      ast_item *it = sec->items.v[i];
      if (!strcmp(it->number, number)) {
        *in = sec;
        return (ast_item **)&sec->items.v[i];
      }
    }
  }
  return NULL;
}

/* Keep each table's sections together, where its first one stands, and
 * renumber the tables' ranges (merging moved sections about). */
static void edit_regroup(ast_policy *p) {
  ast_list out = {0};
  for (int s = 0; s < p->sections.n; s++) {
    ast_section *sec = p->sections.v[s];
    if (!sec->table) {
      ast_push(p->arena, &out, sec);
      continue;
    }
    int first = 1;
    for (int k = 0; k < out.n; k++)
      if (((ast_section *)out.v[k])->table == sec->table) first = 0;
    if (!first) continue;
    sec->table->first_section = out.n;
    for (int k = s; k < p->sections.n; k++)
      if (((ast_section *)p->sections.v[k])->table == sec->table) ast_push(p->arena, &out, p->sections.v[k]);
    sec->table->nsections = out.n - sec->table->first_section;
  }
  p->sections = out;
}

int ast_apply_edits(ast_policy *p, diag *d) {
  int errors = 0;
  /* A table of an extending policy with the title of one of its base's is
   * that table: its `when` and acknowledgement replace the base's, and its
   * sections join the base's (merged by title below). */
  if (p->extends) {
    for (int t = 0; t < p->tables.n; t++) {
      ast_table *tb = p->tables.v[t];
      if (tb->at.file != 0) continue;
      for (int b = 0; b < t; b++) {
        ast_table *base = p->tables.v[b];
        if (base->at.file == 0 || strcmp(base->title, tb->title)) continue;
        base->when = tb->when;
        if (tb->ack) { base->ack = tb->ack; base->ack_at = tb->ack_at; }
        for (int s = 0; s < p->sections.n; s++) {
          ast_section *sec = p->sections.v[s];
          if (sec->table != tb) continue;
          sec->table = base;
          for (int i = 0; i < sec->items.n; i++) ((ast_item *)sec->items.v[i])->table = base;
        }
        for (int k = t + 1; k < p->tables.n; k++) p->tables.v[k - 1] = p->tables.v[k];
        p->tables.n--;
        t--;
        break;
      }
    }
    edit_regroup(p);
  }
  /* A section of an extending policy with the title of one of its base's
   * (in the same table) takes the base's place: its maximum, the base's
   * items, then its own. */
  if (p->extends) {
    for (int s = 0; s < p->sections.n; s++) {
      ast_section *sec = p->sections.v[s];
      if (sec->at.file != 0) continue;
      for (int b = 0; b < s; b++) {
        ast_section *base = p->sections.v[b];
        if (base->at.file == 0 || base->table != sec->table || strcmp(base->title, sec->title)) continue;
        base->max = sec->max;
        base->max_at = sec->max_at;
        if (sec->ack) { base->ack = sec->ack; base->ack_at = sec->ack_at; }
        for (int i = 0; i < sec->items.n; i++) ast_push(p->arena, &base->items, sec->items.v[i]);
        for (int k = s + 1; k < p->sections.n; k++) p->sections.v[k - 1] = p->sections.v[k];
        p->sections.n--;
        s--;
        break;
      }
    }
    edit_regroup(p);
  }
  for (int e = 0; e < p->edits.n; e++) {
    ast_edit *ed = p->edits.v[e];
    if (!p->extends) {
      diag_report(d, DIAG_ERROR, ed->at, "write: policy id \"title\" extends \"base.tally\" { … }",
                  "'%s' changes the policy this one extends, but it extends none", ed->replace ? "replace" : "remove");
      errors++;
      continue;
    }
    if (!strcmp(ed->what, "veto")) {
      int found = 0;
      for (int i = 0; i < p->vetoes.n; i++)
        if (!strcmp(((ast_veto *)p->vetoes.v[i])->reason, ed->number)) {
          for (int k = i + 1; k < p->vetoes.n; k++) p->vetoes.v[k - 1] = p->vetoes.v[k];
          p->vetoes.n--;
          found = 1;
          break;
        }
      if (!found) {
        diag_report(d, DIAG_ERROR, ed->at, NULL, "no veto \"%s\" to remove", ed->number);
        errors++;
      }
      continue;
    }
    ast_section *sec = NULL;
    ast_item **slot = edit_find(p, ed->number, ed->table, &sec);
    if (!slot) {
      if (ed->table)
        diag_report(d, DIAG_ERROR, ed->at, NULL, "no item %s in table \"%s\" to %s", ed->number, ed->table,
                    ed->replace ? "replace" : "remove");
      else
        diag_report(d, DIAG_ERROR, ed->at, p->tables.n ?
                    "an item of a table is edited inside it: table \"…\" when … { remove item N }" : NULL,
                    "no item %s to %s", ed->number, ed->replace ? "replace" : "remove");
      errors++;
      continue;
    }
    if (ed->replace) {
      ed->item->table = (*slot)->table;
      *slot = ed->item;
    } else {
      int i = (int)(slot - (ast_item **)sec->items.v);
      for (int k = i + 1; k < sec->items.n; k++) sec->items.v[k - 1] = sec->items.v[k];
      sec->items.n--;
    }
  }
  return errors ? -1 : 0;
}

void ast_print(FILE *f, const ast_policy *p) {
  char buf[DEC_BUFSZ];
  fprintf(f, "policy %s ", p->id);
  print_str(f, p->title);
  fputc('\n', f);
  if (p->issuer) { fputs("  issuer ", f); print_str(f, p->issuer); fputc('\n', f); }
  if (p->document) { fputs("  document ", f); print_str(f, p->document); fputc('\n', f); }
  if (p->has_scale) fprintf(f, "  scale %s\n", dec_format(p->scale, buf));
  if (p->effective != INT64_MIN) {
    char d[DATE_BUFSZ];
    fprintf(f, "  effective %s\n", date_format(p->effective, d));
  }
  if (p->as_of != INT64_MIN) {
    char d[DATE_BUFSZ];
    fprintf(f, "  as of %s\n", date_format(p->as_of, d));
  }
  for (int i = 0; i < p->inputs.n; i++) {
    const ast_input *in = p->inputs.v[i];
    fprintf(f, "input %s %s", in->name, ast_type_name(in->type));
    if (in->type == TY_ENUM) {
      fputc('(', f);
      for (int k = 0; k < in->values.n; k++) {
        const ast_enum_value *v = in->values.v[k];
        fprintf(f, "%s%s", k ? ", " : "", v->name);
        if (v->label) { fputc(' ', f); print_str(f, v->label); }
      }
      fputc(')', f);
    }
    fputc(' ', f);
    print_str(f, in->label);
    if (in->key) fputs(" key", f);
    if (in->category) fputs(" category", f);
    if (in->required) fputs(" required", f);
    if (in->def) { fputs(" default ", f); ast_print_expr(f, in->def); }
    if (in->min || in->max) {
      fputs(" range ", f);
      if (in->min) ast_print_expr(f, in->min);
      fputs("..", f);
      if (in->max) ast_print_expr(f, in->max);
    }
    fputc('\n', f);
  }
  for (int i = 0; i < p->sections.n; i++) {
    const ast_section *s = p->sections.v[i];
    if (s->table && s->table->first_section == i) {
      fputs("table ", f);
      print_str(f, s->table->title);
      fputs(" when ", f);
      ast_print_expr(f, s->table->when);
      fputc('\n', f);
    }
    fputs("section ", f);
    print_str(f, s->title);
    fprintf(f, " %s\n", dec_format(s->max, buf));
    for (int k = 0; k < s->items.n; k++) {
      const ast_item *it = s->items.v[k];
      fprintf(f, "  item %s ", it->number);
      print_str(f, it->text);
      fprintf(f, " %s", dec_format(it->points, buf));
      if (it->key) { fputs(" key ", f); print_str(f, it->key); }
      if (it->when) { fputs(" when ", f); ast_print_expr(f, it->when); }
      fputc('\n', f);
      for (int j = 0; j < it->rules.n; j++) {
        const ast_rule *r = it->rules.v[j];
        fputs("    ", f);
        ast_print_rule(f, r);
        fputc(' ', f);
        print_str(f, r->reason);
        fputc('\n', f);
      }
    }
  }
  for (int i = 0; i < p->vetoes.n; i++) {
    const ast_veto *v = p->vetoes.v[i];
    fputs("veto ", f);
    print_str(f, v->reason);
    fprintf(f, " %s ", v->unless ? "unless" : "if");
    ast_print_expr(f, v->cond);
    if (v->cap) { fputs(" at most ", f); print_str(f, v->cap); }
    fputc('\n', f);
  }
  for (int i = 0; i < p->indices.n; i++) {
    const ast_index *x = p->indices.v[i];
    fprintf(f, "index %s ", x->name);
    print_str(f, x->label);
    if (x->when) { fputs(" when ", f); ast_print_expr(f, x->when); }
    fputc('\n', f);
    for (int k = 0; k < x->checks.n; k++) {
      const ast_check *c = x->checks.v[k];
      fputs("  check ", f);
      print_str(f, c->text);
      fputc(' ', f);
      ast_print_expr(f, c->cond);
      if (c->when) { fputs(" when ", f); ast_print_expr(f, c->when); }
      fputc('\n', f);
    }
  }
  if (p->rating) {
    fputs("rating ", f);
    print_str(f, p->rating->title);
    if (p->rating->cumulative) fputs(" cumulative", f);
    fputc('\n', f);
    for (int i = 0; i < p->rating->levels.n; i++) {
      const ast_level *l = p->rating->levels.v[i];
      fputs("  ", f);
      print_str(f, l->name);
      fputs(" if ", f);
      ast_print_expr(f, l->cond);
      fputc('\n', f);
    }
    if (p->rating->has_else) {
      fputs("  else ", f);
      if (p->rating->else_name) print_str(f, p->rating->else_name);
      else fputs("none", f);
      fputc('\n', f);
    }
  }
  for (int i = 0; i < p->quotas.n; i++) {
    const ast_quota *q = p->quotas.v[i];
    fputs("quota ", f);
    print_str(f, q->level);
    fprintf(f, " at most %s%% %s", dec_format(q->share, buf), q->enforce ? "enforce" : "report");
    if (q->ties) fprintf(f, " ties by %s", q->ties->name);
    fputc('\n', f);
  }
  for (int i = 0; i < p->targets.n; i++) {
    const ast_target *t = p->targets.v[i];
    fputs("target ", f);
    print_str(f, t->text);
    fputc(' ', f);
    ast_print_expr(f, t->cond);
    fputc('\n', f);
  }
  for (int i = 0; i < p->audits.n; i++) {
    const ast_audit *a = p->audits.v[i];
    fputs("audit ", f);
    print_str(f, a->text);
    fprintf(f, " sample %s%%", dec_format(a->share, buf));
    if (a->where) { fputs(" where ", f); ast_print_expr(f, a->where); }
    if (a->seed) fprintf(f, " seed %lld", (long long)a->seed);
    fputc('\n', f);
  }
}
