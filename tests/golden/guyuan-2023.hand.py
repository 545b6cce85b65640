#!/usr/bin/env python3
"""Hand computation of the Guyuan annual-inspection totals (固工发〔2023〕86号).

Independent of tally: the item points below are typed from the document's six
tables (附件 年检星级等次分类评选基本内容及考评标准), and each item's requirements
are written as Python conditions on the inputs. Only the column names (input
name -> label) and the declared defaults are read from the policy file, so that
the CSV header can be matched.

Every item is all-or-nothing (the document gives points but no deduction
wording): full points when all its requirements hold, else 0.
Star levels: >=90 五星级, 80-89 四星级, 70-79 三星级, 60-69 二星级, <60 一星级.
There are no vetoes in the document, so `vetoed` is always 0.

Usage:
  guyuan-2023.hand.py SAMPLE.csv > guyuan-2023.hand.csv       (id,total,rating,vetoed)
  guyuan-2023.hand.py --totals SAMPLE.csv > X.hand.csv        (id,total)
"""
import csv
import os
import re
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
POLICY = os.path.join(HERE, '..', '..', 'policies', 'guyuan-2023.tally')


# ---------------------------------------------------------------- tables
# Each entry: (item number, points, condition on record r).
def t_soe(r):
    return [
        # 工会组织健全
        (1, 5, r['union_approved'] and r['committees_elected']),
        (2, 5, r['reelected_on_time'] and 3 <= r['term_years'] <= 5),
        (3, 4, r['women_committee']),
        (4, 4, r['branches_set']),
        (5, 4, (not r['legal_person_eligible']) or r['legal_person_status']),
        (6, 2, r['members_recruited']),
        # 干部配备到位
        (7, 3, r['chair_rank'] and (r['staff'] < 200 or r['fulltime_chair']) and r['vice_chair_rank']),
        (8, 3, (not r['is_company']) or r['chair_as_director']),
        (9, 3, r['officers_staffed']),
        (10, 3, r['leaders_elected']),
        (11, 4, r['leader_change_consent']),
        (12, 2, r['activists']),
        (13, 3, r['cadre_training'] and r['cadres_proficient']),
        # 制度机制完善
        (14, 2, r['post_responsibility'] and r['work_cycle']),
        (15, 3, r['double_display']),
        (16, 3, r['member_congresses'] >= 1 and r['standing_reps']),
        (17, 3, r['democratic_mgmt_system']),
        (18, 2, (not r['is_company']) or r['worker_director_system']),
        (19, 2, r['bargaining_system'] and r['special_contracts']),
        (20, 2, r['open_affairs_system']),
        (21, 2, r['membership_records']),
        # 活动载体丰富
        (22, 5, r['has_office'] and r['service_rooms']),
        (23, 4, r['activity_venue']),
        (24, 4, r['publicity_board']),
        (25, 2, (not r['studio_eligible']) or r['model_studio']),
        (26, 2, r['online_service']),
        # 经费管理规范
        (27, 4, ((not r['legal_person_status']) or r['independent_account']) and r['funds_rules']),
        (28, 1, r['dues_paid']),
        (29, 1, r['funds_rate'] >= 2 and r['funds_remitted']),
        (30, 1, r['budget_audit']),
        (31, 1, r['exit_audit']),
        (32, 1, r['no_misappropriation']),
        # 作用发挥明显
        (33, 1, r['worker_congress']),
        (34, 1, r['labour_contracts']),
        (35, 1, r['wage_mechanism']),
        (36, 1, r['social_insurance']),
        (37, 1, r['safety_women_rights']),
        (38, 1, r['harmonious_relations']),
        (39, 1, r['tech_innovation']),
        (40, 1, r['model_workers']),
        (41, 1, r['worker_care']),
        (42, 1, r['hardship_aid']),
    ]


