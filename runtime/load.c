/* load.c — read a .tbc file, verify all of it, build a prog.
 *
 * Nothing in the file is trusted.  Every count is checked against the bytes
 * that remain before anything is allocated, every index against what it
 * indexes, every string for UTF-8, and the code in one pass for opcodes,
 * arguments, stack depth and types, forward jumps, and the order of the
 * scoring instructions (each item opened once, in order; each rule applied
 * once, inside its item; each veto and level once).  A refused file gets the
 * reason and the byte offset; a program is returned only when all of it
 * passed.
 */
#include "prog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"

typedef struct {
  const uint8_t *data;
  size_t len;   /* whole file */
  size_t pos;   /* next byte to read */
  size_t end;   /* end of the current section */
  prog_error *err;
  prog *p;
} ld_reader;

static int ld_fail(ld_reader *r, size_t off, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
  va_end(ap);
  r->err->offset = off;
  return 0;
}

static int ld_need(ld_reader *r, size_t n, const char *what) {
  if (r->end - r->pos < n)
    return ld_fail(r, r->pos, "truncated: %s runs past the end of its section", what);
  return 1;
}

static uint64_t ld_le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static int ld_u8(ld_reader *r, uint8_t *v, const char *what) {
  if (!ld_need(r, 1, what)) return 0;
  *v = r->data[r->pos++];
  return 1;
}
static int ld_u16(ld_reader *r, uint16_t *v, const char *what) {
  if (!ld_need(r, 2, what)) return 0;
  *v = (uint16_t)ld_le(r->data + r->pos, 2);
  r->pos += 2;
  return 1;
}
static int ld_u32(ld_reader *r, uint32_t *v, const char *what) {
  if (!ld_need(r, 4, what)) return 0;
  *v = (uint32_t)ld_le(r->data + r->pos, 4);
  r->pos += 4;
  return 1;
}
static int ld_i64(ld_reader *r, int64_t *v, const char *what) {
  if (!ld_need(r, 8, what)) return 0;
  *v = (int64_t)ld_le(r->data + r->pos, 8);
  r->pos += 8;
  return 1;
}

/* A decimal field: within the range arithmetic is checked against. */
static int ld_dec(ld_reader *r, dec *v, const char *what) {
  size_t at = r->pos;
  if (!ld_i64(r, v, what)) return 0;
  if (*v > DEC_LIMIT || *v < -DEC_LIMIT) return ld_fail(r, at, "%s out of range", what);
  return 1;
}

/* A string index; TBC_NONE only where allowed (then *s = NULL). */
static int ld_str(ld_reader *r, const char **s, int allow_none, const char *what) {
  size_t at = r->pos;
  uint32_t i;
  if (!ld_u32(r, &i, what)) return 0;
  if (i == TBC_NONE && allow_none) { *s = NULL; return 1; }
  if (i >= r->p->nstrs)
    return ld_fail(r, at, "%s: string index %u out of range (%u strings)", what, i, r->p->nstrs);
  *s = r->p->strs[i];
  return 1;
}

/* A count of records of at least `min_size` bytes each that must fit. */
static int ld_count(ld_reader *r, uint32_t *n, size_t min_size, const char *what) {
  size_t at = r->pos;
  if (!ld_u32(r, n, what)) return 0;
  if (*n > TBC_MAX_COUNT) return ld_fail(r, at, "%s: count %u over the limit %u", what, *n, TBC_MAX_COUNT);
  if ((uint64_t)*n * min_size > r->end - r->pos)
    return ld_fail(r, at, "%s: count %u does not fit in its section", what, *n);
  return 1;
}

static void *ld_alloc(ld_reader *r, size_t n, size_t size) {
  void *m = calloc(n ? n : 1, size);
  if (!m) ld_fail(r, r->pos, "out of memory");
  return m;
}

/* ---- sections ---------------------------------------------------------- */

static int ld_strings(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nstrs, 4, "string table")) return 0;
  /* Each string takes 4 + len bytes in the file and len + 1 here, so the
   * section length bounds the buffer. */
  size_t cap = r->end - r->pos + 1;
  if (!(p->strs = ld_alloc(r, p->nstrs, sizeof *p->strs))) return 0;
  if (!(p->strbuf = ld_alloc(r, cap, 1))) return 0;
  size_t used = 0;
  for (uint32_t i = 0; i < p->nstrs; i++) {
    uint32_t n;
    if (!ld_u32(r, &n, "string length") || !ld_need(r, n, "string")) return 0;
    const char *s = (const char *)r->data + r->pos;
    size_t bad;
    if (memchr(s, 0, n)) return ld_fail(r, r->pos, "string %u contains a NUL byte", i);
    if (!txt_utf8_valid(s, n, &bad)) return ld_fail(r, r->pos + bad, "string %u is not valid UTF-8", i);
    memcpy(p->strbuf + used, s, n);
    p->strs[i] = p->strbuf + used;
    used += n + 1;
    r->pos += n;
  }
  return 1;
}

static int ld_meta(ld_reader *r) {
  prog *p = r->p;
  uint32_t eff, key;
  size_t at;
  if (!ld_str(r, &p->id, 0, "policy id") || !ld_str(r, &p->title, 0, "policy title") ||
      !ld_str(r, &p->issuer, 1, "issuer") || !ld_str(r, &p->document, 1, "document"))
    return 0;
  at = r->pos;
  if (!ld_dec(r, &p->scale, "scale")) return 0;
  if (p->scale <= 0) return ld_fail(r, at, "scale must be positive");
  at = r->pos;
  if (!ld_u32(r, &eff, "effective date")) return 0;
  p->effective = (int32_t)eff;
  if (p->effective != INT32_MIN && (p->effective < DATE_MIN || p->effective > DATE_MAX))
    return ld_fail(r, at, "effective date out of range");
  if (!ld_u32(r, &key, "key input")) return 0;
  p->key = key;
  at = r->pos;
  if (!ld_u32(r, &eff, "as-of date")) return 0;
  p->as_of = (int32_t)eff;
  if (p->as_of != INT32_MIN && (p->as_of < DATE_MIN || p->as_of > DATE_MAX)) return ld_fail(r, at, "as-of date out of range");
  if (!ld_u32(r, &p->category, "category input")) return 0;
  return 1;
}

