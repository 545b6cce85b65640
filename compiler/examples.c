/* examples.c — run the examples of a policy; see examples.h. */
#include "examples.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/vm.h"
#include "runtime/write.h"

/* The record of an example as VM slots: what it gives, else the default,
 * else "blank" (an error only if the record needs it, as in a file). */
static int ex_slots(const prog *p, const ast_example *ex, int64_t *slots, const char **key, char *err,
                    size_t errsz) {
  *key = ex->name;
  for (uint32_t i = 0; i < p->ninputs; i++) {
    const prog_input *in = &p->inputs[i];
    const ast_field *f = NULL;
    for (int k = 0; k < ex->inputs.n; k++)
      if (!strcmp(((ast_field *)ex->inputs.v[k])->name, in->name)) f = ex->inputs.v[k];
    if (!f) {
      slots[i] = (in->flags & TBC_IN_DEFAULT) ? in->def : VM_MISSING;
      continue;
    }
    const ast_expr *v = f->value;
    int64_t x;
    switch (v->kind) {
    case EX_STRING: *key = v->name; slots[i] = 0; continue;
    case EX_NONE: x = TBC_DATE_NONE; break;
    case EX_NAME: x = v->enum_value; break;
    default: x = v->num; break;
    }
    if (v->kind != EX_NONE && (((in->flags & TBC_IN_MIN) && x < in->min) || ((in->flags & TBC_IN_MAX) && x > in->max))) {
      snprintf(err, errsz, "'%s' is outside its range", in->name);
      return -1;
    }
    slots[i] = x;
  }
  return 0;
}

static const char *ex_level(const prog *p, int32_t l) {
  const char *n = out_level_name(p, l);
  return n ? n : "none";
}

/* One expectation against the result; on a mismatch, the two values. */
static int ex_expect(const prog *p, const ast_field *f, const vm_result *r, const char *errmsg, char *want, char *got,
                     size_t n) {
  char b[DEC_BUFSZ];
  const ast_expr *v = f->value;
  const char *name = f->name;
  if (!strcmp(name, "error")) {
    snprintf(want, n, "an error saying \"%s\"", v->name);
    snprintf(got, n, "%s", errmsg ? errmsg : "no error");
    return errmsg && strstr(errmsg, v->name);
  }
  if (errmsg) {
    snprintf(want, n, "%s", "a result");
    snprintf(got, n, "error: %s", errmsg);
    return 0;
  }
  if (!strcmp(name, "score")) {
    snprintf(want, n, "%s", dec_format(v->num, b));
    snprintf(got, n, "%s", dec_format(r->total, b));
    return v->num == r->total;
  }
  if (!strcmp(name, "rating")) {
    snprintf(want, n, "%s", v->kind == EX_NONE ? "none" : v->name);
    snprintf(got, n, "%s", ex_level(p, r->level));
    return !strcmp(want, got);
  }
  if (!strcmp(name, "vetoed")) {
    snprintf(want, n, "%s", v->num ? "yes" : "no");
    snprintf(got, n, "%s", r->nvetoed ? "yes" : "no");
    return !!v->num == !!r->nvetoed;
  }
  if (!strcmp(name, "item")) {
    int32_t found = -1;
    for (uint32_t i = 0; i < p->nitems && found < 0; i++)
      if (r->item_applies[i] && !strcmp(p->items[i].number, f->arg)) found = (int32_t)i;
    snprintf(want, n, "%s", v->kind == EX_NONE ? "none (does not apply)" : dec_format(v->num, b));
    snprintf(got, n, "%s", found < 0 ? "none (does not apply)" : dec_format(r->item_score[found], b));
    return v->kind == EX_NONE ? found < 0 : found >= 0 && r->item_score[found] == v->num;
  }
  /* share(index) all(index) any(index) count(index) */
  const prog_index *x = &p->indices[f->fn];
  long passed = 0, applied = 0;
  for (uint32_t k = x->first_check; k < x->first_check + x->nchecks; k++) {
    applied += r->check_state[k] != 0;
    passed += r->check_state[k] == 1;
  }
  if (!strcmp(name, "share")) {
    dec s = applied ? passed * DEC_INT(100) / applied : DEC_INT(100);
    snprintf(want, n, "%s%%", dec_format(v->num, b));
    snprintf(got, n, "%s%% (%ld of %ld)", dec_format(s, b), passed, applied);
    return s == v->num;
  }
  if (!strcmp(name, "count")) {
    snprintf(want, n, "%s", dec_format(v->num, b));
    snprintf(got, n, "%ld", passed);
    return DEC_INT(passed) == v->num;
  }
  int all = passed == applied, any = passed > 0, is = !strcmp(name, "all") ? all : any;
  snprintf(want, n, "%s", v->num ? "yes" : "no");
  snprintf(got, n, "%s (%ld of %ld passed)", is ? "yes" : "no", passed, applied);
  return !!v->num == is;
}