def t_nonpublic(r):
    return [
        (1, 5, r['union_approved'] and (r['members'] < 25 or r['committee_formed'])),
        (2, 5, r['committees_elected']),
        (3, 4, r['reelected_on_time'] and 3 <= r['term_years'] <= 5),
        (4, 4, r['women_committee']),
        (5, 4, r['branches_set']),
        (6, 2, (not r['legal_person_eligible']) or r['legal_person_status']),
        (7, 2, r['members_recruited']),
        (8, 3, r['chair_rank'] and (r['staff'] < 200 or r['fulltime_chair']) and r['vice_chair_rank']),
        (9, 3, (not r['is_company']) or r['chair_as_director']),
        (10, 3, r['officers_staffed']),
        (11, 3, r['leaders_elected']),
        (12, 4, r['leader_change_consent']),
        (13, 2, r['activists']),
        (14, 3, r['activists'] and r['cadre_training']),
        (15, 2, r['union_work_rules'] and r['work_cycle']),
        (16, 3, r['double_display']),
        (17, 3, r['congress_systems']),
        (18, 3, r['democratic_mgmt_system']),
        (19, 2, (not r['is_company']) or r['worker_director_system']),
        (20, 2, r['bargaining_system']),
        (21, 2, r['open_affairs_system']),
        (22, 2, r['membership_records']),
        (23, 5, r['has_office'] and r['service_rooms']),
        (24, 4, r['publicity_board']),
        (25, 4, (not r['studio_eligible']) or r['model_studio']),
        (26, 2, r['online_service']),
        (27, 4, ((not r['legal_person_status']) or r['independent_account']) and r['funds_rules']),
        (28, 1, r['dues_paid']),
        (29, 2, r['funds_rate'] >= 2 and r['funds_remitted']),
        (30, 1, r['budget_audit'] and r['funds_disclosed']),
        (31, 1, r['exit_audit']),
        (32, 1, r['no_misappropriation']),
        (33, 1, r['worker_congress']),
        (34, 1, r['labour_contracts']),
        (35, 1, r['wage_mechanism']),
        (36, 1, r['social_insurance']),
        (37, 1, r['safety_women_rights']),
        (38, 1, r['harmonious_relations']),
        (39, 1, r['tech_innovation']),
        (40, 1, r['model_workers']),
        (41, 1, r['worker_education'] and r['worker_care']),
        (42, 1, r['hardship_aid']),
        (43, 1, r['migrant_workers']),
    ]


def t_agency(r):
    fiscal = r['fiscal_allocated']
    return [
        (1, 5, r['union_approved'] and r['branches_set'] and r['special_committees']),
        (2, 5, r['committees_elected']),
        (3, 3, r['reelected_on_time'] and 3 <= r['term_years'] <= 5),
        (4, 3, r['women_committee']),
        (5, 4, (not r['legal_person_eligible']) or r['legal_person_status']),
        (6, 2, r['members_recruited']),
        (7, 3, r['agency_cadres'] and r['agency_chair_rank']),
        (8, 3, r['leaders_elected']),
        (9, 3, r['audit_chair_rank']),
        (10, 4, r['women_chair']),
        (11, 4, r['leader_change_consent'] and r['vacancy_months'] <= 6),
        (12, 3, r['activists']),
        (13, 4, r['cadre_training'] and r['cadres_proficient']),
        (14, 2, r['post_responsibility'] and r['work_cycle']),
        (15, 3, r['member_congresses'] >= 1 and r['standing_reps']),
        (16, 3, r['open_affairs_system']),
        (17, 3, r['membership_records']),
        (18, 4, r['has_office'] and r['activity_venue']),
        (19, 3, r['publicity_board'] and r['online_service']),
        (20, 5, ((not r['legal_person_status']) or r['independent_account']) and r['funds_rules']),
        (21, 4, r['dues_paid']),
        (22, 4, r['fiscal_budgeted'] if fiscal else (r['funds_rate'] >= 2 and r['funds_remitted'])),
        (23, 3, r['budget_audit'] and r['funds_disclosed']),
        (24, 3, r['exit_audit']),
        (25, 3, r['no_misappropriation']),
        (26, 4, r['worker_education'] and r['agency_culture']),
        (27, 3, r['agency_advanced']),
        (28, 3, r['agency_rights'] and r['hardship_aid']),
        (29, 3, r['agency_democracy']),
        (30, 3, r['agency_home']),
    ]


