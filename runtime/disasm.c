/* disasm.c — the program as a listing: tables first, then the code with
 * each argument resolved to what it names. */
#include "disasm.h"

#include <string.h>

#include "date.h"

static void dis_value(FILE *f, const prog *p, uint8_t type, uint32_t aux, int64_t v) {
  char buf[DEC_BUFSZ];
  switch (type) {
  case TBC_V_BOOL: fputs(v ? "yes" : "no", f); break;
  case TBC_V_DEC: fputs(dec_format(v, buf), f); break;
  case TBC_V_DATE: {
    char d[DATE_BUFSZ];
    fputs(v == TBC_DATE_NONE ? "none" : date_format(v, d), f);
    break;
  }
  default: fprintf(f, "%s.%s", p->inputs[aux].name, p->inputs[aux].val_name[v]); break;
  }
}

static void dis_input_value(FILE *f, const prog_input *in, int64_t v) {
  char buf[DEC_BUFSZ];
  switch (in->type) {
  case TBC_T_BOOL: fputs(v ? "yes" : "no", f); break;
  case TBC_T_DATE: {
    char d[DATE_BUFSZ];
    fputs(v == TBC_DATE_NONE ? "none" : date_format(v, d), f);
    break;
  }
  case TBC_T_ENUM: fputs(in->val_name[v], f); break;
  default: fputs(dec_format(v, buf), f); break;
  }
}