/* ---- coverage ------------------------------------------------------------ */

typedef struct {
  uint8_t *rule, *check, *veto, *level, *cat;
  uint8_t *on, *under; /* per level: a score exactly on its threshold, half a point under */
} ex_cover;

static int64_t ex_gcd(int64_t a, int64_t b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* The step just under a threshold that a total can take: half a point, or
 * more when every item, rule and cap is a whole multiple of more (a table
 * of whole points cannot score 89.5, so 89 is the score just under 90). */
static dec ex_under_step(const prog *p) {
  int64_t g = 0;
  for (uint32_t i = 0; i < p->nitems; i++) g = ex_gcd(g, p->items[i].points);
  for (uint32_t i = 0; i < p->nrules; i++) {
    g = ex_gcd(g, p->rules[i].points);
    g = ex_gcd(g, p->rules[i].max);
  }
  return g < DEC_SCALE / 2 ? DEC_SCALE / 2 : g;
}

static void ex_cover_add(const prog *p, ex_cover *c, const vm_result *r, const int64_t *slots) {
  for (uint32_t i = 0; i < p->nrules; i++)
    if (r->rule_ran[i] && r->rule_fired[i] && r->rule_amount[i] != 0) c->rule[i] = 1;
    else if (r->rule_ran[i] && r->rule_fired[i] && p->rules[i].kind == TBC_R_ZERO) c->rule[i] = 1;
  for (uint32_t i = 0; i < p->nchecks; i++)
    if (r->check_state[i] == 2) c->check[i] = 1;
  for (uint32_t i = 0; i < p->nvetoes; i++)
    if (r->veto_fired[i]) c->veto[i] = 1;
  if (r->level >= 0) c->level[r->level] = 1;
  if (p->category != TBC_NONE && slots[p->category] >= 0) c->cat[slots[p->category]] = 1;
  for (uint32_t l = 0; l < p->nlevels; l++)
    if (p->levels[l].flags & TBC_LV_THRESHOLD) {
      if (r->total == p->levels[l].threshold) c->on[l] = 1;
      if (r->total == p->levels[l].threshold - ex_under_step(p)) c->under[l] = 1;
    }
}

static int ex_cover_report(const prog *p, const ex_cover *c, FILE *out) {
  int gaps = 0;
  char b[DEC_BUFSZ];
  uint32_t n = 0;
  for (uint32_t i = 0; i < p->nrules; i++) n += c->rule[i];
  if (p->nrules) fprintf(out, "  rules that moved points: %u of %u\n", n, p->nrules);
  for (uint32_t i = 0; i < p->nrules; i++)
    if (!c->rule[i]) {
      fprintf(out, "    never: item %s: %s  [%s]\n", p->items[p->rules[i].item].number, p->rules[i].reason, p->rules[i].source);
      gaps++;
    }
  n = 0;
  for (uint32_t i = 0; i < p->nchecks; i++) n += c->check[i];
  if (p->nchecks) fprintf(out, "  checks seen failing: %u of %u\n", n, p->nchecks);
  for (uint32_t i = 0; i < p->nchecks; i++)
    if (!c->check[i]) {
      fprintf(out, "    never: %s: %s\n", p->indices[p->checks[i].index].label, p->checks[i].text);
      gaps++;
    }
  n = 0;
  for (uint32_t i = 0; i < p->nvetoes; i++) n += c->veto[i];
  if (p->nvetoes) fprintf(out, "  vetoes fired: %u of %u\n", n, p->nvetoes);
  for (uint32_t i = 0; i < p->nvetoes; i++)
    if (!c->veto[i]) {
      fprintf(out, "    never: %s\n", p->vetoes[i].reason);
      gaps++;
    }
  uint32_t nl = p->nlevels + (p->else_name ? 1 : 0);
  n = 0;
  for (uint32_t i = 0; i < nl; i++) n += c->level[i];
  if (nl) fprintf(out, "  levels reached: %u of %u\n", n, nl);
  for (uint32_t i = 0; i < nl; i++)
    if (!c->level[i]) {
      fprintf(out, "    never: %s\n", out_level_name(p, (int32_t)i));
      gaps++;
    }
  for (uint32_t l = 0; l < p->nlevels; l++)
    if (p->levels[l].flags & TBC_LV_THRESHOLD) {
      if (!c->on[l]) { fprintf(out, "    no score of exactly %s (%s)\n", dec_format(p->levels[l].threshold, b), p->levels[l].name); gaps++; }
      if (!c->under[l]) {
        dec step = ex_under_step(p);
        char st[DEC_BUFSZ];
        fprintf(out, "    no score of %s, %s point%s under %s\n", dec_format(p->levels[l].threshold - step, b),
                step == DEC_SCALE / 2 ? "half a" : dec_format(step, st), step == DEC_SCALE / 2 || step == DEC_SCALE ? "" : "s",
                p->levels[l].name);
        gaps++;
      }
    }
  if (p->category != TBC_NONE) {
    const prog_input *in = &p->inputs[p->category];
    n = 0;
    for (uint32_t i = 0; i < in->nvals; i++) n += c->cat[i];
    fprintf(out, "  categories: %u of %u\n", n, in->nvals);
    for (uint32_t i = 0; i < in->nvals; i++)
      if (!c->cat[i]) {
        fprintf(out, "    never: %s (%s)\n", in->val_name[i], in->val_label[i]);
        gaps++;
      }
  }
  return gaps;
}

int examples_run(const char *path, const ast_policy *t, const prog *p, int64_t as_of, FILE *out, examples_report *rep) {
  memset(rep, 0, sizeof *rep);
  if (as_of == INT32_MIN) as_of = p->as_of;
  if (p->uses_as_of && as_of == INT32_MIN) {
    fprintf(out, "%s: its date rules need an as-of date: give --as-of YYYY-MM-DD, or `as of` in the header\n", path);
    return -1;
  }
  vm_ctx *vm = vm_new(p);
  int64_t *slots = calloc(p->ninputs ? p->ninputs : 1, sizeof *slots);
  ex_cover c;
  size_t nl = p->nlevels + 1;
  c.rule = calloc(p->nrules + 1, 1);
  c.check = calloc(p->nchecks + 1, 1);
  c.veto = calloc(p->nvetoes + 1, 1);
  c.level = calloc(nl, 1);
  c.on = calloc(nl, 1);
  c.under = calloc(nl, 1);
  c.cat = calloc(p->category != TBC_NONE ? p->inputs[p->category].nvals : 1, 1);
  out_writer *w = out_new(out, p, OUT_CSV, 1);
  int rc = 0;
  if (!vm || !slots || !c.rule || !c.check || !c.veto || !c.level || !c.on || !c.under || !c.cat || !w) {
    fputs("tally: out of memory\n", out);
    rc = -1;
    goto done;
  }
  vm_set_as_of(vm, as_of);
  for (int e = 0; e < t->examples.n; e++) {
    const ast_example *ex = t->examples.v[e];
    const char *key = NULL;
    char err[512] = "";
    const vm_result *r = NULL;
    const char *errmsg = NULL;
    if (ex_slots(p, ex, slots, &key, err, sizeof err) != 0) {
      errmsg = err;
    } else {
      r = vm_eval(vm, slots);
      if (r->err == VM_EMISSING) {
        const prog_input *in = &p->inputs[r->err_input];
        snprintf(err, sizeof err, "'%s' (%s) is required, and the example does not give it", in->name, in->label);
        errmsg = err;
      } else if (r->err) {
        snprintf(err, sizeof err, "cannot be scored: %s", r->err == VM_ENODATE ? "a blank date (none) has no year to count" : dec_strerror(r->err));
        errmsg = err;
      }
    }
    rep->examples++;
    int ok = 1;
    char want[600], got[600];
    for (int k = 0; k < ex->expects.n; k++)
      if (!ex_expect(p, ex->expects.v[k], r, errmsg, want, got, sizeof want)) ok = 0;
    if (ok) {
      rep->passed++;
      if (!errmsg) ex_cover_add(p, &c, r, slots);
      continue;
    }
    rep->failed++;
    fprintf(out, "%s:%d:%d: example \"%s\" failed\n", path, ex->at.line, ex->at.col, ex->name);
    for (int k = 0; k < ex->expects.n; k++) {
      const ast_field *f = ex->expects.v[k];
      if (ex_expect(p, f, r, errmsg, want, got, sizeof want)) continue;
      char label[80];
      if (f->arg && !strcmp(f->name, "item")) snprintf(label, sizeof label, "item %s", f->arg);
      else if (f->arg) snprintf(label, sizeof label, "%s(%s)", f->name, f->arg);
      else snprintf(label, sizeof label, "%s", f->name);
      fprintf(out, "    %-12s expected %s\n    %-12s      got %s\n", label, want, "", got);
    }
    if (r && !errmsg) {
      out_result(w, ex->at.line, key, r, slots);
      fputc('\n', out);
    }
  }
  fprintf(out, "%s: %d example%s, %d passed, %d failed\n", path, rep->examples, rep->examples == 1 ? "" : "s",
          rep->passed, rep->failed);
  fputs("coverage of the passing examples:\n", out);
  rep->gaps = ex_cover_report(p, &c, out);
done:
  out_free(w);
  free(c.rule);
  free(c.check);
  free(c.veto);
  free(c.level);
  free(c.on);
  free(c.under);
  free(c.cat);
  free(slots);
  vm_free(vm);
  return rc;
}