def t_federation(r):
    return [
        (1, 5, r['fed_principles'] and r['fed_approved'] and r['fed_reelected']),
        (2, 5, r['fed_affiliates_organised']),
        (3, 3, r['fed_committees']),
        (4, 3, (not r['legal_person_eligible']) or r['legal_person_status']),
        (5, 4, r['fed_members_recruited']),
        (6, 3, r['fed_leaders_elected']),
        (7, 3, r['leader_change_consent']),
        (8, 3, r['fed_fulltime_staff'] >= 1 and r['cadres_proficient']),
        (9, 4, r['activists'] and r['cadre_training']),
        (10, 2, r['fed_work_rules']),
        (11, 3, r['fed_meetings']),
        (12, 3, r['fed_bargaining']),
        (13, 3, r['fed_open_affairs']),
        (14, 2, r['guide_double_display']),
        (15, 3, r['membership_records']),
        (16, 2, r['fed_office']),
        (17, 5, r['fed_activity_venue']),
        (18, 4, r['fed_publicity']),
        (19, 4, r['guide_studios']),
        (20, 2, r['online_service']),
        (21, 3, r['work_funding']),
        (22, 3, r['fed_accounts']),
        (23, 3, r['guide_funds_collection']),
        (24, 3, r['fed_competitions']),
        (25, 3, r['fed_harmony']),
        (26, 3, r['fed_contracts']),
        (27, 3, r['fed_insurance']),
        (28, 3, r['hardship_aid']),
        (29, 3, r['model_worker_awards']),
        (30, 3, r['fed_standardisation']),
        (31, 3, r['fed_proxy_rights']),
    ]


def t_township(r):
    return [
        (1, 5, r['reports_heard'] >= 2 and r['party_studies']),
        (2, 5, r['party_agenda']),
        (3, 3, r['joint_meeting_system'] and r['joint_meetings'] >= 1),
        (4, 3, r['admin_premises']),
        (5, 4, r['chair_attends']),
        (6, 2, r['policy_participation']),
        (7, 3, r['lawful_establishment']),
        (8, 3, r['federal_structure']),
        (9, 3, r['township_chair_rank'] and r['concurrent_chair_vice'] and r['union_cadres'] >= 1),
        (10, 4, r['audit_chair_rank'] and r['audit_chair_in_leadership']),
        (11, 4, r['women_chair']),
        (12, 3, r['cadre_appointments']),
        (13, 4, r['area_union_rate'] >= 90 and r['area_membership_rate'] >= 90),
        (14, 3, (not r['station_eligible']) or r['service_stations']),
        (15, 3, r['village_unions']),
        (16, 2, r['recruitment_tasks']),
        (17, 3, r['regional_congress'] and r['area_enterprise_democracy']),
        (18, 3, r['regional_bargaining'] and r['area_enterprise_contracts']),
        (19, 3, r['guide_contracts_insurance']),
        (20, 4, r['safety_activities']),
        (21, 3, r['social_rights_mechanism']),
        (22, 3, r['proxy_rights']),
        (23, 3, r['guidance_opinions']),
        (24, 2, r['guide_home_building']),
        (25, 1, r['area_cadre_training']),
        (26, 2, r['guide_finance']),
        (27, 2, r['guide_funds_collection']),
        (28, 2, r['online_service']),
        (29, 2, r['hardship_system']),
        (30, 1, r['guide_hardship_aid']),
        (31, 1, r['migrant_workers'] and r['migrant_jobs']),
        (32, 2, r['reemployment']),
        (33, 1, r['area_insurance']),
        (34, 1, r['model_spirit']),
        (35, 2, r['area_competitions']),
        (36, 2, r['skills_training']),
        (37, 1, r['area_culture']),
        (38, 1, r['model_worker_awards'] and r['guide_studios']),
    ]


def t_village(r):
    return [
        (1, 5, r['union_approved'] and ((not r['legal_person_eligible']) or r['legal_person_status'])),
        (2, 5, r['reelected_on_time'] and r['women_committee'] and r['audit_committee']),
        (3, 3, r['village_chair']),
        (4, 3, r['area_union_rate'] >= 90 and r['area_membership_rate'] >= 90),
        (5, 4, r['chair_rank'] and (r['staff'] < 200 or r['fulltime_chair']) and r['vice_chair_rank']),
        (6, 2, (not r['is_company']) or r['chair_as_director']),
        (7, 3, r['officers_staffed']),
        (8, 3, r['leaders_elected']),
        (9, 3, r['leader_change_consent']),
        (10, 4, r['activists']),
        (11, 4, r['cadre_training'] and r['cadres_proficient']),
        (12, 3, r['village_work_rules']),
        (13, 4, r['double_display']),
        (14, 4, r['village_congress_systems']),
        (15, 4, r['bargaining_system'] and r['promote_special_contracts']),
        (16, 4, r['membership_records']),
        (17, 4, r['has_office'] and r['office_equipment'] and r['service_rooms']),
        (18, 3, r['activity_venue']),
        (19, 4, r['publicity_board']),
        (20, 4, (not r['studio_eligible']) or r['model_studio']),
        (21, 3, r['village_online']),
        (22, 3, r['work_funding']),
        (23, 3, r['guide_funds_collection']),
        (24, 2, r['independent_account'] and r['funds_managed']),
        (25, 3, r['village_education']),
        (26, 3, r['village_skills']),
        (27, 3, r['village_rights']),
        (28, 3, r['village_contracts']),
        (29, 2, r['migrant_hardship']),
        (30, 2, r['migrant_info']),
    ]