static int ld_in_value(ld_reader *r, const prog_input *in, int64_t v, size_t at, const char *what) {
  switch (in->type) {
  case TBC_T_BOOL:
    if (v != 0 && v != 1) return ld_fail(r, at, "input %s: %s is not a bool", in->name, what);
    break;
  case TBC_T_INT:
    if (!dec_is_whole(v)) return ld_fail(r, at, "input %s: %s is not whole", in->name, what);
    /* fallthrough */
  case TBC_T_NUMBER:
  case TBC_T_PERCENT:
    if (v > DEC_LIMIT || v < -DEC_LIMIT) return ld_fail(r, at, "input %s: %s out of range", in->name, what);
    break;
  case TBC_T_DATE:
    if ((v < DATE_MIN || v > DATE_MAX) && !(v == TBC_DATE_NONE && !strcmp(what, "default")))
      return ld_fail(r, at, "input %s: %s is not a date", in->name, what);
    break;
  case TBC_T_ENUM:
    if (v < 0 || v >= in->nvals) return ld_fail(r, at, "input %s: %s is not one of its values", in->name, what);
    break;
  }
  return 1;
}

static int ld_inputs(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->ninputs, 36, "input schema")) return 0;
  if (!(p->inputs = ld_alloc(r, p->ninputs, sizeof *p->inputs))) return 0;
  uint32_t nkeys = 0;
  for (uint32_t i = 0; i < p->ninputs; i++) {
    prog_input *in = &p->inputs[i];
    uint16_t nvals;
    size_t at_type, at_def, at_min, at_max;
    if (!ld_str(r, &in->name, 0, "input name") || !ld_str(r, &in->label, 0, "input label")) return 0;
    at_type = r->pos;
    if (!ld_u8(r, &in->type, "input type") || !ld_u8(r, &in->flags, "input flags") ||
        !ld_u16(r, &nvals, "enum count"))
      return 0;
    if (in->type < TBC_T_BOOL || in->type > TBC_T_TEXT)
      return ld_fail(r, at_type, "input %s: unknown type %u", in->name, in->type);
    if (in->flags & ~(TBC_IN_DEFAULT | TBC_IN_MIN | TBC_IN_MAX | TBC_IN_KEY))
      return ld_fail(r, at_type + 1, "input %s: unknown flags 0x%02x", in->name, in->flags);
    if ((in->flags & TBC_IN_KEY) && (in->type != TBC_T_TEXT || i != p->key))
      return ld_fail(r, at_type + 1, "input %s: only the key text input may be the key", in->name);
    nkeys += (in->flags & TBC_IN_KEY) != 0;
    if ((nvals != 0) != (in->type == TBC_T_ENUM))
      return ld_fail(r, at_type + 2, "input %s: %u enum values for a %s", in->name, nvals, prog_type_name(in->type));
    in->nvals = nvals;
    at_def = r->pos;
    if (!ld_i64(r, &in->def, "default")) return 0;
    at_min = r->pos;
    if (!ld_i64(r, &in->min, "minimum")) return 0;
    at_max = r->pos;
    if (!ld_i64(r, &in->max, "maximum")) return 0;
    if (nvals) {
      if (!ld_need(r, (size_t)nvals * 8, "enum values")) return 0;
      if (!(in->val_name = ld_alloc(r, nvals, sizeof *in->val_name)) ||
          !(in->val_label = ld_alloc(r, nvals, sizeof *in->val_label)))
        return 0;
      for (uint16_t k = 0; k < nvals; k++)
        if (!ld_str(r, &in->val_name[k], 0, "enum value name") ||
            !ld_str(r, &in->val_label[k], 0, "enum value label"))
          return 0;
    }
    if ((in->flags & TBC_IN_MIN) && !ld_in_value(r, in, in->min, at_min, "minimum")) return 0;
    if ((in->flags & TBC_IN_MAX) && !ld_in_value(r, in, in->max, at_max, "maximum")) return 0;
    if ((in->flags & TBC_IN_MIN) && (in->flags & TBC_IN_MAX) && in->min > in->max)
      return ld_fail(r, at_min, "input %s: minimum above maximum", in->name);
    if (in->flags & TBC_IN_DEFAULT) {
      if (!ld_in_value(r, in, in->def, at_def, "default")) return 0;
      if (((in->flags & TBC_IN_MIN) && in->def < in->min) || ((in->flags & TBC_IN_MAX) && in->def > in->max))
        return ld_fail(r, at_def, "input %s: default outside its range", in->name);
    }
  }
  if (p->key != TBC_NONE && (p->key >= p->ninputs || nkeys != 1))
    return ld_fail(r, r->pos, "the key input %u is not a key text input", p->key);
  if (p->category != TBC_NONE && (p->category >= p->ninputs || p->inputs[p->category].type != TBC_T_ENUM))
    return ld_fail(r, r->pos, "the category input %u is not an enum", p->category);
  return 1;
}

static int ld_consts(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nconsts, 16, "constants")) return 0;
  if (!(p->consts = ld_alloc(r, p->nconsts, sizeof *p->consts))) return 0;
  for (uint32_t i = 0; i < p->nconsts; i++) {
    prog_const *c = &p->consts[i];
    size_t at = r->pos;
    uint8_t pad[3];
    if (!ld_u8(r, &c->type, "constant type") || !ld_u8(r, &pad[0], "padding") ||
        !ld_u8(r, &pad[1], "padding") || !ld_u8(r, &pad[2], "padding") ||
        !ld_u32(r, &c->aux, "constant aux") || !ld_i64(r, &c->value, "constant"))
      return 0;
    if (pad[0] || pad[1] || pad[2]) return ld_fail(r, at + 1, "constant %u: padding not zero", i);
    int ok;
    switch (c->type) {
    case TBC_V_BOOL: ok = c->aux == 0 && (c->value == 0 || c->value == 1); break;
    case TBC_V_DEC: ok = c->aux == 0 && c->value <= DEC_LIMIT && c->value >= -DEC_LIMIT; break;
    case TBC_V_DATE: ok = c->aux == 0 && ((c->value >= DATE_MIN && c->value <= DATE_MAX) || c->value == TBC_DATE_NONE); break;
    case TBC_V_ENUM0:
      ok = c->aux < p->ninputs && p->inputs[c->aux].type == TBC_T_ENUM && c->value >= 0 &&
           c->value < p->inputs[c->aux].nvals;
      break;
    default: return ld_fail(r, at, "constant %u: unknown type %u", i, c->type);
    }
    if (!ok) return ld_fail(r, at, "constant %u: value does not fit its type", i);
  }
  return 1;
}