void disasm_print(FILE *f, const prog *p, size_t file_len) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  fprintf(f, "; policy %s \"%s\"\n", p->id, p->title);
  if (p->issuer) fprintf(f, "; issuer %s\n", p->issuer);
  if (p->document) fprintf(f, "; document %s\n", p->document);
  if (p->effective != INT32_MIN) {
    char d[DATE_BUFSZ];
    fprintf(f, "; effective %s\n", date_format(p->effective, d));
  }
  if (p->as_of != INT32_MIN) {
    char d[DATE_BUFSZ];
    fprintf(f, "; as of %s\n", date_format(p->as_of, d));
  }
  if (p->category != TBC_NONE) fprintf(f, "; category %s\n", p->inputs[p->category].name);
  fprintf(f, "; tbc version %d, %zu bytes, source hash %016llx, scale %s\n", TBC_VERSION, file_len,
          (unsigned long long)p->source_hash, dec_format(p->scale, b1));
  fprintf(f, "; %u strings, %u inputs, %u constants, %u sections, %u items, %u rules, %u vetoes, %u levels, "
             "%u instructions, stack %u\n",
          p->nstrs, p->ninputs, p->nconsts, p->nsections, p->nitems, p->nrules, p->nvetoes, p->nlevels,
          p->ncode, p->max_stack);
  if (p->ntables || p->nindices || p->nquotas || p->ntargets || p->naudits)
    fprintf(f, "; %u tables, %u indices, %u checks, %u quotas, %u targets, %u audits, %u accumulators\n", p->ntables,
            p->nindices, p->nchecks, p->nquotas, p->ntargets, p->naudits, p->naccs);
  fputc('\n', f);

  fputs("inputs:\n", f);
  for (uint32_t i = 0; i < p->ninputs; i++) {
    const prog_input *in = &p->inputs[i];
    fprintf(f, "  %3u  %-8s %s \"%s\"", i, prog_type_name(in->type), in->name, in->label);
    if (in->nvals) {
      fputs(" (", f);
      for (uint32_t k = 0; k < in->nvals; k++) fprintf(f, "%s%s", k ? ", " : "", in->val_name[k]);
      fputc(')', f);
    }
    if (in->flags & TBC_IN_KEY) fputs(" key", f);
    if (in->flags & TBC_IN_DEFAULT) { fputs(" default ", f); dis_input_value(f, in, in->def); }
    if (in->flags & (TBC_IN_MIN | TBC_IN_MAX)) {
      fputs(" range ", f);
      if (in->flags & TBC_IN_MIN) dis_input_value(f, in, in->min);
      fputs("..", f);
      if (in->flags & TBC_IN_MAX) dis_input_value(f, in, in->max);
    }
    fputc('\n', f);
  }
  if (p->nindices) {
    fputs("\nindices:\n", f);
    for (uint32_t x = 0; x < p->nindices; x++) {
      const prog_index *ix = &p->indices[x];
      fprintf(f, "  %3u  %s \"%s\"\n", x, ix->name, ix->label);
      for (uint32_t k = ix->first_check; k < ix->first_check + ix->nchecks; k++)
        fprintf(f, "         check %u: %s  \"%s\"\n", k, p->checks[k].source, p->checks[k].text);
    }
  }
  if (p->nsections) fputs("\nitems:\n", f);
  for (uint32_t s = 0; s < p->nsections; s++) {
    const prog_section *sec = &p->sections[s];
    if (sec->table != TBC_NONE && (s == 0 || p->sections[s - 1].table != sec->table))
      fprintf(f, "  table \"%s\"  %s\n", p->tables[sec->table].title, p->tables[sec->table].source);
    fprintf(f, "  section \"%s\" %s\n", sec->title, dec_format(sec->max, b1));
    for (uint32_t i = sec->first_item; i < sec->first_item + sec->nitems; i++) {
      const prog_item *it = &p->items[i];
      fprintf(f, "    %3u  item %s  %s points, base %s", i, it->number, dec_format(it->points, b1),
              dec_format(it->base, b2));
      if (it->key) fprintf(f, "  key \"%s\"", it->key);
      if (it->when) fprintf(f, "  when %s", it->when);
      fputc('\n', f);
      for (uint32_t r = it->first_rule; r < it->first_rule + it->nrules; r++)
        fprintf(f, "         rule %u: %s  \"%s\"\n", r, p->rules[r].source, p->rules[r].reason);
    }
  }
  if (p->nvetoes) {
    fputs("\nvetoes:\n", f);
    for (uint32_t v = 0; v < p->nvetoes; v++) {
      fprintf(f, "  %3u  %s  \"%s\"", v, p->vetoes[v].source, p->vetoes[v].reason);
      if (p->vetoes[v].cap != TBC_NONE)
        fprintf(f, "  at most \"%s\"", p->vetoes[v].cap == p->nlevels ? p->else_name : p->levels[p->vetoes[v].cap].name);
      fputc('\n', f);
    }
  }
  if (p->rating_title) {
    fprintf(f, "\nrating \"%s\"%s:\n", p->rating_title,
            p->nlevels && (p->levels[0].flags & TBC_LV_CUMULATIVE) ? " cumulative" : "");
    for (uint32_t l = 0; l < p->nlevels; l++) {
      fprintf(f, "  %3u  \"%s\" if %s", l, p->levels[l].name, p->levels[l].source);
      if (p->levels[l].flags & TBC_LV_THRESHOLD) fprintf(f, "  (threshold %s)", dec_format(p->levels[l].threshold, b1));
      fputc('\n', f);
    }
    if (p->else_name) fprintf(f, "  else \"%s\"\n", p->else_name);
    else fputs("  else none\n", f);
  }
  if (p->nquotas || p->ntargets || p->naudits) fputs("\npopulation:\n", f);
  for (uint32_t q = 0; q < p->nquotas; q++) {
    const prog_quota *qu = &p->quotas[q];
    fprintf(f, "  quota \"%s\" at most %s%% %s", qu->level == p->nlevels ? p->else_name : p->levels[qu->level].name, dec_format(qu->share, b1),
            qu->flags & TBC_Q_ENFORCE ? "enforce" : "report");
    if (qu->ties != TBC_NONE) fprintf(f, " ties by %s", p->inputs[qu->ties].name);
    fputc('\n', f);
  }
  for (uint32_t t = 0; t < p->ntargets; t++) {
    const prog_target *tg = &p->targets[t];
    fprintf(f, "  target %u: %s  \"%s\"  (accumulators %u", t, tg->source, tg->text, tg->num);
    if (tg->den != TBC_NONE) fprintf(f, ", %u", tg->den);
    fputs(")\n", f);
  }
  for (uint32_t a = 0; a < p->naudits; a++)
    fprintf(f, "  audit %u: sample %s%% %s seed %llu  \"%s\"\n", a, dec_format(p->audits[a].share, b1), p->audits[a].source,
            (unsigned long long)p->audits[a].seed, p->audits[a].text);

  fputs("\ncode:\n", f);
  for (uint32_t pc = 0; pc < p->ncode; pc++) {
    uint32_t ins = p->code[pc], arg = TBC_ARG(ins);
    const tbc_opinfo *op = &tbc_ops[TBC_OP(ins)];
    fprintf(f, "  %5u  %s", pc, op->name);
    if (op->arg != TBC_A_NONE) fprintf(f, "%*s", (int)(9 - strlen(op->name)), "");
    switch (op->arg) {
    case TBC_A_NONE: break;
    case TBC_A_CONST:
      fprintf(f, " %-6u ; ", arg);
      dis_value(f, p, p->consts[arg].type, p->consts[arg].aux, p->consts[arg].value);
      break;
    case TBC_A_INPUT: fprintf(f, " %-6u ; %s", arg, p->inputs[arg].name); break;
    case TBC_A_JUMP: fprintf(f, " %-6u ; to %u", arg, pc + 1 + arg); break;
    case TBC_A_COUNT: fprintf(f, " %u", arg); break;
    case TBC_A_ITEM: fprintf(f, " %-6u ; item %s", arg, p->items[arg].number); break;
    case TBC_A_RULE: fprintf(f, " %-6u ; %s", arg, p->rules[arg].source); break;
    case TBC_A_VETO: fprintf(f, " %-6u ; %s", arg, p->vetoes[arg].reason); break;
    case TBC_A_LEVEL: fprintf(f, " %-6u ; %s", arg, p->levels[arg].name); break;
    case TBC_A_CHECK: fprintf(f, " %-6u ; %s", arg, p->checks[arg].text); break;
    case TBC_A_INDEX: fprintf(f, " %-6u ; %s", arg, p->indices[arg].name); break;
    case TBC_A_ACC: fprintf(f, " %u", arg); break;
    case TBC_A_AUDIT: fprintf(f, " %-6u ; %s", arg, p->audits[arg].text); break;
    }
    fputc('\n', f);
  }
}
