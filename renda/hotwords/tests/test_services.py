"""Storing a case's terms as it is saved, and rebuilding them (renda.hotwords.services)."""

import datetime as dt

from django.core.management import call_command
from django.db.models import Sum

from renda.cases.models import Case
from renda.cases.services import case_accept
from renda.cases.tests.helpers import category
from renda.hotwords.models import CaseTerms, DailyTermCount
from renda.hotwords.services import case_terms_index
from renda.textmine.hotterms import MAX_TERMS


def _counts() -> dict[tuple, int]:
    return {
        (r.day, r.area_id, r.category_id, r.term): r.cases
        for r in DailyTermCount.objects.filter(cases__gt=0)
    }


def test_a_submission_is_indexed_once_it_commits(personas, django_capture_on_commit_callbacks):
    from renda.cases.tests.helpers import submit

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = submit(
            personas,
            title="湖滨路路灯不亮",
            content="湖滨路北段路灯不亮。",
            region=personas.regions["village"],
            grid=None,
            category=category("城乡建设"),
        )
        assert not CaseTerms.objects.filter(case=case).exists()  # not in the citizen's wait
    for callback in callbacks:
        callback()
    assert CaseTerms.objects.filter(case=case).exists()


def test_it_stores_the_terms_of_a_submitted_case(personas, file_case):
    case = file_case("湖滨路路灯不亮", "湖滨路北段三盏路灯已坏一周，夜间行人不便。")
    row = CaseTerms.objects.get(case=case)
    terms = [t for t, _ in row.terms]
    assert "路灯" in terms and "湖滨路" in terms
    assert "已" not in terms  # stop words stay out
    assert row.day == dt.date(2026, 9, 14)
    assert row.area_id == personas.regions["town"].pk  # the village's town
    assert row.category_id == category("城乡建设").pk
    cell = DailyTermCount.objects.get(day=row.day, area=row.area, term="路灯")
    assert cell.cases == 1
    file_case("路灯又坏了", "湖滨路的路灯还是不亮。")
    cell.refresh_from_db()
    assert cell.cases == 2


def test_a_case_on_a_town_or_a_county_counts_under_itself(personas, file_case):
    town_case = file_case("东湖街道菜市场缺少公平秤", place="town")
    county_case = file_case("东湖区公交线路太少", place="county")
    assert CaseTerms.objects.get(case=town_case).area_id == personas.regions["town"].pk
    assert CaseTerms.objects.get(case=county_case).area_id == personas.regions["county"].pk


def test_a_category_corrected_at_acceptance_moves_the_counts(
    personas, file_case, django_capture_on_commit_callbacks
):
    case = file_case("湖滨路夜间施工噪音扰民", "工地每天夜里施工，噪音很大。")
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        case_accept(
            case=case,
            actor=personas.town_clerk,
            version=case.version,
            category=category("环境保护"),
        )
    row = CaseTerms.objects.get(case=case)
    assert row.category_id == category("环境保护").pk
    after = _counts()
    moved = {(d, a, category("环境保护").pk, t): n for (d, a, c, t), n in before.items()}
    assert after == moved


def test_a_save_that_changes_nothing_indexed_changes_nothing(personas, file_case):
    case = file_case("湖滨路路灯不亮")
    before = _counts()
    case_accept(case=case, actor=personas.town_clerk, version=case.version)
    Case.objects.get(pk=case.pk).save()
    assert _counts() == before


def test_an_edited_text_replaces_the_old_terms(personas, file_case):
    case = file_case("湖滨路路灯不亮")
    case.title, case.content = "菜市场缺少公平秤", "菜市场里没有公平秤。"
    case.save()
    counts = {t: n for (_, _, _, t), n in _counts().items()}
    assert "路灯" not in counts
    assert counts["公平秤"] == 1


def test_odd_text_is_stored_without_an_error(personas, file_case):
    for title, content in [
        ("！！！", "😀😀😀"),
        ("Wifi 信號不好", "ＷＩＦＩ 訊號很差 123 abc"),
        ("很长的留言", "停车难" * 1600),
    ]:
        case = file_case(title, content)
        row = CaseTerms.objects.get(case=case)
        assert len(row.terms) <= MAX_TERMS
    assert CaseTerms.objects.count() == 3


def test_rebuild_gives_the_same_counts_as_indexing(personas, file_case, capsys):
    file_case("湖滨路路灯不亮", "湖滨路北段三盏路灯已坏一周。")
    file_case("西山村道路坑洼", "村道坑洼积水。", place="other_village", when=(2026, 9, 1))
    file_case("南湖镇停车难", "停车位不足。", place="town2", cat="交通运输")
    expected = _counts()
    DailyTermCount.objects.all().delete()
    CaseTerms.objects.filter(case__title__startswith="南湖镇").delete()
    call_command("rebuild_case_terms", batch=2)
    out = capsys.readouterr().out
    assert "已处理 2 / 3 件" in out and "完成：3 件" in out
    assert _counts() == expected
    assert CaseTerms.objects.count() == 3
    call_command("rebuild_case_terms", reanalyze=True)
    assert _counts() == expected
    total = DailyTermCount.objects.exclude(term="").aggregate(n=Sum("cases"))["n"]
    assert total == sum(len(r.terms) for r in CaseTerms.objects.all())


def test_indexing_again_is_idempotent(personas, file_case):
    case = file_case("湖滨路路灯不亮")
    before = _counts()
    case_terms_index(case=case)
    case_terms_index(case=case)
    assert _counts() == before