static int ld_tables(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->ntables, 8, "tables")) return 0;
  if (!(p->tables = ld_alloc(r, p->ntables, sizeof *p->tables))) return 0;
  for (uint32_t i = 0; i < p->ntables; i++)
    if (!ld_str(r, &p->tables[i].title, 0, "table title") || !ld_str(r, &p->tables[i].source, 0, "table source"))
      return 0;
  return 1;
}

static int ld_sections(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nsections, 16, "sections")) return 0;
  if (!(p->sections = ld_alloc(r, p->nsections, sizeof *p->sections))) return 0;
  for (uint32_t i = 0; i < p->nsections; i++) {
    size_t at;
    if (!ld_str(r, &p->sections[i].title, 0, "section title")) return 0;
    at = r->pos;
    if (!ld_dec(r, &p->sections[i].max, "section maximum")) return 0;
    if (p->sections[i].max < 0) return ld_fail(r, at, "section %u: negative maximum", i);
    at = r->pos;
    if (!ld_u32(r, &p->sections[i].table, "section table")) return 0;
    if (p->sections[i].table != TBC_NONE && p->sections[i].table >= p->ntables)
      return ld_fail(r, at, "section %u: table out of range", i);
  }
  return 1;
}

static int ld_items(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nitems, 28, "items")) return 0;
  if (!(p->items = ld_alloc(r, p->nitems, sizeof *p->items))) return 0;
  for (uint32_t i = 0; i < p->nitems; i++) {
    prog_item *it = &p->items[i];
    size_t at;
    if (!ld_str(r, &it->number, 0, "item number") || !ld_str(r, &it->text, 0, "item text")) return 0;
    at = r->pos;
    if (!ld_u32(r, &it->section, "item section")) return 0;
    if (it->section >= p->nsections) return ld_fail(r, at, "item %s: section %u out of range", it->number, it->section);
    if (i > 0 && it->section < p->items[i - 1].section)
      return ld_fail(r, at, "item %s: items are not in section order", it->number);
    at = r->pos;
    if (!ld_dec(r, &it->points, "item points")) return 0;
    if (it->points < 0) return ld_fail(r, at, "item %s: negative points", it->number);
    if (!ld_str(r, &it->when, 1, "item condition") || !ld_str(r, &it->key, 1, "item key")) return 0;
    prog_section *s = &p->sections[it->section];
    if (s->nitems == 0) s->first_item = i;
    s->nitems++;
    it->base = it->points;
  }
  return 1;
}

static int ld_rules(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nrules, 40, "rules")) return 0;
  if (!(p->rules = ld_alloc(r, p->nrules, sizeof *p->rules))) return 0;
  for (uint32_t i = 0; i < p->nrules; i++) {
    prog_rule *ru = &p->rules[i];
    size_t at = r->pos;
    uint16_t pad;
    if (!ld_u8(r, &ru->kind, "rule kind") || !ld_u8(r, &ru->flags, "rule flags") ||
        !ld_u16(r, &pad, "padding"))
      return 0;
    if (ru->kind < TBC_R_DEDUCT || ru->kind > TBC_R_ZERO) return ld_fail(r, at, "rule %u: unknown kind %u", i, ru->kind);
    int per = ru->kind == TBC_R_DEDUCT_PER || ru->kind == TBC_R_AWARD_PER;
    uint8_t allowed = TBC_RF_UNLESS;
    if (per) allowed = TBC_RF_STARTED | TBC_RF_MAX | TBC_RF_MISSING | TBC_RF_WHOLE;
    if ((ru->flags & ~allowed) || ((ru->flags & TBC_RF_STARTED) && (ru->flags & TBC_RF_WHOLE)))
      return ld_fail(r, at + 1, "rule %u: flags 0x%02x do not fit its kind", i, ru->flags);
    if (ru->kind == TBC_R_AWARD_PER && !(ru->flags & TBC_RF_MAX))
      return ld_fail(r, at + 1, "rule %u: an award per unit needs a maximum", i);
    if (pad) return ld_fail(r, at + 2, "rule %u: padding not zero", i);
    at = r->pos;
    if (!ld_u32(r, &ru->item, "rule item")) return 0;
    if (ru->item >= p->nitems) return ld_fail(r, at, "rule %u: item %u out of range", i, ru->item);
    if (i > 0 && ru->item < p->rules[i - 1].item) return ld_fail(r, at, "rule %u: rules are not in item order", i);
    if (!ld_str(r, &ru->reason, 0, "rule reason") || !ld_str(r, &ru->source, 0, "rule source")) return 0;
    at = r->pos;
    if (!ld_dec(r, &ru->points, "rule points")) return 0;
    if (ru->points < 0) return ld_fail(r, at, "rule %u: negative points", i);
    at = r->pos;
    if (!ld_dec(r, &ru->unit, "rule unit")) return 0;
    if (per ? ru->unit <= 0 : ru->unit != 0) return ld_fail(r, at, "rule %u: unit does not fit its kind", i);
    at = r->pos;
    if (!ld_dec(r, &ru->max, "rule maximum")) return 0;
    if (ru->max < 0 || (!(ru->flags & TBC_RF_MAX) && ru->max != 0))
      return ld_fail(r, at, "rule %u: maximum does not fit its flags", i);
    prog_item *it = &p->items[ru->item];
    if (it->nrules == 0) it->first_rule = i;
    it->nrules++;
    dec award = ru->kind == TBC_R_AWARD ? ru->points : ru->kind == TBC_R_AWARD_PER ? ru->max : 0;
    if (dec_sub(it->base, award, &it->base) != DEC_OK) return ld_fail(r, at, "rule %u: item base out of range", i);
  }
  return 1;
}

