/* ast.c — arena, lists and the tree printer. */
#include "ast.h"

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
  static const char *const fn[] = {"min", "max", "floor", "ceil"};
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
    fputc(')', f);
    break;
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
    fputs("section ", f);
    print_str(f, s->title);
    fprintf(f, " %s\n", dec_format(s->max, buf));
    for (int k = 0; k < s->items.n; k++) {
      const ast_item *it = s->items.v[k];
      fprintf(f, "  item %s ", it->number);
      print_str(f, it->text);
      fprintf(f, " %s\n", dec_format(it->points, buf));
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
    fputc('\n', f);
  }
  if (p->rating) {
    fputs("rating ", f);
    print_str(f, p->rating->title);
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
}