TABLES = {'soe_inst': t_soe, 'nonpublic': t_nonpublic, 'agency': t_agency,
          'federation': t_federation, 'township': t_township, 'village': t_village}
# The document's own table totals (sum of 分值): 100, 102, 102, 99, 99, 100.
FULL = {'soe_inst': 100, 'nonpublic': 102, 'agency': 102,
        'federation': 99, 'township': 99, 'village': 100}
KIND_LABELS = {'国有、集体企业和事业单位': 'soe_inst', '非公有制经济组织、社会组织': 'nonpublic',
               '机关': 'agency', '区域性、行业性基层工会联合会': 'federation',
               '乡镇（街道）、开发区、工业园区': 'township', '村（社区）': 'village'}


def rating(total):
    if total >= 90: return '五星级'
    if total >= 80: return '四星级'
    if total >= 70: return '三星级'
    if total >= 60: return '二星级'
    return '一星级'


# ---------------------------------------------------------------- reading
def declarations():
    """name -> (type, label, default) from the policy's input block."""
    src = open(POLICY, encoding='utf-8').read()
    block = src[src.index('input {'):]
    block = block[:block.index('\n}\n')]
    decl = {}
    for m in re.finditer(r'^\s+([a-z_]+)\s+(bool|int|percent|text)\s+"([^"]+)"(.*)$', block, re.M):
        name, typ, label, rest = m.groups()
        d = re.search(r'default\s+(\S+)', rest)
        decl[name] = (typ, label, d.group(1) if d else None)
    decl['kind'] = ('enum', '工会类别', None)
    return decl


YES = {'是', '有', 'yes', 'y', 'true', '1'}
NO = {'否', '无', 'no', 'n', 'false', '0'}


def value(typ, cell, default):
    cell = cell.strip()
    if cell == '':
        if default is None:
            raise ValueError('blank required cell')
        cell = {'yes': '是', 'no': '否'}.get(default, default)
    if typ == 'bool':
        if cell.lower() in YES: return True
        if cell.lower() in NO: return False
        raise ValueError(cell)
    if typ == 'int':
        return int(cell)
    if typ == 'percent':
        return Decimal(cell.rstrip('%'))
    if typ == 'enum':
        return KIND_LABELS.get(cell, cell)
    return cell


def score(rec):
    items = TABLES[rec['kind']](rec)
    assert sum(p for _, p, _ in items) == FULL[rec['kind']]
    assert [n for n, _, _ in items] == list(range(1, len(items) + 1))
    return sum(p for _, p, ok in items if ok), items


def main(argv):
    totals_only = '--totals' in argv
    path = [a for a in argv if not a.startswith('--')][0]
    decl = declarations()
    by_label = {lab: n for n, (_, lab, _) in decl.items()}
    by_label.update({n: n for n in decl})
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(['id', 'total'] if totals_only else ['id', 'total', 'rating', 'vetoed'])
    with open(path, encoding='utf-8-sig', newline='') as f:
        rows = list(csv.reader(f))
    header = [by_label.get(h.strip()) for h in rows[0]]
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        cells = dict(zip(header, row))
        rec = {}
        for name, (typ, _, default) in decl.items():
            rec[name] = value(typ, cells.get(name, ''), default) if name != 'id' else cells.get('id', '')
        total, _ = score(rec)
        if totals_only:
            w.writerow([rec['id'], total])
        else:
            w.writerow([rec['id'], total, rating(total), 0])


if __name__ == '__main__':
    main(sys.argv[1:])