static int ld_vetoes(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nvetoes, 12, "vetoes")) return 0;
  if (!(p->vetoes = ld_alloc(r, p->nvetoes, sizeof *p->vetoes))) return 0;
  for (uint32_t i = 0; i < p->nvetoes; i++)
    if (!ld_str(r, &p->vetoes[i].reason, 0, "veto reason") || !ld_str(r, &p->vetoes[i].source, 0, "veto source") ||
        !ld_u32(r, &p->vetoes[i].cap, "veto cap"))
      return 0;
  return 1;
}

static int ld_indices(ld_reader *r) {
  prog *p = r->p;
  if (!ld_count(r, &p->nindices, 16, "indices")) return 0;
  if (!(p->indices = ld_alloc(r, p->nindices, sizeof *p->indices))) return 0;
  uint32_t next = 0;
  for (uint32_t i = 0; i < p->nindices; i++) {
    prog_index *x = &p->indices[i];
    size_t at;
    if (!ld_str(r, &x->name, 0, "index name") || !ld_str(r, &x->label, 0, "index label")) return 0;
    at = r->pos;
    if (!ld_u32(r, &x->first_check, "first check") || !ld_u32(r, &x->nchecks, "check count")) return 0;
    /* the indices hold the checks in order, each at least one */
    if (x->first_check != next || x->nchecks == 0 || x->nchecks > TBC_MAX_COUNT)
      return ld_fail(r, at, "index %u: its checks do not follow the previous index's", i);
    next += x->nchecks;
  }
  if (!ld_count(r, &p->nchecks, 12, "checks")) return 0;
  if (p->nchecks != next) return ld_fail(r, r->pos, "%u checks, but the indices hold %u", p->nchecks, next);
  if (!(p->checks = ld_alloc(r, p->nchecks, sizeof *p->checks))) return 0;
  for (uint32_t i = 0; i < p->nchecks; i++) {
    prog_check *c = &p->checks[i];
    size_t at;
    if (!ld_str(r, &c->text, 0, "check text")) return 0;
    at = r->pos;
    if (!ld_u32(r, &c->index, "check index")) return 0;
    if (c->index >= p->nindices || i < p->indices[c->index].first_check ||
        i >= p->indices[c->index].first_check + p->indices[c->index].nchecks)
      return ld_fail(r, at, "check %u: not in its index's range", i);
    if (!ld_str(r, &c->source, 0, "check source")) return 0;
  }
  return 1;
}

static int ld_population(ld_reader *r) {
  prog *p = r->p;
  uint32_t nacc;
  size_t at0 = r->pos;
  if (!ld_u32(r, &nacc, "accumulators")) return 0;
  if (nacc > TBC_MAX_COUNT) return ld_fail(r, at0, "accumulators: count %u over the limit", nacc);
  p->naccs = nacc;
  if (!ld_count(r, &p->nquotas, 20, "quotas")) return 0;
  if (!(p->quotas = ld_alloc(r, p->nquotas, sizeof *p->quotas))) return 0;
  for (uint32_t i = 0; i < p->nquotas; i++) {
    prog_quota *q = &p->quotas[i];
    size_t at = r->pos;
    if (!ld_u32(r, &q->level, "quota level")) return 0;
    /* a level, or the else level (index nlevels) when there is one */
    if (q->level > p->nlevels || (q->level == p->nlevels && !p->else_name))
      return ld_fail(r, at, "quota %u: level out of range", i);
    for (uint32_t j = 0; j < i; j++)
      if (p->quotas[j].level == q->level) return ld_fail(r, at, "quota %u: a second quota for its level", i);
    at = r->pos;
    if (!ld_u32(r, &q->flags, "quota flags")) return 0;
    if (q->flags & ~(uint32_t)TBC_Q_ENFORCE) return ld_fail(r, at, "quota %u: unknown flags", i);
    at = r->pos;
    if (!ld_dec(r, &q->share, "quota share")) return 0;
    if (q->share < 0 || q->share > DEC_INT(100)) return ld_fail(r, at, "quota %u: share out of range", i);
    at = r->pos;
    if (!ld_u32(r, &q->ties, "quota ties")) return 0;
    if (q->ties != TBC_NONE && (q->ties >= p->ninputs || p->inputs[q->ties].type == TBC_T_BOOL ||
                                p->inputs[q->ties].type == TBC_T_ENUM))
      return ld_fail(r, at, "quota %u: ties input cannot rank", i);
  }
  if (!ld_count(r, &p->ntargets, 28, "targets")) return 0;
  if (!(p->targets = ld_alloc(r, p->ntargets, sizeof *p->targets))) return 0;
  for (uint32_t i = 0; i < p->ntargets; i++) {
    prog_target *t = &p->targets[i];
    size_t at;
    uint16_t pad;
    if (!ld_str(r, &t->text, 0, "target text") || !ld_str(r, &t->source, 0, "target source")) return 0;
    at = r->pos;
    if (!ld_u8(r, &t->kind, "target kind") || !ld_u8(r, &t->cmp, "target comparison") || !ld_u16(r, &pad, "padding"))
      return 0;
    if (t->kind < TBC_TG_SHARE || t->kind > TBC_TG_RATIO || t->cmp > TBC_CMP_GE || pad)
      return ld_fail(r, at, "target %u: unknown kind or comparison", i);
    if (!ld_dec(r, &t->goal, "target goal")) return 0;
    at = r->pos;
    if (!ld_u32(r, &t->num, "target numerator") || !ld_u32(r, &t->den, "target denominator")) return 0;
    int two = t->kind == TBC_TG_SHARE || t->kind == TBC_TG_RATIO;
    if (t->num >= nacc || (two ? t->den >= nacc : t->den != TBC_NONE))
      return ld_fail(r, at, "target %u: accumulators out of range", i);
  }
  if (!ld_count(r, &p->naudits, 24, "audits")) return 0;
  if (!(p->audits = ld_alloc(r, p->naudits, sizeof *p->audits))) return 0;
  for (uint32_t i = 0; i < p->naudits; i++) {
    prog_audit *a = &p->audits[i];
    size_t at;
    if (!ld_str(r, &a->text, 0, "audit text") || !ld_str(r, &a->source, 0, "audit source")) return 0;
    at = r->pos;
    if (!ld_dec(r, &a->share, "audit share")) return 0;
    if (a->share <= 0 || a->share > DEC_INT(100)) return ld_fail(r, at, "audit %u: share out of range", i);
    uint64_t seed = 0;
    if (!ld_need(r, 8, "audit seed")) return 0;
    seed = ld_le(r->data + r->pos, 8);
    r->pos += 8;
    a->seed = seed;
  }
  return 1;
}

static int ld_levels(ld_reader *r) {
  prog *p = r->p;
  if (!ld_str(r, &p->rating_title, 1, "rating title") || !ld_str(r, &p->else_name, 1, "else level")) return 0;
  if (!ld_count(r, &p->nlevels, 20, "levels")) return 0;
  if (!p->rating_title && (p->nlevels || p->else_name))
    return ld_fail(r, r->pos, "levels without a rating title");
  if (!(p->levels = ld_alloc(r, p->nlevels, sizeof *p->levels))) return 0;
  for (uint32_t i = 0; i < p->nlevels; i++) {
    prog_level *l = &p->levels[i];
    size_t at;
    if (!ld_str(r, &l->name, 0, "level name")) return 0;
    at = r->pos;
    if (!ld_u32(r, &l->flags, "level flags")) return 0;
    if (l->flags & ~(uint32_t)(TBC_LV_THRESHOLD | TBC_LV_CUMULATIVE)) return ld_fail(r, at, "level %u: unknown flags", i);
    at = r->pos;
    if (!ld_dec(r, &l->threshold, "level threshold")) return 0;
    if (!(l->flags & TBC_LV_THRESHOLD) && l->threshold) return ld_fail(r, at, "level %u: threshold without its flag", i);
    if (!ld_str(r, &l->source, 0, "level condition")) return 0;
  }
  /* a veto caps at a level, or at the else level (index nlevels) */
  for (uint32_t i = 0; i < p->nvetoes; i++)
    if (p->vetoes[i].cap != TBC_NONE && (p->vetoes[i].cap > p->nlevels || (p->vetoes[i].cap == p->nlevels && !p->else_name)))
      return ld_fail(r, r->pos, "veto %u: caps at a level that does not exist", i);
  return 1;
}

/* ---- code ----------------------------------------------------------------
 * One pass.  The code has no loops and no unconditional jumps, so every
 * instruction is reached by falling through, and a jump target's stack must
 * equal the fall-through stack there.  Jumps may not cross a scoring
 * instruction, which keeps "every rule runs exactly once per record". */

#define LD_MAX_PENDING TBC_MAX_PENDING

typedef struct {
  uint32_t target, depth;
  uint32_t types[TBC_MAX_STACK];
} ld_pending;

/* A `when` skips whole rules, items, checks, tables: it leaves and lands
 * with an empty stack, no expression jump open, and the same item open. */
typedef struct {
  uint32_t target;
  int64_t open_item;
} ld_skip;

typedef struct {
  uint32_t types[TBC_MAX_STACK];
  uint32_t depth, max_depth;
  int64_t open_item; /* -1: none */
  uint32_t next_item, next_rule, next_veto, next_level, next_check;
  int rated;         /* RATE has run */
  ld_pending *pend;
  uint32_t npend;
  ld_skip *skip;
  uint32_t nskip;
} ld_state;

static int ld_pop(ld_reader *r, ld_state *s, size_t at, uint32_t want, uint32_t *got) {
  if (s->depth == 0) return ld_fail(r, at, "stack underflow");
  uint32_t t = s->types[--s->depth];
  if (want && t != want) return ld_fail(r, at, "operand has the wrong type");
  if (got) *got = t;
  return 1;
}

static int ld_push(ld_reader *r, ld_state *s, size_t at, uint32_t t) {
  if (s->depth >= TBC_MAX_STACK) return ld_fail(r, at, "stack deeper than %d", TBC_MAX_STACK);
  s->types[s->depth++] = t;
  if (s->depth > s->max_depth) s->max_depth = s->depth;
  return 1;
}

static uint32_t ld_input_vtype(const prog_input *in, uint32_t i) {
  switch (in->type) {
  case TBC_T_BOOL: return TBC_V_BOOL;
  case TBC_T_DATE: return TBC_V_DATE;
  case TBC_T_ENUM: return TBC_V_ENUM0 + i;
  case TBC_T_TEXT: return 0;
  default: return TBC_V_DEC;
  }
}

/* The rule instruction must match the next rule, which must belong to the
 * open item and be of the instruction's kind. */
static int ld_rule_op(ld_reader *r, ld_state *s, size_t at, uint8_t op, uint32_t arg) {
  static const uint8_t kind_of[OP_COUNT_] = {
      [OP_DEDUCT] = TBC_R_DEDUCT, [OP_DEDUCTPER] = TBC_R_DEDUCT_PER, [OP_AWARD] = TBC_R_AWARD,
      [OP_AWARDPER] = TBC_R_AWARD_PER, [OP_ZERO] = TBC_R_ZERO};
  const prog *p = r->p;
  if (s->open_item < 0) return ld_fail(r, at, "rule outside an item");
  if (arg != s->next_rule) return ld_fail(r, at, "rule %u applied out of order (expected %u)", arg, s->next_rule);
  if (arg >= p->nrules) return ld_fail(r, at, "rule %u out of range", arg);
  const prog_rule *ru = &p->rules[arg];
  if (ru->item != (uint32_t)s->open_item) return ld_fail(r, at, "rule %u belongs to another item", arg);
  if (ru->kind != kind_of[op]) return ld_fail(r, at, "rule %u is not of this instruction's kind", arg);
  int per = op == OP_DEDUCTPER || op == OP_AWARDPER;
  s->next_rule++;
  return ld_pop(r, s, at, per ? TBC_V_DEC : TBC_V_BOOL, NULL);
}

static int ld_scoring_op(ld_reader *r, ld_state *s, size_t at) {
  if (s->npend) return ld_fail(r, at, "a jump crosses a scoring instruction");
  return 1;
}

static int ld_ins(ld_reader *r, ld_state *s, uint32_t pc, size_t at) {
  const prog *p = r->p;
  uint32_t ins = p->code[pc];
  uint8_t op = TBC_OP(ins);
  uint32_t arg = TBC_ARG(ins);
  uint32_t a = 0, b = 0;
  if (op >= OP_COUNT_) return ld_fail(r, at, "unknown opcode %u", op);
  if (tbc_ops[op].arg == TBC_A_NONE && arg) return ld_fail(r, at, "%s takes no argument", tbc_ops[op].name);
  switch ((enum tbc_opcode)op) {
  case OP_HALT:
    if (pc != p->ncode - 1) return ld_fail(r, at, "HALT before the end of the code");
    if (s->depth) return ld_fail(r, at, "stack not empty at HALT");
    if (s->open_item >= 0 || s->next_item != p->nitems || s->next_rule != p->nrules ||
        s->next_veto != p->nvetoes || s->next_level != p->nlevels || s->next_check != p->nchecks || !s->rated)
      return ld_fail(r, at, "HALT before every item, rule, check, veto and level has run and the rating is settled");
    return 1;
  case OP_CONST:
    if (arg >= p->nconsts) return ld_fail(r, at, "constant %u out of range", arg);
    a = p->consts[arg].type == TBC_V_ENUM0 ? TBC_V_ENUM0 + p->consts[arg].aux : p->consts[arg].type;
    return ld_push(r, s, at, a);
  case OP_LOAD:
  case OP_LOADNOT:
    if (arg >= p->ninputs) return ld_fail(r, at, "input %u out of range", arg);
    a = ld_input_vtype(&p->inputs[arg], arg);
    if (!a) return ld_fail(r, at, "the text input %s cannot be loaded", p->inputs[arg].name);
    if (op == OP_LOADNOT && a != TBC_V_BOOL) return ld_fail(r, at, "LOADNOT of an input that is not a bool");
    return ld_push(r, s, at, a);
  case OP_SCORE:
    if (s->open_item >= 0 || s->next_item != p->nitems) return ld_fail(r, at, "SCORE before the last item");
    return ld_push(r, s, at, TBC_V_DEC);
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MIN: case OP_MAX:
    return ld_pop(r, s, at, TBC_V_DEC, NULL) && ld_pop(r, s, at, TBC_V_DEC, NULL) && ld_push(r, s, at, TBC_V_DEC);
  case OP_DAYS:
    return ld_pop(r, s, at, TBC_V_DATE, NULL) && ld_pop(r, s, at, TBC_V_DATE, NULL) && ld_push(r, s, at, TBC_V_DEC);
  case OP_NEG: case OP_FLOOR: case OP_CEIL:
    return ld_pop(r, s, at, TBC_V_DEC, NULL) && ld_push(r, s, at, TBC_V_DEC);
  case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
    if (!ld_pop(r, s, at, 0, &b) || !ld_pop(r, s, at, 0, &a)) return 0;
    if (a != b) return ld_fail(r, at, "comparison of values of different types");
    if (op != OP_EQ && op != OP_NE && a != TBC_V_DEC && a != TBC_V_DATE)
      return ld_fail(r, at, "ordering needs numbers or dates");
    return ld_push(r, s, at, TBC_V_BOOL);
  case OP_NOT:
    return ld_pop(r, s, at, TBC_V_BOOL, NULL) && ld_push(r, s, at, TBC_V_BOOL);
  case OP_ANDJ: case OP_ORJ: {
    if (!s->depth || s->types[s->depth - 1] != TBC_V_BOOL) return ld_fail(r, at, "conditional jump needs a bool");
    if ((uint64_t)pc + 1 + arg >= p->ncode) return ld_fail(r, at, "jump out of bounds");
    if (s->npend >= LD_MAX_PENDING) return ld_fail(r, at, "more than %d jumps pending", LD_MAX_PENDING);
    ld_pending *j = &s->pend[s->npend++];
    j->target = pc + 1 + arg;
    j->depth = s->depth;
    memcpy(j->types, s->types, s->depth * sizeof s->types[0]);
    s->depth--;
    return 1;
  }
  case OP_NFALSE:
    if (arg == 0 || arg > s->depth) return ld_fail(r, at, "NFALSE of %u values with %u on the stack", arg, s->depth);
    for (uint32_t k = 0; k < arg; k++)
      if (!ld_pop(r, s, at, TBC_V_BOOL, NULL)) return 0;
    return ld_push(r, s, at, TBC_V_DEC);
  case OP_ITEM:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->open_item >= 0) return ld_fail(r, at, "item opened inside another");
    if (arg != s->next_item || arg >= p->nitems) return ld_fail(r, at, "item %u opened out of order", arg);
    if (s->depth) return ld_fail(r, at, "stack not empty at an item");
    s->open_item = arg;
    return 1;
  case OP_DEDUCT: case OP_DEDUCTPER: case OP_AWARD: case OP_AWARDPER: case OP_ZERO:
    return ld_scoring_op(r, s, at) && ld_rule_op(r, s, at, op, arg);
  case OP_ENDITEM:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->open_item < 0) return ld_fail(r, at, "ENDITEM without an item");
    {
      const prog_item *it = &p->items[s->open_item];
      if (s->next_rule != it->first_rule + it->nrules && it->nrules)
        return ld_fail(r, at, "item %s closed before all its rules ran", it->number);
    }
    if (s->depth) return ld_fail(r, at, "stack not empty at the end of an item");
    s->open_item = -1;
    s->next_item++;
    return 1;
  case OP_VETO:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->rated) return ld_fail(r, at, "a veto after RATE");
    if (s->open_item >= 0) return ld_fail(r, at, "veto inside an item");
    if (arg != s->next_veto || arg >= p->nvetoes) return ld_fail(r, at, "veto %u out of order", arg);
    s->next_veto++;
    return ld_pop(r, s, at, TBC_V_BOOL, NULL);
  case OP_SKIPF:
    if (!s->depth || s->types[s->depth - 1] != TBC_V_BOOL) return ld_fail(r, at, "SKIPF needs a bool");
    if (s->depth != 1 || s->npend) return ld_fail(r, at, "SKIPF inside an expression");
    if ((uint64_t)pc + 1 + arg >= p->ncode) return ld_fail(r, at, "jump out of bounds");
    if (s->nskip >= LD_MAX_PENDING) return ld_fail(r, at, "more than %d skips pending", LD_MAX_PENDING);
    r->p->has_skips = 1;
    s->skip[s->nskip].target = pc + 1 + arg;
    s->skip[s->nskip].open_item = s->open_item;
    s->nskip++;
    s->depth--;
    return 1;
  case OP_PICK:
    if (!ld_pop(r, s, at, TBC_V_BOOL, NULL) || !ld_pop(r, s, at, 0, &a) || !ld_pop(r, s, at, 0, &b)) return 0;
    if (a != b) return ld_fail(r, at, "PICK between values of different types");
    return ld_push(r, s, at, a);
  case OP_ASOF:
    r->p->uses_as_of = 1;
    return ld_push(r, s, at, TBC_V_DATE);
  case OP_WITHIN:
    if (arg == 0 || arg > 1000) return ld_fail(r, at, "WITHIN of %u years", arg);
    /* fallthrough */
  case OP_THISYEAR:
    r->p->uses_as_of = 1;
    return ld_pop(r, s, at, TBC_V_DATE, NULL) && ld_push(r, s, at, TBC_V_BOOL);
  case OP_YEARSTO:
    r->p->uses_as_of = 1;
    /* fallthrough */
  case OP_YEAR:
    return ld_pop(r, s, at, TBC_V_DATE, NULL) && ld_push(r, s, at, TBC_V_DEC);
  case OP_CHECK:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->open_item >= 0 || s->rated) return ld_fail(r, at, "a check inside an item or after the rating");
    if (arg != s->next_check || arg >= p->nchecks) return ld_fail(r, at, "check %u out of order", arg);
    s->next_check++;
    return ld_pop(r, s, at, TBC_V_BOOL, NULL);
  case OP_IALL: case OP_IANY: case OP_ICOUNT: case OP_ISHARE:
    if (arg >= p->nindices) return ld_fail(r, at, "index %u out of range", arg);
    if (s->next_check != p->nchecks) return ld_fail(r, at, "an index read before every check has run");
    return ld_push(r, s, at, op == OP_IALL || op == OP_IANY ? TBC_V_BOOL : TBC_V_DEC);
  case OP_RATE:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->rated) return ld_fail(r, at, "a second RATE");
    if (s->depth || s->nskip || s->open_item >= 0 || s->next_item != p->nitems || s->next_veto != p->nvetoes ||
        s->next_level != p->nlevels || s->next_check != p->nchecks)
      return ld_fail(r, at, "RATE before every item, check, veto and level has run, or inside a skip");
    s->rated = 1;
    return 1;
  case OP_RATING:
    if (!s->rated) return ld_fail(r, at, "RATING before RATE");
    return ld_push(r, s, at, TBC_V_DEC);
  case OP_TCOUNT: case OP_TSUM:
    if (arg >= p->naccs) return ld_fail(r, at, "accumulator %u out of range", arg);
    return ld_scoring_op(r, s, at) && ld_pop(r, s, at, op == OP_TCOUNT ? TBC_V_BOOL : TBC_V_DEC, NULL);
  case OP_SAMPLE:
    if (arg >= p->naudits) return ld_fail(r, at, "audit %u out of range", arg);
    return ld_scoring_op(r, s, at) && ld_pop(r, s, at, TBC_V_BOOL, NULL);
  case OP_LEVEL:
    if (!ld_scoring_op(r, s, at)) return 0;
    if (s->rated) return ld_fail(r, at, "a level after RATE");
    if (s->open_item >= 0 || s->next_item != p->nitems) return ld_fail(r, at, "level before the last item");
    if (arg != s->next_level || arg >= p->nlevels) return ld_fail(r, at, "level %u out of order", arg);
    if (p->levels[arg].flags & TBC_LV_THRESHOLD) {
      /* a threshold explains a score ("2.5 points short of …"): it must be
       * the one the code tests, SCORE; CONST threshold; GE */
      const uint32_t *c = p->code + pc;
      if (pc < 3 || c[-3] != TBC_INS(OP_SCORE, 0) || TBC_OP(c[-2]) != OP_CONST || c[-1] != TBC_INS(OP_GE, 0) ||
          p->consts[TBC_ARG(c[-2])].type != TBC_V_DEC || p->consts[TBC_ARG(c[-2])].value != p->levels[arg].threshold)
        return ld_fail(r, at, "level %u: its threshold is not what its code tests", arg);
    }
    s->next_level++;
    return ld_pop(r, s, at, TBC_V_BOOL, NULL);
  case OP_COUNT_:
    break;
  }
  return ld_fail(r, at, "unknown opcode %u", op);
}

static int ld_code(ld_reader *r) {
  prog *p = r->p;
  size_t base;
  if (!ld_count(r, &p->ncode, 4, "code")) return 0;
  if (p->ncode == 0) return ld_fail(r, r->pos, "no code");
  base = r->pos;
  if (!(p->code = ld_alloc(r, p->ncode, sizeof *p->code))) return 0;
  for (uint32_t i = 0; i < p->ncode; i++) ld_u32(r, &p->code[i], "instruction");

  ld_state s;
  memset(&s, 0, sizeof s);
  s.open_item = -1;
  if (!(s.pend = ld_alloc(r, LD_MAX_PENDING, sizeof *s.pend))) return 0;
  if (!(s.skip = ld_alloc(r, LD_MAX_PENDING, sizeof *s.skip))) { free(s.pend); return 0; }
  int ok = 1;
  for (uint32_t pc = 0; ok && pc < p->ncode; pc++) {
    size_t at = base + (size_t)pc * 4;
    /* Jumps landing here must agree with the fall-through stack. */
    for (uint32_t k = 0; ok && k < s.npend;) {
      ld_pending *j = &s.pend[k];
      if (j->target != pc) { k++; continue; }
      if (j->depth != s.depth || memcmp(j->types, s.types, s.depth * sizeof s.types[0]))
        ok = ld_fail(r, at, "stack at a jump target differs from the jump's");
      s.pend[k] = s.pend[--s.npend];
    }
    for (uint32_t k = 0; ok && k < s.nskip;) {
      ld_skip *j = &s.skip[k];
      if (j->target != pc) { k++; continue; }
      if (s.depth || s.npend || s.open_item != j->open_item)
        ok = ld_fail(r, at, "a skip lands inside an expression or another item");
      s.skip[k] = s.skip[--s.nskip];
    }
    if (ok) ok = ld_ins(r, &s, pc, at);
  }
  free(s.pend);
  free(s.skip);
  /* HALT checks that everything ran; a program must end with it. */
  if (ok && TBC_OP(p->code[p->ncode - 1]) != OP_HALT)
    ok = ld_fail(r, base + (size_t)(p->ncode - 1) * 4, "the code does not end with HALT");
  if (ok) p->max_stack = s.max_depth;
  return ok;
}

/* ---- the file ------------------------------------------------------------ */

static const uint32_t ld_tags[TBC_NSECTIONS] = {
    TBC_TAG('S', 'T', 'R', 'S'), TBC_TAG('M', 'E', 'T', 'A'), TBC_TAG('I', 'N', 'P', 'T'),
    TBC_TAG('C', 'N', 'S', 'T'), TBC_TAG('T', 'A', 'B', 'L'), TBC_TAG('S', 'E', 'C', 'T'),
    TBC_TAG('I', 'T', 'E', 'M'), TBC_TAG('R', 'U', 'L', 'E'), TBC_TAG('V', 'E', 'T', 'O'),
    TBC_TAG('L', 'E', 'V', 'L'), TBC_TAG('I', 'N', 'D', 'X'), TBC_TAG('P', 'O', 'P', 'L'),
    TBC_TAG('C', 'O', 'D', 'E')};

static int (*const ld_parsers[TBC_NSECTIONS])(ld_reader *) = {
    ld_strings, ld_meta, ld_inputs, ld_consts, ld_tables, ld_sections, ld_items,
    ld_rules, ld_vetoes, ld_levels, ld_indices, ld_population, ld_code};

static int ld_header(ld_reader *r) {
  const uint8_t *d = r->data;
  if (r->len < TBC_HEADER_SIZE) return ld_fail(r, 0, "not a Tally bytecode file: %zu bytes is too short", r->len);
  if (memcmp(d, TBC_MAGIC, 4)) return ld_fail(r, 0, "not a Tally bytecode file (bad magic)");
  uint16_t version = (uint16_t)ld_le(d + 4, 2), flags = (uint16_t)ld_le(d + 6, 2);
  if (version != TBC_VERSION)
    return ld_fail(r, 4, "bytecode version %u; this Tally reads version %d (rebuild the policy)", version, TBC_VERSION);
  if (flags) return ld_fail(r, 6, "unknown header flags 0x%04x", flags);
  if (ld_le(d + 8, 4) != r->len)
    return ld_fail(r, 8, "file length %llu in the header, but the file has %zu bytes (truncated or extended?)",
                   (unsigned long long)ld_le(d + 8, 4), r->len);
  /* The checksum covers every byte, with its own four read as zero. */
  uint32_t want = (uint32_t)ld_le(d + 12, 4);
  static const uint8_t zero4[4] = {0};
  uint32_t c = tbc_crc32(0, d, 12);
  c = tbc_crc32(c, zero4, 4);
  c = tbc_crc32(c, d + 16, r->len - 16);
  if (c != want) return ld_fail(r, 12, "checksum mismatch: the file is damaged (stored %08x, computed %08x)", want, c);
  if (ld_le(d + 24, 4) != TBC_NSECTIONS) return ld_fail(r, 24, "section count %llu, expected %d", (unsigned long long)ld_le(d + 24, 4), TBC_NSECTIONS);
  if (ld_le(d + 28, 4)) return ld_fail(r, 28, "reserved header field not zero");
  r->p->source_hash = ld_le(d + 16, 8);
  r->pos = TBC_HEADER_SIZE;
  return 1;
}

prog *prog_load(const uint8_t *data, size_t len, prog_error *err) {
  prog *p = calloc(1, sizeof *p);
  ld_reader r = {data, len, 0, len, err, p};
  err->msg[0] = 0;
  err->offset = 0;
  if (!p) {
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return NULL;
  }
  int ok = ld_header(&r);
  for (int i = 0; ok && i < TBC_NSECTIONS; i++) {
    uint32_t tag, n;
    size_t at = r.pos;
    r.end = len;
    if (!ld_u32(&r, &tag, "section tag") || !ld_u32(&r, &n, "section length")) { ok = 0; break; }
    if (tag != ld_tags[i]) { ok = ld_fail(&r, at, "section %d has the wrong tag", i); break; }
    if (n > len - r.pos) { ok = ld_fail(&r, at + 4, "section %.4s runs past the end of the file", (const char *)&data[at]); break; }
    r.end = r.pos + n;
    ok = ld_parsers[i](&r);
    if (ok && r.pos != r.end)
      ok = ld_fail(&r, r.pos, "section %.4s has %zu bytes left over", (const char *)&data[at], r.end - r.pos);
  }
  if (ok && r.pos != len) ok = ld_fail(&r, r.pos, "%zu bytes after the last section", len - r.pos);
  if (!ok) {
    prog_free(p);
    return NULL;
  }
  return p;
}

void prog_free(prog *p) {
  if (!p) return;
  for (uint32_t i = 0; p->inputs && i < p->ninputs; i++) {
    free(p->inputs[i].val_name);
    free(p->inputs[i].val_label);
  }
  free(p->inputs);
  free(p->consts);
  free(p->sections);
  free(p->items);
  free(p->rules);
  free(p->vetoes);
  free(p->levels);
  free(p->tables);
  free(p->indices);
  free(p->checks);
  free(p->quotas);
  free(p->targets);
  free(p->audits);
  free(p->code);
  free(p->strs);
  free(p->strbuf);
  free(p);
}

const char *prog_type_name(uint8_t t) {
  switch (t) {
  case TBC_T_BOOL: return "bool";
  case TBC_T_INT: return "int";
  case TBC_T_NUMBER: return "number";
  case TBC_T_PERCENT: return "percent";
  case TBC_T_DATE: return "date";
  case TBC_T_ENUM: return "enum";
  case TBC_T_TEXT: return "text";
  }
  return "?";
}
